/**
 * GROUP BY re-keying. Streams: the key becomes the grouping values; a row whose grouping contains
 * NULL is excluded (and logged), as in ksqlDB. `streamGroupByKeyV1` keeps the key and only drops
 * NULL keys (Kafka Streams' aggregations skip them).
 *
 * Tables: an update carries the old row; both are re-keyed (Kafka Streams' KTableRepartitionMap).
 * When the grouping is unchanged one record carries both (the aggregate subtracts then adds);
 * otherwise the old group gets a retraction first and the new group the addition.
 *
 * When the grouping changes the key, the plan is split here (subtopology.ts): the re-keyed records
 * go through the repartition topic to the task that owns their group.
 */
import type { GroupByStep } from '../../physical/steps.js';
import type { Downstream, Operator, OperatorBuilder, TaskContext } from '../operator.js';
import type { Rec } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';
import { valueKey } from '../../functions/compare.js';

class StreamGroupByOp implements Operator {
  constructor(private readonly exprs: readonly CompiledExpression[], private readonly ctx: TaskContext, private readonly downstream: Downstream) {}

  process(rec: Rec): void {
    if (rec.row === null) return;
    const key = groupKey(this.exprs, rec.row, this.ctx);
    if (key === null) return;
    this.downstream({ ...rec, key });
  }
}

class StreamGroupByKeyOp implements Operator {
  constructor(private readonly downstream: Downstream) {}

  process(rec: Rec): void {
    if (rec.row === null) return;
    if (rec.key.length > 0 && rec.key.every((k) => k === null || k === undefined)) return;
    this.downstream(rec);
  }
}

class TableGroupByOp implements Operator {
  constructor(private readonly exprs: readonly CompiledExpression[], private readonly ctx: TaskContext, private readonly downstream: Downstream) {}

  process(rec: Rec): void {
    const newKey = rec.row === null ? null : groupKey(this.exprs, rec.row, this.ctx);
    const old = rec.oldRow ?? null;
    const oldKey = old === null ? null : groupKey(this.exprs, old, this.ctx);
    if (newKey !== null && oldKey !== null && sameKey(newKey, oldKey)) {
      this.downstream({ ...rec, key: newKey, oldRow: old });
      return;
    }
    if (oldKey !== null) this.downstream({ ...rec, key: oldKey, row: null, oldRow: old });
    if (newKey !== null) this.downstream({ ...rec, key: newKey, oldRow: null });
  }
}

function groupKey(exprs: readonly CompiledExpression[], row: unknown[], ctx: TaskContext): unknown[] | null {
  const key = new Array<unknown>(exprs.length);
  for (let i = 0; i < exprs.length; i++) {
    const v = exprs[i]!(row);
    if (v === null || v === undefined) {
      ctx.processingLog.log({
        queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR',
        message: `Group-by column with index ${i} resolved to null. The source row will be excluded from the table.`,
      });
      return null;
    }
    key[i] = v;
  }
  return key;
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && valueKey(a[i]) !== valueKey(b[i])) return false;
  return true;
}

export const buildGroupBy: OperatorBuilder<GroupByStep> = (step, ctx, downstream, build) => {
  let op: Operator;
  if (step.type === 'streamGroupByKeyV1') {
    op = new StreamGroupByKeyOp(downstream);
  } else {
    const compiler = stepCompiler(step.source.schema, ctx, 'GROUP BY');
    const exprs = step.groupByExpressions.map((e) => {
      const compiled = compiler.compile(e);
      const t = compiler.typer.typeOf(e);
      // Integer arithmetic in JS can yield -0, which Java's int/long cannot: one group, not two.
      return t !== null && (t.base === 'INTEGER' || t.base === 'BIGINT')
        ? (row: unknown[]) => { const v = compiled(row); return v === 0 ? 0 : v; }
        : compiled;
    });
    op = step.type === 'tableGroupByV1' ? new TableGroupByOp(exprs, ctx, downstream) : new StreamGroupByOp(exprs, ctx, downstream);
  }
  build(step.source, (rec) => op.process(rec));
  return op;
};
