/**
 * Table-table join on the primary key (Kafka Streams' KTableKTable{Inner,Left,Right,Outer}Join).
 * Each side is materialised as key → [timestamp, row]. A change on one side looks up the other
 * side's row and emits the new result with the old one (`oldRow`, sendOldValues), so that a
 * downstream filter can tell a row that stops matching. The result timestamp is the larger of the
 * two sides' when both are present.
 */
import type { JoinStep } from '../../physical/steps.js';
import type { KeyValueStore } from '../../state/stores.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { hasNullKey, JOIN_KEY_SERIALIZER, joinState, JoinRows, matchKey, ROW_SERIALIZER } from './join-common.js';

type Stored = unknown[]; // [timestamp, row]

class TableTableJoinOp implements Operator {
  private readonly outer: readonly [boolean, boolean];

  constructor(
    step: JoinStep,
    private readonly stores: readonly [KeyValueStore<unknown[], Stored>, KeyValueStore<unknown[], Stored>],
    private readonly rows: JoinRows,
    private readonly downstream: Downstream,
  ) {
    const t = step.joinType;
    this.outer = [t === 'LEFT' || t === 'FULL', t === 'RIGHT' || t === 'FULL'];
  }

  process(rec: Rec): void {
    this.processSide(0, rec);
  }

  processSide(side: 0 | 1, rec: Rec): void {
    if (hasNullKey(rec)) return;
    const key = matchKey(rec);
    const store = this.stores[side];
    const oldValue = (store.get(key)?.[1] as unknown[] | undefined) ?? null;
    const newValue = rec.row;
    if (newValue === null) store.delete(key);
    else store.put(key, [rec.ts, newValue]);
    const other = this.stores[1 - side]!.get(key);
    const otherRow = (other?.[1] as unknown[] | undefined) ?? null;
    const thisOuter = this.outer[side];
    const otherOuter = this.outer[1 - side]!;
    let ts = rec.ts;
    if (otherRow === null) {
      // Without the other side only an outer side can produce (or retract) a result.
      if (!thisOuter) return;
      if (newValue === null && oldValue === null) return;
    } else {
      ts = Math.max(rec.ts, other![0] as number);
    }
    const join = (mine: unknown[] | null): unknown[] | null => {
      if (mine === null && otherRow === null) return null;
      if (mine === null && !otherOuter) return null;
      if (otherRow === null && !thisOuter) return null;
      return side === 0 ? this.rows.row(rec.key[0], mine, otherRow) : this.rows.row(rec.key[0], otherRow, mine);
    };
    this.downstream({ ...rec, ts, row: join(newValue), oldRow: join(oldValue) });
  }
}

export const buildTableTableJoin: OperatorBuilder<JoinStep> = (step, ctx, downstream, build) => {
  const state = joinState(ctx, step);
  const opts = { keySerializer: JOIN_KEY_SERIALIZER, valueSerializer: ROW_SERIALIZER };
  const stores = [
    state.keyValueStore<unknown[], Stored>(`${step.storeName}-left`, opts),
    state.keyValueStore<unknown[], Stored>(`${step.storeName}-right`, opts),
  ] as const;
  const op = new TableTableJoinOp(step, stores, new JoinRows(step, true), downstream);
  build(step.sources[0], (rec) => op.processSide(0, rec));
  build(step.sources[1], (rec) => op.processSide(1, rec));
  return op;
};
