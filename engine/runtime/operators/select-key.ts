/**
 * PARTITION BY: computes the new key columns from each input row and lays the row out as the step's
 * schema (new keys, values, pseudo columns, old keys). A failing key expression yields NULL and a
 * processing-log entry. Records with a null value keep flowing (streams pass them through); for them a
 * key expression is computed only when it reads key columns alone (else NULL), as ksqlDB does.
 */
import type { SelectKeyStep } from '../../physical/steps.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';
import { columnRefs } from '../../analyzer/expression-rewrite.js';

class SelectKeyOp implements Operator {
  constructor(
    private readonly keyExprs: readonly CompiledExpression[],
    /** For each output column: -(k+1) for the k-th key expression, else the input index. */
    private readonly layout: Int32Array,
    private readonly inputKeyIdx: readonly number[],
    private readonly inputWidth: number,
    /** Per key expression: whether it reads key columns only (and can be computed for a null value). */
    private readonly keyOnly: readonly boolean[],
    private readonly downstream: Downstream,
  ) {}

  process(rec: Rec): void {
    const nk = this.keyExprs.length;
    const key = new Array(nk);
    const input = rec.row;
    if (input === null) {
      const synthetic = new Array(this.inputWidth).fill(null);
      for (let i = 0; i < this.inputKeyIdx.length; i++) synthetic[this.inputKeyIdx[i]!] = rec.key[i] ?? null;
      for (let k = 0; k < nk; k++) key[k] = this.keyOnly[k] ? this.keyExprs[k]!(synthetic) : null;
      this.downstream({ ...rec, key, row: null });
      return;
    }
    for (let k = 0; k < nk; k++) key[k] = this.keyExprs[k]!(input);
    const layout = this.layout;
    const row = new Array(layout.length);
    for (let i = 0; i < layout.length; i++) {
      const src = layout[i]!;
      row[i] = src < 0 ? key[-src - 1] : input[src];
    }
    this.downstream({ ...rec, key, row });
  }
}

export const buildSelectKey: OperatorBuilder<SelectKeyStep> = (step, ctx, downstream, build) => {
  const input = step.source.schema;
  const compiler = stepCompiler(input, ctx, 'PARTITION BY');
  const keyExprs = step.keyExpressions.map((e) => compiler.compile(e));
  const layout = new Int32Array(step.schema.columns.length);
  let k = 0;
  step.schema.columns.forEach((c, i) => {
    if (c.role === 'KEY') { layout[i] = -(++k); return; }
    const idx = input.columns.findIndex((x) => x.name === c.name && (c.source === undefined || x.source === c.source));
    layout[i] = idx;
  });
  const inputKeyIdx: number[] = [];
  input.columns.forEach((c, i) => { if (c.role === 'KEY') inputKeyIdx.push(i); });
  const keyOnly = step.keyExpressions.map((e) => columnRefs(e).every((r) => {
    const res = compiler.typer.column(r);
    return res !== undefined && input.columns[res.index]!.role === 'KEY';
  }));
  const op = new SelectKeyOp(keyExprs, layout, inputKeyIdx, input.columns.length, keyOnly, downstream);
  build(step.source, (rec) => op.process(rec));
  return op;
};
