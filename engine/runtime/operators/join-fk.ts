/**
 * Foreign-key table-table join (Kafka Streams' KTable#join(other, foreignKeyExtractor)): the left
 * table's rows reference the right table's key through `foreignKey`; results are keyed by the left
 * key and laid out [...left row, ...right row].
 *
 * State: both tables (key → [timestamp, row]) and a subscription index (foreign key → left keys,
 * kept in key order, which is the order Kafka Streams' prefix scan visits subscribers in).
 * - A left change emits its result with the left timestamp: a delete emits a tombstone; INNER
 *   emits nothing for a new row without a match and a tombstone for an update that lost it.
 * - A right change emits a result for every subscribed left row with the right timestamp (INNER
 *   turns a right delete into tombstones, LEFT into NULL-padded rows).
 */
import type { JoinStep } from '../../physical/steps.js';
import type { KeyValueStore } from '../../state/stores.js';
import { encodeOrderedKey } from '../../state/codec.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';
import { hasNullKey, JOIN_KEY_SERIALIZER, joinState, JoinRows, ROW_SERIALIZER, ROWS_SERIALIZER } from './join-common.js';

type Stored = unknown[]; // [timestamp, row]

class ForeignKeyJoinOp implements Operator {
  constructor(
    private readonly leftJoin: boolean,
    private readonly foreignKey: CompiledExpression,
    private readonly left: KeyValueStore<unknown[], Stored>,
    private readonly right: KeyValueStore<unknown[], Stored>,
    private readonly subscribers: KeyValueStore<unknown[], unknown[][]>,
    private readonly rows: JoinRows,
    private readonly downstream: Downstream,
  ) {}

  process(rec: Rec): void {
    if (hasNullKey(rec)) return;
    const key = rec.key;
    const old = this.left.get(key);
    const oldRow = (old?.[1] as unknown[] | undefined) ?? null;
    const newRow = rec.row;
    const oldFk = oldRow === null ? null : this.fk(oldRow);
    const newFk = newRow === null ? null : this.fk(newRow);
    if (newRow === null) this.left.delete(key);
    else this.left.put(key, [rec.ts, newRow]);
    if (oldFk !== null && !sameKey(oldFk, newFk)) this.unsubscribe(oldFk, key);
    if (newFk !== null && !(oldFk !== null && sameKey(oldFk, newFk))) this.subscribe(newFk, key);

    if (newRow === null) {
      if (oldRow !== null) this.emit(rec, key, null, rec.ts);
      return;
    }
    const match = newFk === null ? undefined : this.right.get([newFk]);
    if (match !== undefined) this.emit(rec, key, this.rows.row(undefined, newRow, match[1] as unknown[]), rec.ts);
    else if (this.leftJoin) this.emit(rec, key, this.rows.row(undefined, newRow, null), rec.ts);
    else if (oldRow !== null) this.emit(rec, key, null, rec.ts);
  }

  update(rec: Rec): void {
    if (hasNullKey(rec)) return;
    if (rec.row === null) this.right.delete(rec.key);
    else this.right.put(rec.key, [rec.ts, rec.row]);
    for (const leftKey of this.subscribers.get([rec.key[0]]) ?? []) {
      const left = this.left.get(leftKey);
      if (left === undefined) continue;
      const leftRow = left[1] as unknown[];
      if (rec.row !== null) this.emit(rec, leftKey, this.rows.row(undefined, leftRow, rec.row), rec.ts);
      else this.emit(rec, leftKey, this.leftJoin ? this.rows.row(undefined, leftRow, null) : null, rec.ts);
    }
  }

  private fk(row: unknown[]): unknown {
    const v = this.foreignKey(row);
    return v === undefined ? null : v;
  }

  private emit(rec: Rec, key: unknown[], row: unknown[] | null, ts: number): void {
    this.downstream({ ...rec, key, row, ts, window: null, oldRow: undefined });
  }

  private subscribe(fk: unknown, leftKey: unknown[]): void {
    const list = this.subscribers.get([fk]) ?? [];
    const kb = encodeOrderedKey(leftKey);
    if (list.some((k) => encodeOrderedKey(k).equals(kb))) return;
    list.push(leftKey);
    list.sort((a, b) => Buffer.compare(encodeOrderedKey(a), encodeOrderedKey(b)));
    this.subscribers.put([fk], list);
  }

  private unsubscribe(fk: unknown, leftKey: unknown[]): void {
    const list = this.subscribers.get([fk]);
    if (!list) return;
    const kb = encodeOrderedKey(leftKey);
    const rest = list.filter((k) => !encodeOrderedKey(k).equals(kb));
    if (rest.length === 0) this.subscribers.delete([fk]);
    else this.subscribers.put([fk], rest);
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  if (b === null) return false;
  return encodeOrderedKey([a]).equals(encodeOrderedKey([b]));
}

export const buildForeignKeyJoin: OperatorBuilder<JoinStep> = (step, ctx, downstream, build) => {
  const state = joinState(ctx, step);
  const rowOpts = { keySerializer: JOIN_KEY_SERIALIZER, valueSerializer: ROW_SERIALIZER };
  const fk = stepCompiler(step.sources[0].schema, ctx, 'JOIN ON').compile(step.foreignKey!);
  const op = new ForeignKeyJoinOp(
    step.joinType === 'LEFT', fk,
    state.keyValueStore<unknown[], Stored>(`${step.storeName}-left`, rowOpts),
    state.keyValueStore<unknown[], Stored>(`${step.storeName}-right`, rowOpts),
    state.keyValueStore<unknown[], unknown[][]>(`${step.storeName}-subscriptions`, { keySerializer: JOIN_KEY_SERIALIZER, valueSerializer: ROWS_SERIALIZER }),
    new JoinRows(step, false), downstream,
  );
  build(step.sources[0], (rec) => op.process(rec));
  build(step.sources[1], (rec) => op.update(rec));
  return op;
};
