/**
 * Stream-table join (Kafka Streams' KStreamKTableJoin): table changes update a key-value store
 * and emit nothing; each stream record looks up the table's current row for its key. INNER emits
 * only matches, LEFT pads with NULLs. The result keeps the stream record's timestamp.
 */
import type { JoinStep } from '../../physical/steps.js';
import type { KeyValueStore } from '../../state/stores.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { hasNullKey, JOIN_KEY_SERIALIZER, joinState, JoinRows, matchKey, ROW_SERIALIZER } from './join-common.js';

class StreamTableJoinOp implements Operator {
  constructor(
    private readonly leftJoin: boolean,
    private readonly table: KeyValueStore<unknown[], unknown[]>,
    private readonly rows: JoinRows,
    private readonly downstream: Downstream,
  ) {}

  process(rec: Rec): void {
    if (rec.row === null || hasNullKey(rec)) return;
    const right = this.table.get(matchKey(rec)) ?? null;
    if (right === null && !this.leftJoin) return;
    this.downstream({ ...rec, row: this.rows.row(rec.key[0], rec.row, right), oldRow: undefined });
  }

  update(rec: Rec): void {
    if (hasNullKey(rec)) return;
    if (rec.row === null) this.table.delete(matchKey(rec));
    else this.table.put(matchKey(rec), rec.row);
  }
}

export const buildStreamTableJoin: OperatorBuilder<JoinStep> = (step, ctx, downstream, build) => {
  const state = joinState(ctx, step);
  const table = state.keyValueStore<unknown[], unknown[]>(`${step.storeName}-table`, { keySerializer: JOIN_KEY_SERIALIZER, valueSerializer: ROW_SERIALIZER });
  const op = new StreamTableJoinOp(step.joinType === 'LEFT', table, new JoinRows(step, true), downstream);
  build(step.sources[0], (rec) => op.process(rec));
  build(step.sources[1], (rec) => op.update(rec));
  return op;
};
