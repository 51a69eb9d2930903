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
    if (!this.isTable) {
      if (rec.row !== null && this.predicate(rec.row) === true) this.downstream(rec);
      return;
    }
    if (rec.oldRow === undefined) {
      // Without the old row (Kafka Streams without sendOldValues) a non-matching row is a delete.
      if (rec.row === null || this.predicate(rec.row) === true) this.downstream(rec);
      else this.downstream({ ...rec, row: null });
      return;
    }
    // With the old row (sendOldValues): both sides are filtered; nothing to say when neither matches.
    const row = rec.row !== null && this.predicate(rec.row) === true ? rec.row : null;
    const oldRow = rec.oldRow !== null && this.predicate(rec.oldRow) === true ? rec.oldRow : null;
    if (row === null && oldRow === null) return;
    this.downstream(row === rec.row && oldRow === rec.oldRow ? rec : { ...rec, row, oldRow });
  }
}

export const buildFilter: OperatorBuilder<FilterStep> = (step, ctx, downstream, build) => {
  const input = step.source.schema;
  const compiled = stepCompiler(input, ctx, step.clause).compile(step.predicate);
  const op = new FilterOp(compiled, step.type === 'tableFilterV1', downstream);
  build(step.source, (rec) => op.process(rec));
  return op;
};
