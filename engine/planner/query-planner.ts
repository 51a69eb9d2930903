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
import { ExpressionTyper, type TyperOptions } from '../analyzer/expression-typer.js';
import { SYSTEM_COLUMN_NAMES } from '../catalog/schema.js';
import type { ExecutionStep, FilterStep, SelectExpression, SelectStep, SourceStep } from '../physical/steps.js';
import { isAggregateQuery } from './aggregate-analysis.js';
import { planAggregate } from './aggregate-planner.js';
import { planJoinQuery } from './join-planner.js';
import { formatExpression } from '../sql/format.js';
import { sourceStep } from './source-rows.js';
import { expandSelectItems, type ProjectedColumn } from './projection.js';
import { planPartitionBy, type PartitionByPlan } from './partition-by.js';
import { planTableFunctions } from './table-functions.js';

export interface PlanContext {
  readonly metaStore: MetaStore;
  readonly functions: FunctionRegistry;
  readonly queryId: string;
  /** The sink name for CSAS/CTAS/INSERT INTO (used in messages); absent for transient queries. */
  readonly sinkName?: string;
  readonly statementText: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** WITH (TIMESTAMP=...) of a CSAS/CTAS, checked against the projection before the key rules (as ksqlDB does). */
  readonly sinkTimestampColumn?: string;
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
  /** Joined inputs that must be co-partitioned (checked against the topics when the query starts). */
  readonly copartition?: readonly CopartitionCheck[];
  /** PARTITION BY NULL: the result has no key, so its key format defaults to NONE. */
  readonly keyless?: boolean;
}

export interface CopartitionCheck {
  readonly left: string;
  readonly leftTopic: string;
  readonly right: string;
  readonly rightTopic: string;
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
  if (query.from.joins.length > 0) return planJoinQuery(query, ctx);
  const aggregate = isAggregateQuery(query, ctx.functions);

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

  if (aggregate) return planAggregate({ query, source, alias, step, reserved: ctx.sinkName === undefined ? new Set<string>() : reservedNames(source) }, ctx);

  let selectItems = query.select;
  let partitioning: PartitionByPlan | undefined;
  if (query.partitionBy) {
    partitioning = planPartitionBy(query.partitionBy, {
      step, alias, functions: ctx.functions, isTable: source.kind === 'TABLE', windowed: source.window !== undefined,
      selectAliases: selectAliasNames(query.select),
    });
    step = partitioning.step;
    selectItems = rewriteSelectItems(query.select, partitioning.rewrite);
  }
  const tableFunctions = planTableFunctions(selectItems, step, ctx.functions, source.kind === 'TABLE');
  if (tableFunctions) step = tableFunctions.step;
  const projectionInput = step.schema;
  const typer = new ExpressionTyper(projectionInput, {
    functions: ctx.functions, clause: 'SELECT', ...(tableFunctions ? { fallback: tableFunctions.fallback } : {}),
  });
  // Transient queries may select pseudo columns and window bounds by name (SELECT ROWTIME, * ...).
  const reserved = ctx.sinkName === undefined ? new Set<string>() : reservedNames(source);
  let projected = expandSelectItems(selectItems, projectionInput, typer, reserved);
  if (tableFunctions) projected = projected.map((p) => ({ ...p, expression: tableFunctions.rewrite(p.expression) }));
  const select = projectWithKeys(projected, projectionInput, typer, source.kind, ctx,
    partitioning ? { partitionKeys: partitioning.keyDescriptions } : {});
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
    ...(partitioning?.byNull ? { keyless: true } : {}),
  };
}

export function selectAliasNames(items: readonly A.SelectItem[]): Set<string> {
  const out = new Set<string>();
  for (const i of items) if (i.kind === 'SelectColumn' && i.alias !== undefined) out.add(i.alias);
  return out;
}

/** Applies a rewrite to every projection expression (PARTITION BY replaces its expressions by key columns). */
export function rewriteSelectItems(items: readonly A.SelectItem[], rewrite: (e: A.Expression) => A.Expression): A.SelectItem[] {
  return items.map((i) => {
    if (i.kind === 'SelectColumn') {
      const expr = rewrite(i.expr);
      return expr === i.expr ? i : { ...i, expr };
    }
    if (i.kind === 'SelectStructAll') return { ...i, base: rewrite(i.base) };
    return i;
  });
}

function reservedNames(source: DataSource): ReadonlySet<string> {
  void source;
  return SYSTEM_COLUMN_NAMES;
}

/**
 * Types a WHERE/HAVING predicate as written (ksqlDB's FilterTypeValidator): type errors carry the
 * clause prefix and name the user's expressions. `fallback` resolves what the input row lacks — for
 * HAVING, aggregate calls and window bounds — so errors say `SUM(VALUE)`, not an internal column.
 */
export function validatePredicate(
  expr: A.Expression, input: RowSchema, ctx: PlanContext, clause: string, fallback?: TyperOptions['fallback'],
): void {
  const typer = new ExpressionTyper(input, { functions: ctx.functions, clause, ...(fallback ? { fallback } : {}) });
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

export interface KeyOptions {
  /** PARTITION BY: the partitioning expressions as messages print them, in key column order. */
  readonly partitionKeys?: readonly string[];
  /** How messages name a key column (a join's columns are `<ALIAS>_<COL>`). */
  readonly keyName?: (c: RowColumn) => string;
}

interface ProjectionPlan {
  readonly schema: RowSchema;
  readonly expressions: SelectExpression[];
}

/**
 * Splits the projection into key and value columns. Without GROUP BY / PARTITION BY the result key
 * is the source key, which must be selected (possibly aliased) — ksqlDB's "key missing" rule.
 */
export function projectWithKeys(
  projected: readonly ProjectedColumn[], input: RowSchema, typer: ExpressionTyper, kind: SourceKind, ctx: PlanContext,
  options: KeyOptions = {},
): ProjectionPlan {
  const { partitionKeys, keyName = (c: RowColumn) => c.name } = options;
  const sourceKeys = input.columns.filter((c) => c.role === 'KEY');
  const keyCols: { col: RowColumn; expr: A.Expression; order: number }[] = [];
  const valueCols: { col: RowColumn; expr: A.Expression }[] = [];
  const usedKeys = new Map<RowColumn, string>();
  for (const p of projected) {
    const type = typer.typeOf(p.expression);
    const ref = p.expression.kind === 'ColumnRef' ? typer.column(p.expression) : undefined;
    const srcCol = ref ? input.columns[ref.index] : undefined;
    if (type === null) {
      throw new KsqlException(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
    }
    if (srcCol && srcCol.role === 'KEY' && ctx.sinkName !== undefined) {
      const prior = usedKeys.get(srcCol);
      if (prior !== undefined) {
        throw new KsqlException(`The projection contains a key column (\`${keyName(srcCol)}\`) more than once, aliased as: ${prior} and ${p.name}.`);
      }
      usedKeys.set(srcCol, p.name);
      keyCols.push({ col: { name: p.name, type, role: 'KEY' }, expr: p.expression, order: sourceKeys.indexOf(srcCol) });
    } else {
      valueCols.push({ col: { name: p.name, type, role: 'VALUE' }, expr: p.expression });
    }
  }
  const newPlanner = String(ctx.properties['ksql.new.query.planner.enabled'] ?? 'false') === 'true';
  if (ctx.sinkName !== undefined) {
    const timestampColumn = ctx.sinkTimestampColumn;
    if (timestampColumn !== undefined && !projected.some((p) => p.name === timestampColumn)) {
      throw new KsqlException(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${timestampColumn}'`);
    }
    const missing = sourceKeys.filter((k) => !usedKeys.has(k));
    // The new planner lets a projection drop the key (the result is then keyless).
    if (missing.length > 0 && !newPlanner) {
      // ksqlDB names every key column (or partitioning expression) the query needs, not only the missing ones
      const names = sourceKeys.map((m, i) => partitionKeys?.[i] ?? keyName(m));
      const what = partitionKeys ? 'partitioning expression' : 'key column';
      const list = names.length === 1 ? `${what} ${names[0]}` : `${what}s ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      const plural = names.length === 1 ? '' : 's';
      throw new KsqlException(
        `Key${plural} missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${ctx.sinkName}\` must include the ${list} in its projection (eg, SELECT ${names.join(', ')}...).`,
      );
    }
    if (valueCols.length === 0) throw new KsqlException('The projection contains no value columns.');
  }
  void kind;
  // The default (old) planner keeps the source's key order; the new planner the projection's.
  if (!newPlanner) keyCols.sort((a, b) => a.order - b.order);
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
