/**
 * The WHERE filter of a transient query over a table: rows that match pass, table deletes pass,
 * and rows that do not match are dropped. (A persistent table filter turns a non-matching update
 * into a delete so that the sink table forgets the key; a push query only shows what matches.)
 */
import type { FilterStep, ExecutionStep } from '../physical/steps.js';
import type { OperatorBuilder } from '../runtime/operator.js';
import { registerOperator } from '../runtime/registry.js';
import { stepCompiler } from '../runtime/expr/compile-for-step.js';

export const TRANSIENT_TABLE_FILTER = 'transientTableFilterV1';

const buildTransientFilter: OperatorBuilder<FilterStep> = (step, ctx, downstream, build) => {
  const predicate = stepCompiler(step.source.schema, ctx, step.clause).compile(step.predicate);
  const op = { process: (rec: Parameters<typeof downstream>[0]) => { if (rec.row === null || predicate(rec.row) === true) downstream(rec); } };
  build(step.source, (rec) => op.process(rec));
  return op;
};

registerOperator(TRANSIENT_TABLE_FILTER, buildTransientFilter);

/** The plan with every table filter replaced by the transient one. */
export function withTransientFilters(step: ExecutionStep): ExecutionStep {
  const s = step as ExecutionStep & { source?: ExecutionStep; sources?: readonly ExecutionStep[] };
  let out: Record<string, unknown> = { ...s };
  if (s.type === 'tableFilterV1') out = { ...out, type: TRANSIENT_TABLE_FILTER };
  if (s.source) out.source = withTransientFilters(s.source);
  if (s.sources) out.sources = s.sources.map(withTransientFilters);
  return out as unknown as ExecutionStep;
}
