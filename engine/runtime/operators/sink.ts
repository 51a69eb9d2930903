/**
 * Sink: serialises the key columns and value columns of each row and hands the record to the
 * task's output collector, partitioned with murmur2 like Kafka's Java producer. Input headers are
 * propagated (Kafka Streams semantics). Table tombstones are written as null values.
 */
import type { SinkStep } from '../../physical/steps.js';
import { keyColumns, serializedValueColumns } from '../../catalog/schema.js';
import { partitionForKey } from '../../topics/partitioner.js';
import { rowSerde } from '../serdes.js';
import { errorMessage } from '../processing-log.js';
import type { Operator, OperatorBuilder, TaskContext } from '../operator.js';
import { isNullKey, type Rec } from '../record.js';
import { encodeWindowedKey } from '../windowing.js';
import { columnTimestamp } from './timestamp.js';

class SinkOp implements Operator {
  private readonly keySerde;
  private readonly valueSerde;
  private readonly keyIdx: number[] = [];
  private readonly valueIdx: number[] = [];
  private readonly tsIdx: number;
  private readonly extractTs: ((row: unknown[]) => number) | undefined;
  private readonly partitions: number;

  constructor(private readonly step: SinkStep, private readonly ctx: TaskContext) {
    const keys = keyColumns(step.sinkSchema);
    const values = serializedValueColumns(step.sinkSchema);
    this.keySerde = rowSerde(step.keyFormat, keys, 'key');
    this.valueSerde = rowSerde(step.valueFormat, values, 'value');
    const cols = step.source.schema.columns;
    for (const k of keys) this.keyIdx.push(cols.findIndex((c) => c.name === k.name));
    for (const v of values) this.valueIdx.push(cols.findIndex((c) => c.name === v.name));
    this.tsIdx = step.timestampColumn ? cols.findIndex((c) => c.name === step.timestampColumn!.column) : -1;
    this.extractTs = this.tsIdx < 0 ? undefined : columnTimestamp(this.tsIdx, cols[this.tsIdx]!.type, step.timestampColumn!);
    this.partitions = ctx.topics.partitions(step.topic);
  }

  process(rec: Rec): void {
    const row = rec.row;
    let keyBytes: Buffer | null;
    let valueBytes: Buffer | null;
    try {
      const key = row === null ? rec.key : this.keyIdx.map((i) => row[i]);
      // A single null key is written as a null key; a multi-column key is a record even when all fields are null.
      keyBytes = this.keyIdx.length === 0 || (key.every((k) => k === null) && (key.length === 1 || isNullKey(rec.key)))
        ? null : this.keySerde.serialize(key);
      valueBytes = row === null ? null : this.valueSerde.serialize(this.valueIdx.map((i) => row[i]));
    } catch (e) {
      this.ctx.processingLog.log({ queryId: this.ctx.queryId, type: 'SERIALIZATION_ERROR', topic: this.step.topic, message: errorMessage(e) });
      return;
    }
    const partition = partitionForKey(keyBytes, this.partitions);
    if (rec.window && this.step.window) {
      keyBytes = encodeWindowedKey(keyBytes, rec.window, this.step.window.type);
    }
    let timestamp = rec.ts;
    if (this.tsIdx >= 0 && row !== null) {
      try {
        timestamp = this.extractTs!(row);
      } catch (e) {
        this.ctx.processingLog.log({ queryId: this.ctx.queryId, type: 'RECORD_PROCESSING_ERROR', topic: this.step.topic, message: errorMessage(e) });
        return;
      }
      if (timestamp < 0) return;
    }
    this.ctx.output.emit(this.step.topic, partition, { key: keyBytes, value: valueBytes, timestamp, headers: rec.headers });
  }
}

export const buildSink: OperatorBuilder<SinkStep> = (step, ctx, _downstream, build) => {
  const op = new SinkOp(step, ctx);
  build(step.source, (rec) => op.process(rec));
  return op;
};
