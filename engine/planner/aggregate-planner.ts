/**
 * Plans aggregate queries (GROUP BY, WINDOW, HAVING) as ksqlDB does:
 *
 *   source → [WHERE] → GroupBy (re-key; a repartition when the key changes)
 *          → Aggregate (state store; windowed or not; over a table it retracts old rows)
 *          → [HAVING filter] → Project (final key and value columns)
 *
 * The aggregate step emits [grouping values, aggregate results, (WINDOWSTART, WINDOWEND)];
 * SELECT and HAVING are rewritten against that layout: grouped sub-expressions become references
 * to grouping columns and aggregate calls references to their result columns.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { DataSource, WindowInfo } from '../catalog/source.js';
import type { RowColumn, RowSchema } from '../analyzer/row-schema.js';
import { ExpressionTyper, literalValue, type ColumnResolution } from '../analyzer/expression-typer.js';
import type { AggregateStep, ExecutionStep, FilterStep, GroupByStep, SelectStep, WindowSpec } from '../physical/steps.js';
import { SqlTypes, type SqlType } from '../types/sql-type.js';
import { formatExpression } from '../sql/format.js';
import type { ArgShape } from '../functions/types.js';
import { AggregateAnalyzer, checkGroupBy, ExpressionKeys, WINDOW_BOUNDS } from './aggregate-analysis.js';
import { expandSelectItems } from './projection.js';
import { mapChildren, walk } from './expression-walk.js';
import { validatePredicate, type PlanContext, type PlannedQuery } from './query-planner.js';

const DAY_MS = 86_400_000;

export const GROUP_COLUMN_PREFIX = 'KSQL_INTERNAL_GB_';
export const AGG_COLUMN_PREFIX = 'KSQL_AGG_VARIABLE_';

export interface AggregateInput {
  readonly query: A.Query;
  readonly source: DataSource;
  readonly alias: string;
  /** Source step, with the WHERE filter applied. */
  readonly step: ExecutionStep;
  readonly reserved: ReadonlySet<string>;
}

export function windowSpec(w: A.WindowExpression, emitFinal: boolean): WindowSpec {
  const legacyGrace = (size: number) => (emitFinal ? 0 : Math.max(DAY_MS - size, 0));
  switch (w.kind) {
    case 'TumblingWindow': {
      const size = w.size.millis;
      const grace = w.grace?.millis ?? legacyGrace(size);
      return { type: 'TUMBLING', sizeMs: size, advanceMs: size, graceMs: grace, retentionMs: Math.max(w.retention?.millis ?? 0, size + grace) };
    }
    case 'HoppingWindow': {
      const size = w.size.millis;
      const grace = w.grace?.millis ?? legacyGrace(size);
      if (w.advance.millis <= 0 || w.advance.millis > size) {
        throw new KsqlException(`Window advance must be positive and not larger than the window size: ${w.advance.millis}ms vs ${size}ms`);
      }
      return { type: 'HOPPING', sizeMs: size, advanceMs: w.advance.millis, graceMs: grace, retentionMs: Math.max(w.retention?.millis ?? 0, size + grace) };
    }
    case 'SessionWindow': {
      const gap = w.gap.millis;
      const grace = w.grace?.millis ?? legacyGrace(gap);
      return { type: 'SESSION', gapMs: gap, graceMs: grace, retentionMs: Math.max(w.retention?.millis ?? 0, gap + grace) };
    }
  }
}

function keyList(names: readonly string[], singular: string, plural: string): string {
  if (names.length === 1) return `${singular} ${names[0]}`;
  return `${plural} ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function nameList(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function planAggregate(input: AggregateInput, ctx: PlanContext): PlannedQuery {
  const { query, source, alias } = input;
  const inputSchema = input.step.schema;
  const functions = ctx.functions;
  if (source.kind === 'TABLE' && source.window) throw new KsqlException('KSQL does not support persistent queries on windowed tables.');
  const emitFinal = query.emit === 'FINAL';
  if (emitFinal && !query.window) {
    throw new KsqlException('EMIT FINAL is only supported for windowed aggregations.');
  }
  if (source.valueFormat.format === 'KAFKA' && query.groupBy) {
    throw new KsqlException(`Source(s) ${source.name} are using the 'KAFKA' value format. This format does not yet support GROUP BY.`);
  }
  const groupBy = query.groupBy ?? [];
  checkGroupBy(groupBy, functions);
  const keys = new ExpressionKeys(inputSchema);
  const keyIsSourceKey = source.kind === 'STREAM' && isSourceKey(groupBy, inputSchema, keys);
  // A windowed stream grouped by its key aggregates per key and window and stays windowed;
  // grouping it by anything else would need a repartition, which ksqlDB refuses.
  const sourceWindow = source.window && !query.window ? source.window : undefined;
  if (source.window && source.kind === 'STREAM' && !keyIsSourceKey) {
    throw new KsqlException('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.');
  }
  const windowed = query.window !== undefined || sourceWindow !== undefined;

  const plainTyper = new ExpressionTyper(inputSchema, { functions, clause: 'GROUP BY' });
  const groupTypes: SqlType[] = groupBy.map((g) => {
    const t = plainTyper.typeOf(g);
    if (t === null) throw new KsqlException(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
    return t;
  });

  // Typing SELECT/HAVING against the input: aggregate calls and window bounds resolve to their result types.
  const resolvedAggregates = new Map<string, ReturnType<typeof resolveAggregate>>();
  const typerRef: { typer?: ExpressionTyper } = {};
  const fallback = (e: A.Expression): ColumnResolution | undefined => {
    if (e.kind === 'ColumnRef' && WINDOW_BOUNDS.has(e.name) && windowed) return { index: -1, type: SqlTypes.BIGINT };
    if (e.kind === 'FunctionCall' && functions.aggregate(e.name)) {
      for (const a of e.args) {
        for (const n of walk(a)) if (n.kind === 'FunctionCall' && functions.aggregate(n.name)) {
          throw new KsqlException(`Aggregate functions can not be nested: ${e.name}(${n.name}())`);
        }
      }
      const k = keys.key(e);
      let r = resolvedAggregates.get(k);
      if (!r) resolvedAggregates.set(k, (r = resolveAggregate(e, typerRef.typer!, ctx)));
      return { index: -1, type: r.returnType };
    }
    return undefined;
  };
  const analyzerTyper = new ExpressionTyper(inputSchema, { functions, clause: 'SELECT', fallback });
  typerRef.typer = analyzerTyper;
  const projected = expandSelectItems(query.select, inputSchema, analyzerTyper, input.reserved);

  const analyzer = new AggregateAnalyzer(groupBy, keys, functions, windowed);
  const analysis = analyzer.analyze(projected.map((p) => p.expression), query.having, query.groupBy !== undefined);
  // HAVING is type-checked as written, so errors name SUM(VALUE) rather than the aggregate's column.
  if (query.having) validatePredicate(query.having, inputSchema, ctx, 'HAVING', fallback);

  // Aggregate calls: resolved against the input rows (HAVING-only ones too).
  const aggTypes: SqlType[] = [];
  const noUndo: string[] = [];
  for (const call of analysis.aggregates) {
    const k = keys.key(call);
    let r = resolvedAggregates.get(k);
    if (!r) resolvedAggregates.set(k, (r = resolveAggregate(call, analyzerTyper, ctx)));
    aggTypes.push(r.returnType);
    if (source.kind === 'TABLE' && !r.undo && !noUndo.includes(call.name)) noUndo.push(call.name);
    if (source.valueFormat.format === 'DELIMITED' && hasNested(r.aggregateType)) {
      throw new KsqlException('One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.');
    }
  }
  if (noUndo.length > 0) {
    throw new KsqlException(`The aggregation function${noUndo.length > 1 ? 's' : ''} ${nameList(noUndo)} cannot be applied to a table source, only to a stream source.`);
  }

  // Output key and value columns.
  const persistent = ctx.sinkName !== undefined;
  const keyNames: (string | undefined)[] = groupBy.map(() => undefined);
  const values: { name: string; expr: A.Expression }[] = [];
  for (const p of projected) {
    const gi = analyzer.groupIndex(p.expression);
    if (gi !== undefined && keyNames[gi] === undefined) {
      keyNames[gi] = p.name;
      continue;
    }
    if (gi !== undefined && persistent) {
      throw new KsqlException(`The projection contains a key column more than once: \`${keyNames[gi]}\` and \`${p.name}\`.`);
    }
    values.push({ name: p.name, expr: p.expression });
  }
  if (persistent) {
    const missing = groupBy.filter((_g, i) => keyNames[i] === undefined).map((g) => formatExpression(g));
    if (missing.length > 0) {
      throw new KsqlException(
        `The query used to build \`${ctx.sinkName}\` must include the ${keyList(missing, 'grouping expression', 'grouping expressions')} in its projection (eg, SELECT ${missing.join(', ')}...).`);
    }
    if (values.length === 0) throw new KsqlException('The projection contains no value columns.');
  }

  // Steps.
  const groupStep: GroupByStep = {
    type: source.kind === 'TABLE' ? 'tableGroupByV1' : keyIsSourceKey ? 'streamGroupByKeyV1' : 'streamGroupByV1',
    id: 'Aggregate-GroupBy',
    schema: inputSchema,
    source: input.step,
    groupByExpressions: groupBy,
    ...(keyIsSourceKey ? {} : { repartitionTopic: internalTopic(ctx, 'Aggregate-GroupBy-repartition') }),
  };
  const spec = query.window ? windowSpec(query.window, emitFinal) : undefined;
  const aggColumns: RowColumn[] = [
    ...groupTypes.map((t, i): RowColumn => ({ name: `${GROUP_COLUMN_PREFIX}${i}`, type: t, role: 'KEY' })),
    ...aggTypes.map((t, i): RowColumn => ({ name: `${AGG_COLUMN_PREFIX}${i}`, type: t, role: 'VALUE' })),
    ...(windowed ? [
      { name: 'WINDOWSTART', type: SqlTypes.BIGINT, role: 'WINDOW' as const, source: alias },
      { name: 'WINDOWEND', type: SqlTypes.BIGINT, role: 'WINDOW' as const, source: alias },
    ] : []),
  ];
  const aggStep: AggregateStep = {
    type: source.kind === 'TABLE' ? 'tableAggregateV1' : query.window ? 'streamWindowedAggregateV1' : 'streamAggregateV1',
    id: 'Aggregate-Aggregate',
    schema: { columns: aggColumns },
    source: groupStep,
    aggregations: analysis.aggregates,
    ...(spec ? { window: spec } : {}),
    ...(emitFinal ? { emitFinal: true } : {}),
    ...(query.having ? { sendOldValues: true } : {}),
    ...(sourceWindow ? { windowedSource: true } : {}),
    storeName: 'Aggregate-Aggregate-Materialize',
  };
  if (source.kind === 'TABLE' && windowed) throw new KsqlException('Windowed aggregations are only supported on streams.');

  const rewrite = (e: A.Expression): A.Expression => {
    const gi = analyzer.groupIndex(e);
    if (gi !== undefined) return { kind: 'ColumnRef', name: `${GROUP_COLUMN_PREFIX}${gi}`, span: e.span };
    if (e.kind === 'FunctionCall' && functions.aggregate(e.name)) {
      const ai = analysis.aggregateKeys.get(keys.key(e))!;
      return { kind: 'ColumnRef', name: `${AGG_COLUMN_PREFIX}${ai}`, span: e.span };
    }
    if (e.kind === 'ColumnRef' && WINDOW_BOUNDS.has(e.name)) return { kind: 'ColumnRef', name: e.name, span: e.span };
    return mapChildren(e, rewrite);
  };

  let step: ExecutionStep = aggStep;
  const aggSchema: RowSchema = aggStep.schema;
  if (query.having) {
    const predicate = rewrite(query.having);
    const filter: FilterStep = { type: 'tableFilterV1', id: 'Aggregate-HavingFilter', schema: aggSchema, source: step, predicate, clause: 'HAVING' };
    step = filter;
  }

  const projectTyper = new ExpressionTyper(aggSchema, { functions, clause: 'SELECT' });
  const outColumns: RowColumn[] = [];
  const outExprs: { alias: string; expression: A.Expression }[] = [];
  groupBy.forEach((g, i) => {
    if (keyNames[i] === undefined) return;
    outColumns.push({ name: keyNames[i]!, type: groupTypes[i]!, role: 'KEY' });
    outExprs.push({ alias: keyNames[i]!, expression: { kind: 'ColumnRef', name: `${GROUP_COLUMN_PREFIX}${i}`, span: g.span } });
  });
  for (const v of values) {
    const expression = rewrite(v.expr);
    const type = projectTyper.typeOf(expression);
    if (type === null) throw new KsqlException(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
    outColumns.push({ name: v.name, type, role: 'VALUE' });
    outExprs.push({ alias: v.name, expression });
  }
  const project: SelectStep = {
    type: 'tableSelectV1', id: 'Aggregate-Project', schema: { columns: outColumns }, source: step, selectExpressions: outExprs,
  };
  const window: WindowInfo | undefined = spec
    ? (spec.type === 'SESSION' ? { type: 'SESSION' } : { type: spec.type, sizeMs: spec.sizeMs! })
    : sourceWindow;
  // The statement as ksqlDB's analyzer rewrites it (qualified columns, aliased projection), for messages.
  const qualify = (e: A.Expression): A.Expression => {
    if (e.kind === 'ColumnRef') {
      const i = keys.columnIndex(e);
      const src = i >= 0 ? inputSchema.columns[i]!.source : undefined;
      return e.source === undefined && src !== undefined ? { ...e, source: src } : e;
    }
    return mapChildren(e, qualify);
  };
  const rewrittenQuery: A.Query = {
    ...query,
    select: projected.map((p) => ({ kind: 'SelectColumn', expr: qualify(p.expression), alias: p.name, span: p.expression.span })),
    from: { ...query.from, source: { ...query.from.source, alias } },
    ...(query.where ? { where: qualify(query.where) } : {}),
    ...(query.groupBy ? { groupBy: query.groupBy.map(qualify) } : {}),
    ...(query.having ? { having: qualify(query.having) } : {}),
    emit: query.emit ?? 'CHANGES',
  };
  return {
    root: project,
    rewrittenQuery,
    kind: 'TABLE',
    schema: { columns: outColumns.map((c) => ({ name: c.name, type: c.type, namespace: c.role === 'KEY' ? 'KEY' : 'VALUE' })) },
    sources: [source],
    ...(window ? { window } : {}),
  };
}

function resolveAggregate(call: A.FunctionCall, typer: ExpressionTyper, ctx: PlanContext) {
  const fn = ctx.functions.aggregate(call.name)!;
  const shapes: ArgShape[] = call.args.map((a) => ({ kind: 'value', type: typer.typeOf(a), literal: literalValue(a) }));
  return fn.resolve(shapes, call.args.map(literalValue), {
    config: ctx.properties,
    argText: (i) => formatExpression(call.args[i]!),
  });
}

function hasNested(t: SqlType): boolean {
  return t.base === 'ARRAY' || t.base === 'MAP' || t.base === 'STRUCT';
}

/** GROUP BY naming exactly the source's key columns, in order: no repartition needed. */
function isSourceKey(groupBy: readonly A.Expression[], schema: RowSchema, keys: ExpressionKeys): boolean {
  const keyCols = schema.columns.map((c, i) => ({ c, i })).filter((x) => x.c.role === 'KEY');
  if (keyCols.length === 0 || keyCols.length !== groupBy.length) return false;
  return groupBy.every((g, i) => g.kind === 'ColumnRef' && keys.columnIndex(g) === keyCols[i]!.i);
}

function internalTopic(ctx: PlanContext, suffix: string): string {
  const serviceId = String(ctx.properties['ksql.service.id'] ?? 'default_');
  return `_confluent-ksql-${serviceId}query_${ctx.queryId}-${suffix}`;
}
