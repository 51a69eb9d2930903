/**
 * Pre-join re-keying (ksqlDB's PreJoinRepartitionNode): the record key becomes the value of the
 * join expression; the row is unchanged. A NULL key can never match, so the row is dropped.
 * The re-keyed rows reach the join through the repartition topic (the plan is split here, see
 * subtopology.ts).
 */
import type { JoinRekeyStep } from '../../physical/steps.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';

class JoinRekeyOp implements Operator {
  constructor(private readonly expr: CompiledExpression, private readonly downstream: Downstream) {}

  process(rec: Rec): void {
    if (rec.row === null) return;
    const k = this.expr(rec.row);
    if (k === null || k === undefined) return;
    this.downstream({ ...rec, key: [k] });
  }
}

export const buildJoinRekey: OperatorBuilder<JoinRekeyStep> = (step, ctx, downstream, build) => {
  if (step.keyUnchanged) {
    // repartitioned only for the key format: records, deletes included, keep their key
    const op: Operator = { process: (rec) => downstream(rec) };
    build(step.source, (rec) => op.process(rec));
    return op;
  }
  const expr = stepCompiler(step.source.schema, ctx, 'JOIN ON').compile(step.keyExpression);
  const op = new JoinRekeyOp(expr, downstream);
  build(step.source, (rec) => op.process(rec));
  return op;
};
