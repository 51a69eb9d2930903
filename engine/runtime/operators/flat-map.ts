/**
 * Table functions (ksqlDB's KudtfFlatMapper): for each input row, evaluates every table function and
 * emits max(list lengths) rows, each the input row plus one element per function (NULL past the end of
 * a shorter list). A function or argument that throws is logged to the processing log and contributes
 * no rows, as in ksqlDB; stream records without a value produce nothing.
 */
import type { FlatMapStep } from '../../physical/steps.js';
import type * as A from '../../sql/ast.js';
import { KsqlException } from '../../errors/index.js';
import type { ResolvedTableFunction } from '../../functions/types.js';
import { tableFunctionArgs } from '../../planner/table-functions.js';
import type { Downstream, Operator, OperatorBuilder, TaskContext } from '../operator.js';
import type { Rec } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';
import { errorMessage } from '../processing-log.js';
import { formatExpression } from '../../sql/format.js';

interface Applier {
  readonly name: string;
  readonly args: readonly CompiledExpression[];
  readonly fn: ResolvedTableFunction;
}

class FlatMapOp implements Operator {
  private readonly lists: (readonly unknown[])[];

  constructor(
    private readonly appliers: readonly Applier[],
    private readonly width: number,
    private readonly ctx: TaskContext,
    private readonly downstream: Downstream,
  ) {
    this.lists = new Array(appliers.length);
  }

  process(rec: Rec): void {
    const input = rec.row;
    if (input === null) return;
    const n = this.appliers.length;
    let max = 0;
    for (let f = 0; f < n; f++) {
      const list = this.apply(this.appliers[f]!, input);
      this.lists[f] = list;
      if (list.length > max) max = list.length;
    }
    const width = this.width;
    for (let i = 0; i < max; i++) {
      const row = new Array(width + n);
      for (let c = 0; c < width; c++) row[c] = input[c];
      for (let f = 0; f < n; f++) {
        const list = this.lists[f]!;
        row[width + f] = i < list.length ? (list[i] ?? null) : null;
      }
      this.downstream({ ...rec, row });
    }
  }

  private apply(a: Applier, row: unknown[]): readonly unknown[] {
    const args = new Array(a.args.length);
    try {
      for (let i = 0; i < args.length; i++) args[i] = a.args[i]!(row);
    } catch (e) {
      this.log(`Failed to evaluate table function parameter of ${a.name}: ${errorMessage(e)}`);
      return [];
    }
    try {
      const out = a.fn.invoke(...args);
      if (out === null || out === undefined) {
        this.log(`Table function ${a.name} returned null. This is invalid. Please check the function implementation.`);
        return [];
      }
      return out;
    } catch (e) {
      this.log(`Table function ${a.name} threw an exception: ${errorMessage(e)}`);
      return [];
    }
  }

  private log(message: string): void {
    this.ctx.processingLog.log({ queryId: this.ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message });
  }
}

export const buildFlatMap: OperatorBuilder<FlatMapStep> = (step, ctx, downstream, build) => {
  const input = step.source.schema;
  const compiler = stepCompiler(input, ctx);
  const appliers = step.tableFunctions.map((e): Applier => {
    if (e.kind !== 'FunctionCall') throw new KsqlException(`Not a table function call: ${formatExpression(e)}`);
    const call = e as A.FunctionCall;
    const fnFamily = ctx.functions.table(call.name);
    if (!fnFamily) throw new KsqlException(`Can't find any functions with the name '${call.name}'`);
    const fn = fnFamily.resolve(tableFunctionArgs(call, compiler.typer));
    const args = call.args.map((arg, i) => {
      const target = fn.argTypes[i];
      // compiled without an error handler: a failing argument drops the record's rows (see apply)
      return compiler.compileRaw(arg, target);
    });
    return { name: call.name, args, fn };
  });
  const op = new FlatMapOp(appliers, input.columns.length, ctx, downstream);
  build(step.source, (rec) => op.process(rec));
  return op;
};
