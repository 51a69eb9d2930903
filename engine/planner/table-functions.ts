/**
 * Table functions in the projection (ksqlDB's FlatMapNode): every call of a table function (EXPLODE,
 * CUBE_EXPLODE, user UDTFs) is evaluated by one `streamFlatMapV1` step placed before the projection;
 * the step appends one synthetic column per call (`KSQL_SYNTH_n`) and emits one row per element
 * (several calls are zipped, shorter lists padded with NULL). The projection then reads the synthetic
 * columns instead of the calls, so `EXPLODE(arr)->F1` and `ABS(EXPLODE(arr))` work too.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { RowColumn } from '../analyzer/row-schema.js';
import { ExpressionTyper, literalValue, type ColumnResolution } from '../analyzer/expression-typer.js';
import { rewriteExpression, visitExpression } from '../analyzer/expression-rewrite.js';
import type { ArgShape, FunctionRegistry } from '../functions/types.js';
import type { SqlType } from '../types/sql-type.js';
import type { ExecutionStep, FlatMapStep } from '../physical/steps.js';

export interface TableFunctionPlan {
  readonly step: FlatMapStep;
  /** Types table-function calls of the original projection as their synthetic columns. */
  readonly fallback: (e: A.Expression) => ColumnResolution | undefined;
  /** Replaces the calls by references to their synthetic columns. */
  readonly rewrite: (e: A.Expression) => A.Expression;
}

export const SYNTH_PREFIX = 'KSQL_SYNTH_';

/** Finds the table-function calls of the projection; undefined when there are none. */
export function planTableFunctions(
  items: readonly A.SelectItem[], input: ExecutionStep, functions: FunctionRegistry, isTable: boolean,
): TableFunctionPlan | undefined {
  const calls: A.FunctionCall[] = [];
  const visit = (e: A.Expression) => visitExpression(e, (x) => {
    if (x.kind === 'FunctionCall' && functions.table(x.name)) calls.push(x);
  });
  for (const item of items) {
    if (item.kind === 'SelectColumn') visit(item.expr);
    else if (item.kind === 'SelectStructAll') visit(item.base);
  }
  if (calls.length === 0) return undefined;
  if (isTable) throw new KsqlException('Table functions can only be used on streams, not tables.');

  const typer = new ExpressionTyper(input.schema, { functions, clause: 'SELECT' });
  const base = input.schema.columns.length;
  const synth: RowColumn[] = [];
  const byNode = new Map<A.FunctionCall, number>();
  calls.forEach((call, i) => {
    for (const arg of call.args) {
      visitExpression(arg, (x) => {
        if (x.kind === 'FunctionCall' && functions.table(x.name)) {
          throw new KsqlException(`Table functions cannot be nested: ${call.name}(${x.name}(...))`);
        }
      });
    }
    const type = tableFunctionReturnType(call, typer, functions);
    synth.push({ name: `${SYNTH_PREFIX}${i}`, type, role: 'PSEUDO' });
    byNode.set(call, i);
  });
  const step: FlatMapStep = {
    type: 'streamFlatMapV1',
    id: 'FlatMap',
    schema: { columns: [...input.schema.columns, ...synth] },
    source: input,
    tableFunctions: calls,
  };
  return {
    step,
    fallback: (e) => {
      const i = e.kind === 'FunctionCall' ? byNode.get(e) : undefined;
      return i === undefined ? undefined : { index: base + i, type: synth[i]!.type };
    },
    rewrite: (e) => rewriteExpression(e, (x) => {
      const i = x.kind === 'FunctionCall' ? byNode.get(x) : undefined;
      return i === undefined ? undefined : { kind: 'ColumnRef', name: synth[i]!.name, span: x.span };
    }),
  };
}

/** Argument shapes of a call, typed against the input row. */
export function tableFunctionArgs(call: A.FunctionCall, typer: ExpressionTyper): ArgShape[] {
  return call.args.map((arg): ArgShape => {
    if (arg.kind === 'Lambda') throw new KsqlException(`Table function ${call.name} does not accept lambda arguments.`);
    if (arg.kind === 'IntervalUnit') return { kind: 'timeUnit', unit: arg.unit };
    return { kind: 'value', type: typer.typeOf(arg), literal: literalValue(arg) };
  });
}

function tableFunctionReturnType(call: A.FunctionCall, typer: ExpressionTyper, functions: FunctionRegistry): SqlType {
  const fn = functions.table(call.name)!;
  return fn.resolve(tableFunctionArgs(call, typer)).returnType;
}
