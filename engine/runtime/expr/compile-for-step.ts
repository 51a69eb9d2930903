/** Compiles a step's expressions against the schema of the rows it receives. */
import type { Expression } from '../../sql/ast.js';
import { ExpressionTyper } from '../../analyzer/expression-typer.js';
import type { RowSchema } from '../../analyzer/row-schema.js';
import { formatExpression } from '../../sql/format.js';
import type { SqlType } from '../../types/sql-type.js';
import type { TaskContext } from '../operator.js';
import { errorMessage } from '../processing-log.js';
import { ExpressionCompiler, type CompiledExpression } from './compiler.js';

export interface StepCompiler {
  readonly typer: ExpressionTyper;
  /** Compiles an expression that logs errors to the processing log and yields null (ksqlDB semantics). */
  compile(expr: Expression, targetType?: SqlType): CompiledExpression;
  /** Compiles an expression whose evaluation errors propagate to the caller. */
  compileRaw(expr: Expression, targetType?: SqlType): CompiledExpression;
}

export function stepCompiler(input: RowSchema, ctx: TaskContext, clause?: string): StepCompiler {
  const typer = new ExpressionTyper(input, { functions: ctx.functions, clause });
  const onError = (e: unknown, text: string) =>
    ctx.processingLog.log({
      queryId: ctx.queryId,
      type: 'RECORD_PROCESSING_ERROR',
      message: `Error computing expression ${text}: ${errorMessage(e)}`,
    });
  return {
    typer,
    compile(expr, targetType) {
      return new ExpressionCompiler(typer).compile(expr, { onError, text: formatExpression(expr), targetType });
    },
    compileRaw(expr, targetType) {
      return new ExpressionCompiler(typer).compile(expr, targetType ? { targetType } : {});
    },
  };
}
