/**
 * Source operator: turns consumed topic records into rows laid out as
 * [key columns, value columns (incl. header columns), ROWTIME, ROWPARTITION, ROWOFFSET, (WINDOWSTART, WINDOWEND)].
 * Records that fail to deserialise go to the processing log and are skipped; the query keeps running.
 */
import type { SourceStep } from '../../physical/steps.js';
import type { ConsumedRecord, RecordHeader } from '../../topics/topics.js';
import { keyColumns, valueColumns } from '../../catalog/schema.js';
import { KsqlException, StreamsException } from '../../errors/index.js';
import { rowSerde } from '../serdes.js';
import { errorMessage } from '../processing-log.js';
import type { Downstream, Operator, OperatorBuilder, SourceOperator, TaskContext } from '../operator.js';
import { nullKey, type Rec, type WindowBounds } from '../record.js';
import { decodeWindowedKey } from '../windowing.js';
import { timestampExtractor, type TimestampExtractor } from './timestamp.js';
import type { KeyValueStore } from '../../state/stores.js';
import { orderedKeySerializer, valueSerializer } from '../../state/codec.js';

export class SourceOp implements Operator, SourceOperator {
  private readonly keySerde;
  private readonly valueSerde;
  private readonly nKey: number;
  private readonly valueCols;
  private readonly isTable: boolean;
  private readonly windowed: boolean;
  private readonly extractTs: TimestampExtractor;
  /** Materialised table (source tables feeding aggregations, CREATE SOURCE TABLE): key → row. */
  private readonly table: KeyValueStore<unknown[], unknown[]> | undefined;

  constructor(private readonly step: SourceStep, private readonly ctx: TaskContext, private readonly downstream: Downstream) {
    const keys = keyColumns(step.sourceSchema);
    this.valueCols = valueColumns(step.sourceSchema);
    this.nKey = keys.length;
    this.keySerde = rowSerde(step.keyFormat, keys, 'key');
    this.valueSerde = rowSerde(step.valueFormat, this.valueCols.filter((c) => c.namespace === 'VALUE'), 'value');
    this.isTable = step.type === 'tableSourceV1' || step.type === 'windowedTableSourceV1';
    this.windowed = step.window !== undefined;
    this.extractTs = timestampExtractor(step);
    this.table = this.isTable && step.materialize ? materializedTable(step, ctx) : undefined;
  }

  process(rec: Rec): void {
    this.downstream(rec);
  }

  consume(record: ConsumedRecord): number | undefined {
    let key: unknown[];
    let window: WindowBounds | null = null;
    let value: unknown[] | null;
    try {
      let keyBytes = record.key;
      if (this.windowed && keyBytes !== null) {
        const w = decodeWindowedKey(keyBytes, this.step.window!.type, this.step.window!.sizeMs);
        keyBytes = w.inner;
        window = { start: w.start, end: w.end };
      }
      key = this.nKey === 0 ? [] : (this.keySerde.deserialize(keyBytes) ?? nullKey(this.nKey));
      value = this.valueSerde.deserialize(record.value);
    } catch (e) {
      this.ctx.processingLog.log({
        queryId: this.ctx.queryId, type: 'DESERIALIZATION_ERROR', topic: record.topic,
        message: `Failed to deserialize ${record.value === null ? 'key' : 'value'} from topic: ${record.topic}. ${errorMessage(e)}`,
        record: record.value?.toString('utf8'),
      });
      return undefined;
    }
    // A table row needs a key; a multi-column key with some NULL columns is still a key.
    if (this.isTable && this.nKey > 0 && key.every((k) => k === null || k === undefined)) return undefined;
    const row = value === null ? null : this.buildRow(key, value, record, window);
    let ts: number;
    try {
      ts = row === null ? record.timestamp : this.extractTs(row, record);
    } catch (e) {
      if (String(this.ctx.properties['ksql.timestamp.throw.on.invalid'] ?? 'false') === 'true') {
        // ksqlDB's LoggingTimestampExtractor rethrows; Kafka Streams wraps it and the query fails
        throw new StreamsException(`Fatal user code error in TimestampExtractor callback for record ${describeRecord(record)}.`, { cause: e });
      }
      this.ctx.processingLog.log({ queryId: this.ctx.queryId, type: 'RECORD_PROCESSING_ERROR', topic: record.topic, message: errorMessage(e) });
      return undefined;
    }
    if (ts < 0) return undefined;
    if (row !== null) row[this.nKey + this.valueCols.length] = ts;
    if (this.table) {
      const oldRow = this.table.get(key) ?? null;
      if (row === null) this.table.delete(key);
      else this.table.put(key, row);
      this.downstream({ key, row, oldRow, ts, window, headers: record.headers, partition: record.partition, offset: record.offset });
      return ts;
    }
    this.downstream({ key, row, ts, window, headers: record.headers, partition: record.partition, offset: record.offset });
    return ts;
  }

  private buildRow(key: unknown[], value: unknown[], record: ConsumedRecord, window: WindowBounds | null): unknown[] {
    const row = new Array(this.step.schema.columns.length);
    let i = 0;
    for (; i < this.nKey; i++) row[i] = key[i];
    let v = 0;
    for (const c of this.valueCols) {
      if (c.namespace === 'VALUE') row[i++] = value[v++] ?? null;
      else if (c.namespace === 'HEADERS') row[i++] = record.headers.map((h) => ({ KEY: h.key, VALUE: h.value }));
      else row[i++] = lastHeader(record.headers, c.headerKey!);
    }
    row[i++] = record.timestamp;
    row[i++] = record.partition;
    row[i++] = record.offset;
    if (window) {
      row[i++] = window.start;
      row[i++] = window.end;
    }
    return row;
  }
}

/** The store a materialised table source keeps its rows in. */
export function tableSourceStoreName(step: SourceStep): string {
  return `${step.alias}-Reduce`;
}

function materializedTable(step: SourceStep, ctx: TaskContext): KeyValueStore<unknown[], unknown[]> {
  if (!ctx.state) throw new KsqlException(`Materialising table ${step.alias} needs state stores, but the task has no state backend`);
  return ctx.state.keyValueStore<unknown[], unknown[]>(tableSourceStoreName(step), {
    keySerializer: orderedKeySerializer<unknown[]>(), valueSerializer: valueSerializer<unknown[]>(),
  });
}

function describeRecord(r: ConsumedRecord): string {
  return `ConsumerRecord(topic = ${r.topic}, partition = ${r.partition}, offset = ${r.offset}, timestamp = ${r.timestamp})`;
}

function lastHeader(headers: readonly RecordHeader[], key: string): Buffer | null {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]!.key === key) return headers[i]!.value;
  return null;
}

export const buildSource: OperatorBuilder<SourceStep> = (step, ctx, downstream) => {
  if (!step.topic) throw new KsqlException('source step without topic');
  const op = new SourceOp(step, ctx, downstream);
  ctx.registerSource(step.topic, op);
  return op;
};
