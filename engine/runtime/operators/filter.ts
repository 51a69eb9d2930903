/** WHERE / HAVING: forwards rows whose predicate is TRUE (NULL and errors drop the row). Table tombstones pass. */
import type { FilterStep } from '../../physical/steps.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';

class FilterOp implements Operator {
  constructor(
    private readonly predicate: CompiledExpression,
    private readonly isTable: boolean,
    private readonly downstream: Downstream,
  ) {}

  process(rec: Rec): void {
    if (rec.row === null) {
      if (this.isTable) this.downstream(rec);
      return;
    }
    if (this.predicate(rec.row) === true) {
      this.downstream(rec);
    } else if (this.isTable && rec.oldRow !== undefined && rec.oldRow !== null && this.predicate(rec.oldRow) === true) {
      // A table row that stops matching becomes a delete downstream.
      this.downstream({ ...rec, row: null });
    } else if (this.isTable && rec.oldRow === undefined) {
      // Without the old row we cannot tell whether the key matched before: emit a delete, as ksqlDB does.
      this.downstream({ ...rec, row: null });
    }
  }
}

export const buildFilter: OperatorBuilder<FilterStep> = (step, ctx, downstream, build) => {
  const input = step.source.schema;
  const compiled = stepCompiler(input, ctx, step.clause).compile(step.predicate);
  const op = new FilterOp(compiled, step.type === 'tableFilterV1', downstream);
  build(step.source, (rec) => op.process(rec));
  return op;
};
