/** Projection: computes the output row (key columns first) from the input row. */
import type { SelectStep } from '../../physical/steps.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';

class SelectOp implements Operator {
  constructor(
    private readonly exprs: readonly CompiledExpression[],
    private readonly keyIdx: readonly number[],
    private readonly downstream: Downstream,
  ) {}

  process(rec: Rec): void {
    const input = rec.row;
    if (input === null) {
      this.downstream(rec);
      return;
    }
    const n = this.exprs.length;
    const row = new Array(n);
    for (let i = 0; i < n; i++) row[i] = this.exprs[i]!(input);
    const key = this.keyIdx.length === rec.key.length && this.keyIdx.every((k, i) => row[k] === rec.key[i])
      ? rec.key
      : this.keyIdx.map((k) => row[k]);
    const oldRow = rec.oldRow === undefined || rec.oldRow === null ? rec.oldRow : this.project(rec.oldRow);
    this.downstream({ ...rec, key, row, oldRow });
  }

  private project(input: unknown[]): unknown[] {
    return this.exprs.map((e) => e(input));
  }
}

export const buildSelect: OperatorBuilder<SelectStep> = (step, ctx, downstream, build) => {
  const compiler = stepCompiler(step.source.schema, ctx);
  const exprs = step.selectExpressions.map((s, i) => compiler.compile(s.expression, step.schema.columns[i]!.type));
  const keyIdx: number[] = [];
  step.schema.columns.forEach((c, i) => { if (c.role === 'KEY') keyIdx.push(i); });
  const op = new SelectOp(exprs, keyIdx, downstream);
  build(step.source, (rec) => op.process(rec));
  return op;
};
