/**
 * The two ends of a repartition topic (see subtopology.ts): `repartitionSinkV1` serialises each
 * re-keyed record and emits it to the partition murmur2(key bytes) picks; `repartitionSourceV1`
 * deserialises it back into the record the re-keying step emitted, for the next operator.
 *
 * Encoding (`repartitionSerde`):
 * - key: the new key columns (typed from the re-keying step's expressions) in the key format the
 *   planner chose for a join re-key, else that of the source feeding the re-key, as ksqlDB does; when that format cannot hold the new key (KAFKA
 *   with several columns or a complex type, NONE) or needs a schema registry subject (AVRO, JSON_SR,
 *   PROTOBUF), JSON. A NULL single-column key is a null key.
 * - value: Sluice's row codec (state/codec.ts) of `[row]`, or `[row, oldRow]` for table changes.
 *   Deviation from ksqlDB, which writes the value in the source's value format: the row at the
 *   boundary also holds pseudo and old key columns that the value formats cannot always carry
 *   (DELIMITED structs, KAFKA multi-column values); the topic is internal and only Sluice reads it.
 *   A stream record with a null value is a null value.
 * - table re-keys (tableGroupByV1): a change whose group is unchanged is one record carrying both
 *   the new and the old row (the aggregate subtracts then adds); a change that moves groups was
 *   already split by the re-keying step into a retraction `[null, old]` to the old group and an
 *   addition `[new, null]` to the new group, each its own record (Kafka Streams sends the subtract
 *   and the add separately too), so each reaches the task owning its group.
 */
import { type Column } from '../../catalog/schema.js';
import type { FormatInfo } from '../../catalog/source.js';
import type { ExecutionStep, GroupByStep, JoinRekeyStep, SelectKeyStep } from '../../physical/steps.js';
import { sourceSteps } from '../../physical/steps.js';
import { schemaFormat, validateFormat, type RowSerde } from '../../serde/index.js';
import { SqlTypes, type SqlType } from '../../types/sql-type.js';
import { ExpressionTyper } from '../../analyzer/expression-typer.js';
import type { FunctionRegistry } from '../../functions/types.js';
import type { ConsumedRecord, ProducedRecord } from '../../topics/topics.js';
import { partitionForKey } from '../../topics/partitioner.js';
import { decodeValue, encodeValue } from '../../state/codec.js';
import { formatSpec, rowSerde } from '../serdes.js';
import { errorMessage } from '../processing-log.js';
import type { Downstream, Operator, OperatorBuilder, SourceOperator, TaskContext } from '../operator.js';
import { isNullKey, nullKey, type Rec } from '../record.js';
import type { RepartitionSinkStep, RepartitionSourceStep } from '../subtopology.js';

const JSON_FORMAT: FormatInfo = { format: 'JSON', properties: {}, features: [] };

/** The new key's columns: the types of the re-keying step's key expressions. */
export function repartitionKeyColumns(step: ExecutionStep, functions: FunctionRegistry): Column[] {
  const col = (type: SqlType | null, i: number): Column => ({ name: `KSQL_COL_${i}`, type: type ?? SqlTypes.STRING, namespace: 'KEY' });
  switch (step.type) {
    case 'streamGroupByV1': case 'tableGroupByV1': case 'streamGroupByKeyV1': {
      const typer = new ExpressionTyper((step as GroupByStep).source.schema, { functions });
      return (step as GroupByStep).groupByExpressions.map((e, i) => col(typer.typeOf(e), i));
    }
    case 'joinRekeyV1': {
      const s = step as JoinRekeyStep;
      return [col(new ExpressionTyper(s.source.schema, { functions }).typeOf(s.keyExpression), 0)];
    }
    case 'streamSelectKeyV1':
      return (step as SelectKeyStep).schema.columns.filter((c) => c.role === 'KEY').map((c, i) => col(c.type, i));
    default:
      throw new Error(`Step ${step.type} does not re-key through a repartition topic`);
  }
}

/** The repartition topic's key format: the re-keyed source's, unless it cannot carry the new key. */
export function repartitionKeyFormat(step: ExecutionStep, keys: readonly Column[]): FormatInfo {
  const fmt = (step as JoinRekeyStep).keyFormat ?? sourceSteps(step)[0]?.keyFormat;
  if (!fmt || schemaFormat(fmt.format)) return JSON_FORMAT;
  try {
    validateFormat(keys.map((c) => ({ name: c.name, type: c.type })), formatSpec(fmt), 'key');
    return fmt;
  } catch {
    return JSON_FORMAT;
  }
}

/** Serialises re-keyed records to and from the repartition topic (see the file comment). */
export class RepartitionSerde {
  private readonly keySerde: RowSerde;
  readonly keyFormat: FormatInfo;
  private readonly nKey: number;

  constructor(rekeyed: ExecutionStep, topic: string, functions: FunctionRegistry) {
    const keys = repartitionKeyColumns(rekeyed, functions);
    this.nKey = keys.length;
    this.keyFormat = repartitionKeyFormat(rekeyed, keys);
    this.keySerde = rowSerde(this.keyFormat, keys, 'key', { topic });
  }

  serialize(rec: Rec): ProducedRecord {
    const key = rec.key.every((k) => k === null || k === undefined) && (this.nKey === 1 || isNullKey(rec.key))
      ? null : this.keySerde.serialize(rec.key);
    const value = rec.row === null && rec.oldRow === undefined
      ? null : encodeValue(rec.oldRow === undefined ? [rec.row] : [rec.row, rec.oldRow]);
    return { key, value, timestamp: rec.ts, headers: rec.headers };
  }

  deserialize(record: ConsumedRecord): Rec {
    const key = record.key === null ? nullKey(this.nKey) : (this.keySerde.deserialize(record.key) ?? nullKey(this.nKey));
    const rec: Rec = { key, row: null, ts: record.timestamp, window: null, headers: record.headers, partition: record.partition, offset: record.offset };
    if (record.value === null) return rec;
    const value = decodeValue(record.value) as unknown[];
    rec.row = (value[0] ?? null) as unknown[] | null;
    if (value.length > 1) rec.oldRow = (value[1] ?? null) as unknown[] | null;
    return rec;
  }
}

class RepartitionSinkOp implements Operator {
  private readonly partitions: number;

  constructor(private readonly step: RepartitionSinkStep, private readonly serde: RepartitionSerde, private readonly ctx: TaskContext) {
    this.partitions = ctx.topics.partitions(step.topic);
  }

  process(rec: Rec): void {
    let record: ProducedRecord;
    try {
      record = this.serde.serialize(rec);
    } catch (e) {
      this.ctx.processingLog.log({ queryId: this.ctx.queryId, type: 'SERIALIZATION_ERROR', topic: this.step.topic, message: errorMessage(e) });
      return;
    }
    this.ctx.output.emit(this.step.topic, partitionForKey(record.key, this.partitions), record);
  }
}

class RepartitionSourceOp implements Operator, SourceOperator {
  constructor(private readonly step: RepartitionSourceStep, private readonly serde: RepartitionSerde, private readonly ctx: TaskContext, private readonly downstream: Downstream) {}

  process(rec: Rec): void {
    this.downstream(rec);
  }

  consume(record: ConsumedRecord): number | undefined {
    let rec: Rec;
    try {
      rec = this.serde.deserialize(record);
    } catch (e) {
      this.ctx.processingLog.log({
        queryId: this.ctx.queryId, type: 'DESERIALIZATION_ERROR', topic: this.step.topic,
        message: `Failed to deserialize from topic: ${this.step.topic}. ${errorMessage(e)}`,
      });
      return undefined;
    }
    this.downstream(rec);
    return rec.ts;
  }
}

export const buildRepartitionSink: OperatorBuilder<RepartitionSinkStep> = (step, ctx, _downstream, build) => {
  const op = new RepartitionSinkOp(step, new RepartitionSerde(step.source, step.topic, ctx.functions), ctx);
  build(step.source, (rec) => op.process(rec));
  return op;
};

export const buildRepartitionSource: OperatorBuilder<RepartitionSourceStep> = (step, ctx, downstream) => {
  const op = new RepartitionSourceOp(step, new RepartitionSerde(step.rekeyed, step.topic, ctx.functions), ctx, downstream);
  ctx.registerSource(step.topic, op);
  return op;
};
