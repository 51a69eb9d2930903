/**
 * Plans a SELECT into physical steps: source → [filter] → select, with the key rules of CSAS/CTAS.
 * Stateful shapes (GROUP BY, windows, joins, PARTITION BY, table functions) are planned by the
 * extensions registered in `query-shapes.ts`; this file keeps the shared skeleton.
 */
import type * as A from '../sql/ast.js';
import { KsqlException, KsqlStatementException } from '../errors/index.js';
import type { MetaStore } from '../catalog/metastore.js';
import type { DataSource, SourceKind, WindowInfo } from '../catalog/source.js';
import type { Column, LogicalSchema } from '../catalog/schema.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { RowColumn, RowSchema } from '../analyzer/row-schema.js';
import { ExpressionTyper } from '../analyzer/expression-typer.js';
import { SYSTEM_COLUMN_NAMES } from '../catalog/schema.js';
import type { ExecutionStep, FilterStep, SelectExpression, SelectStep, SourceStep } from '../physical/steps.js';
import { isAggregateQuery } from './aggregate-analysis.js';
import { planAggregate } from './aggregate-planner.js';
import { formatExpression } from '../sql/format.js';
import { sourceStep } from './source-rows.js';
import { expandSelectItems, type ProjectedColumn } from './projection.js';

export interface PlanContext {
  readonly metaStore: MetaStore;
  readonly functions: FunctionRegistry;
  readonly queryId: string;
  /** The sink name for CSAS/CTAS/INSERT INTO (used in messages); absent for transient queries. */
  readonly sinkName?: string;
  readonly statementText: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface PlannedQuery {
  /** The step producing the result rows (key columns first, then value columns). */
  readonly root: ExecutionStep;
  readonly kind: SourceKind;
  /** Result schema as a logical schema (for the sink / metastore). */
  readonly schema: LogicalSchema;
  readonly sources: readonly DataSource[];
  readonly window?: WindowInfo;
  /** The query as the analyzer rewrote it (qualified, aliased), when errors should quote that form. */
  readonly rewrittenQuery?: A.Query;
}

export function lookupSource(metaStore: MetaStore, name: string, span?: A.Span): DataSource {
  const s = metaStore.getSource(name);
  if (!s) {
    const where = span ? `Line: ${span.line}, Col: ${span.column}: ` : '';
    throw new KsqlException(`${where}${name} does not exist.`);
  }
  return s;
}

export function planQuery(query: A.Query, ctx: PlanContext): PlannedQuery {
  if (query.from.joins.length > 0) throw notYet('JOIN');
  const aggregate = isAggregateQuery(query, ctx.functions);
  if (query.partitionBy) throw notYet('PARTITION BY');

  const source = lookupSource(ctx.metaStore, query.from.source.name, query.from.source.span);
  const alias = query.from.source.alias ?? source.name;
  if (source.kind === 'TABLE' && source.window && ctx.sinkName !== undefined) {
    throw new KsqlException('KSQL does not support persistent queries on windowed tables.');
  }
  let step: ExecutionStep = sourceStep(source, alias, 'KsqlTopic/Source');
  // Aggregating a table retracts old rows: the source materialises the table to know them.
  if (aggregate && source.kind === 'TABLE') step = { ...(step as SourceStep), materialize: true };
  const input = step.schema;

  if (query.where) {
    validatePredicate(query.where, input, ctx, 'WHERE');
    const filter: FilterStep = {
      type: source.kind === 'STREAM' ? 'streamFilterV1' : 'tableFilterV1',
      id: 'WhereFilter', schema: input, source: step, predicate: query.where, clause: 'WHERE',
    };
    step = filter;
  }

  if (aggregate) return planAggregate({ query, source, alias, step, reserved: reservedNames(source) }, ctx);

  const typer = new ExpressionTyper(input, { functions: ctx.functions, clause: 'SELECT' });
  const projected = expandSelectItems(query.select, input, typer, reservedNames(source));
  const select = projectWithKeys(projected, input, typer, source.kind, ctx);
  const selectStep: SelectStep = {
    type: source.kind === 'STREAM' ? 'streamSelectV1' : 'tableSelectV1',
    id: 'Project', schema: select.schema, source: step, selectExpressions: select.expressions,
  };
  return {
    root: selectStep,
    kind: source.kind,
    schema: toLogicalSchema(select.schema),
    sources: [source],
    ...(source.window ? { window: source.window } : {}),
  };
}

function notYet(what: string): KsqlException {
  return new KsqlException(`${what} is not supported yet.`);
}

function reservedNames(source: DataSource): ReadonlySet<string> {
  void source;
  return SYSTEM_COLUMN_NAMES;
}

export function validatePredicate(expr: A.Expression, input: RowSchema, ctx: PlanContext, clause: string): void {
  const typer = new ExpressionTyper(input, { functions: ctx.functions, clause });
  let t;
  try {
    t = typer.typeOf(expr);
  } catch (e) {
    if (e instanceof KsqlException && !(e instanceof KsqlStatementException) && !e.message.includes('cannot be resolved')) {
      throw new KsqlException(`Error in ${clause} expression: ${e.message}`, { cause: e });
    }
    throw e;
  }
  if (t !== null && t.base !== 'BOOLEAN') {
    throw new KsqlException(`Type error in ${clause} expression: Should evaluate to boolean but is ${formatExpression(expr)} (${t.base}) instead.`);
  }
}

interface ProjectionPlan {
  readonly schema: RowSchema;
  readonly expressions: SelectExpression[];
}

/**
 * Splits the projection into key and value columns. Without GROUP BY / PARTITION BY the result key
 * is the source key, which must be selected (possibly aliased) — ksqlDB's "key missing" rule.
 */
function projectWithKeys(
  projected: readonly ProjectedColumn[], input: RowSchema, typer: ExpressionTyper, kind: SourceKind, ctx: PlanContext,
): ProjectionPlan {
  const sourceKeys = input.columns.filter((c) => c.role === 'KEY');
  const keyCols: { col: RowColumn; expr: A.Expression }[] = [];
  const valueCols: { col: RowColumn; expr: A.Expression }[] = [];
  const usedKeys = new Map<string, string>();
  for (const p of projected) {
    const ref = p.expression.kind === 'ColumnRef' ? typer.column(p.expression) : undefined;
    const srcCol = ref ? input.columns[ref.index] : undefined;
    const type = typer.typeOf(p.expression);
    if (type === null) {
      throw new KsqlException(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
    }
    if (srcCol && srcCol.role === 'KEY' && ctx.sinkName !== undefined) {
      const prior = usedKeys.get(srcCol.name);
      if (prior !== undefined) {
        throw new KsqlException(`The projection contains a key column (\`${srcCol.name}\`) more than once, aliased as: ${prior} and ${p.name}.`);
      }
      usedKeys.set(srcCol.name, p.name);
      keyCols.push({ col: { name: p.name, type, role: 'KEY' }, expr: p.expression });
    } else {
      valueCols.push({ col: { name: p.name, type, role: 'VALUE' }, expr: p.expression });
    }
  }
  if (ctx.sinkName !== undefined) {
    const missing = sourceKeys.filter((k) => !usedKeys.has(k.name));
    if (missing.length > 0) {
      // ksqlDB names every key column, not only the missing ones.
      const names = sourceKeys.map((m) => m.name);
      const list = names.length === 1 ? `key column ${names[0]}` : `key columns ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      throw new KsqlException(
        `Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${ctx.sinkName}\` must include the ${list} in its projection (eg, SELECT ${names.join(', ')}...).`,
      );
    }
    if (valueCols.length === 0) throw new KsqlException('The projection contains no value columns.');
  }
  void kind;
  const ordered = [...keyCols, ...valueCols];
  return {
    schema: { columns: ordered.map((o) => o.col) },
    expressions: ordered.map((o) => ({ alias: o.col.name, expression: o.expr })),
  };
}

export function toLogicalSchema(rows: RowSchema): LogicalSchema {
  const columns: Column[] = rows.columns
    .filter((c) => c.role === 'KEY' || c.role === 'VALUE')
    .map((c) => ({ name: c.name, type: c.type, namespace: c.role === 'KEY' ? 'KEY' : 'VALUE' }));
  return { columns };
}
