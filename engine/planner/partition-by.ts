/**
 * PARTITION BY (ksqlDB's PartitionByParamsFactory): re-keys a stream by expressions over its input
 * rows. The new key columns are named after the expression (a column keeps its name, `a->b` becomes
 * `B`, anything else the next free `KSQL_COL_n`); value columns used as keys leave the value, and
 * the old key columns move into the value. The projection is then planned against the re-keyed
 * schema, with every occurrence of a partitioning expression replaced by its key column.
 *
 * Partitioning by exactly the current key is a no-op (no step, no repartition). Otherwise a
 * `streamSelectKeyV1` step re-keys in-process; the sink's producer partitions by the new key, which
 * is what a Kafka Streams repartition does for a stateless query (ksqlDB creates no internal topic
 * here; stateful steps that need co-partitioning add their own `-repartition` topics).
 *
 * Over a join the input is ksqlDB's join schema, where every column of every source is a value
 * column named `<ALIAS>_<COL>`: per source (in FROM order) its value columns, its pseudo columns
 * (ROWTIME, ROWPARTITION, ROWOFFSET), its key columns and its window bounds. The join key itself is
 * one of those columns, unless it is synthetic (ROWKEY), which then moves into the value like any
 * old key. A column partitioning key is named `<ALIAS>_<COL>` there; the rows keep Sluice's
 * (alias, column) identity so that `L.B` still resolves in the projection.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { RowColumn, RowSchema } from '../analyzer/row-schema.js';
import type { DataSource } from '../catalog/source.js';
import { ColumnResolutionError, ExpressionTyper } from '../analyzer/expression-typer.js';
import { expressionKey, qualifyColumns, rewriteExpression } from '../analyzer/expression-rewrite.js';
import type { FunctionRegistry } from '../functions/types.js';
import { formatExpression } from '../sql/format.js';
import { formatSqlType, type SqlType } from '../types/sql-type.js';
import type { ExecutionStep, SelectKeyStep } from '../physical/steps.js';
import { ColumnAliasGenerator } from './projection.js';

export interface PartitionByPlan {
  /** The re-keyed step (the input step itself when partitioning by the current key). */
  readonly step: ExecutionStep;
  /** Replaces partitioning expressions in projection expressions with references to the key columns. */
  readonly rewrite: (e: A.Expression) => A.Expression;
  /** The partitioning expressions as ksqlDB prints them in messages (qualified: `INPUT.ID`), in key column order. */
  readonly keyDescriptions: readonly string[];
  /** PARTITION BY NULL: the result has no key (key format NONE). */
  readonly byNull: boolean;
}

export interface PartitionByInput {
  readonly step: ExecutionStep;
  readonly alias: string;
  readonly functions: FunctionRegistry;
  readonly isTable: boolean;
  readonly windowed: boolean;
  /** Names given to projection items (for the "must be a column in the source schema" hint). */
  readonly selectAliases: ReadonlySet<string>;
  /** Set when the input is a join's output. */
  readonly join?: JoinPartitionInput;
}

export interface JoinPartitionInput {
  /** The joined sources in FROM order, with their aliases. */
  readonly sources: readonly { readonly alias: string; readonly source: DataSource }[];
  /** The join's synthetic key column (ROWKEY), when the join key matches no source column. */
  readonly syntheticKey?: string;
  /** Expressions whose value is the join key: partitioning by one of them keeps the key. */
  readonly currentKey: readonly A.Expression[];
}

/** A key or value column's name in the result: `<ALIAS>_<COL>` for a source's column of a join. */
export function joinColumnName(c: RowColumn): string {
  return c.source === undefined ? c.name : `${c.source}_${c.name}`;
}

export function planPartitionBy(exprs: readonly A.Expression[], input: PartitionByInput): PartitionByPlan {
  if (input.isTable) {
    throw new KsqlException('PARTITION BY is not supported on tables: a table is always partitioned by its PRIMARY KEY. Use GROUP BY to re-key a table.');
  }
  const schema = input.step.schema;
  const join = input.join;
  const typer = new ExpressionTyper(schema, { functions: input.functions, clause: 'PARTITION BY' });
  const types = exprs.map((e) => typeKeyExpression(e, typer, input.selectAliases));

  const isNull = exprs.map((e) => e.kind === 'NullLiteral');
  if (isNull.some(Boolean)) {
    if (exprs.length > 1) throw new KsqlException('Cannot PARTITION BY multiple columns including NULL');
    return byNullPlan(input);
  }

  const sourceKeys = schema.columns.filter((c) => c.role === 'KEY');
  const refs = exprs.map((e) => (e.kind === 'ColumnRef' ? typer.column(e) : undefined));
  const refCols = refs.map((r) => (r ? schema.columns[r.index]! : undefined));
  // Over a join the key stays the same when partitioning by a column holding the join key.
  const unchanged = join
    ? exprs.length === 1 && join.currentKey.some((k) => sameColumn(k, exprs[0]!, schema))
    : exprs.length === sourceKeys.length && refCols.every((c, i) => c !== undefined && c === sourceKeys[i]);

  // ksqlDB names a column key after the column, and anything else after the expression.
  const display = join ? joinColumnName : (c: RowColumn) => c.name;
  // Over a join an expression's key has no source, so its name must not shadow a source's column.
  const taken = new Set([...schema.columns.map(display), ...(join ? schema.columns.map((c) => c.name) : [])]);
  const aliases = new ColumnAliasGenerator(taken);
  const keyCols: RowColumn[] = exprs.map((e, i): RowColumn => {
    const col = refCols[i];
    if (join && col) return { name: col.name, type: types[i]!, role: 'KEY', ...(col.source !== undefined ? { source: col.source } : {}) };
    if (join && e.kind === 'Dereference') return { name: freeName(e.field, taken), type: types[i]!, role: 'KEY' };
    const name = e.kind === 'ColumnRef' ? e.name : e.kind === 'Dereference' ? e.field : aliases.nextAlias();
    return { name, type: types[i]!, role: 'KEY', ...(join ? {} : { source: input.alias }) };
  });
  const descriptions = exprs.map((e) => formatExpression(join ? qualifyBySchema(e, schema) : qualifyColumns(e, input.alias)));
  exprs.forEach((e, i) => {
    const t = types[i]!;
    if (containsMap(t)) {
      throw new KsqlException(
        `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${display(keyCols[i]!)}\`. Column type: ${formatSqlType(t)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`);
    }
  });
  if (unchanged && !join) return { step: input.step, rewrite: (e) => e, keyDescriptions: descriptions, byNull: false };
  if (input.windowed && !unchanged) {
    throw new KsqlException('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.');
  }

  const step: SelectKeyStep = {
    type: 'streamSelectKeyV1',
    id: 'PartitionBy',
    schema: { columns: [...keyCols, ...(join ? joinValues(schema, join, keyCols) : singleSourceValues(schema, keyCols, refCols))] },
    source: input.step,
    keyExpressions: exprs,
  };
  // Projection expressions equal to a partitioning expression read its key column instead.
  const matchKey = join ? (e: A.Expression) => formatExpression(qualifyBySchema(e, schema)) : (e: A.Expression) => expressionKey(e, input.alias);
  const byKey = new Map<string, RowColumn>();
  exprs.forEach((e, i) => { if (e.kind !== 'ColumnRef') byKey.set(matchKey(e), keyCols[i]!); });
  const rewrite = (e: A.Expression): A.Expression =>
    byKey.size === 0 ? e : rewriteExpression(e, (x) => {
      if (x.kind === 'ColumnRef' || x.kind === 'Lambda') return undefined;
      const key = byKey.get(matchKey(x));
      return key === undefined ? undefined : { kind: 'ColumnRef', name: key.name, span: x.span };
    });
  return { step, rewrite, keyDescriptions: descriptions, byNull: false };
}

/** One source: [new keys, values (minus those now keys), pseudo columns, old keys]. */
function singleSourceValues(schema: RowSchema, keyCols: readonly RowColumn[], refCols: readonly (RowColumn | undefined)[]): RowColumn[] {
  const keyNames = new Set(keyCols.map((k) => k.name));
  const movedValue = new Set(refCols.filter((c) => c !== undefined && c.role === 'VALUE'));
  const values: RowColumn[] = [];
  const pseudo: RowColumn[] = [];
  const oldKeys: RowColumn[] = [];
  for (const c of schema.columns) {
    if (c.role === 'VALUE') {
      if (!movedValue.has(c) && !keyNames.has(c.name)) values.push(c);
    } else if (c.role === 'KEY') {
      if (!keyNames.has(c.name)) oldKeys.push({ ...c, role: 'VALUE' });
    } else if (!keyNames.has(c.name)) {
      // a key named like a pseudo column (PARTITION BY ROWTIME) replaces it
      pseudo.push(c);
    }
  }
  return [...values, ...pseudo, ...oldKeys];
}

/**
 * A join's value columns as ksqlDB lays them out (its sources' schemas with pseudo and key columns
 * copied into the value): per source its values, ROWTIME, ROWPARTITION, ROWOFFSET, its keys and
 * window bounds; then a synthetic join key. Columns that became keys leave the value.
 */
function joinValues(schema: RowSchema, join: JoinPartitionInput, keyCols: readonly RowColumn[]): RowColumn[] {
  const keyNames = new Set(keyCols.map(joinColumnName));
  const out: RowColumn[] = [];
  const add = (c: RowColumn) => { if (!keyNames.has(joinColumnName(c))) out.push({ ...c, role: 'VALUE' }); };
  for (const { alias, source } of join.sources) {
    const keys = new Set(source.schema.columns.filter((c) => c.namespace === 'KEY').map((c) => c.name));
    const own = schema.columns.filter((c) => c.source === alias);
    own.filter((c) => c.role === 'VALUE' && !keys.has(c.name)).forEach(add);
    own.filter((c) => c.role === 'PSEUDO').forEach(add);
    own.filter((c) => keys.has(c.name)).forEach(add);
    own.filter((c) => c.role === 'WINDOW').forEach(add);
  }
  const synthetic = join.syntheticKey === undefined ? undefined : schema.columns.find((c) => c.source === undefined && c.name === join.syntheticKey);
  if (synthetic) add(synthetic);
  return out;
}

/** `name`, or `name_1`, `name_2`, ... when taken. */
function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) if (!taken.has(`${name}_${i}`)) return `${name}_${i}`;
}

/** Qualifies unqualified column references with the one source that has such a column (for messages and matching). */
function qualifyBySchema(e: A.Expression, schema: RowSchema): A.Expression {
  return rewriteExpression(e, (x) => {
    if (x.kind !== 'ColumnRef' || x.source !== undefined) return undefined;
    const owners = new Set(schema.columns.filter((c) => c.name === x.name).map((c) => c.source));
    const [only] = owners;
    return owners.size === 1 && only !== undefined ? { ...x, source: only } : undefined;
  });
}

function sameColumn(a: A.Expression, b: A.Expression, schema: RowSchema): boolean {
  return a.kind === 'ColumnRef' && b.kind === 'ColumnRef'
    && formatExpression(qualifyBySchema(a, schema)) === formatExpression(qualifyBySchema(b, schema));
}

function typeKeyExpression(e: A.Expression, typer: ExpressionTyper, selectAliases: ReadonlySet<string>): SqlType | null {
  try {
    return typer.typeOf(e);
  } catch (err) {
    if (err instanceof ColumnResolutionError && e.kind === 'ColumnRef' && selectAliases.has(e.name) && e.source === undefined) {
      throw new KsqlException(`${err.message} '${e.name}' must be a column in the source schema since PARTITION BY is applied on the input.`);
    }
    throw err;
  }
}

function byNullPlan(input: PartitionByInput): PartitionByPlan {
  const schema = input.step.schema;
  const step: SelectKeyStep = {
    type: 'streamSelectKeyV1',
    id: 'PartitionBy',
    schema: { columns: input.join ? joinValues(schema, input.join, []) : singleSourceValues(schema, [], []) },
    source: input.step,
    keyExpressions: [],
  };
  return { step, rewrite: (e) => e, keyDescriptions: [], byNull: true };
}

function containsMap(t: SqlType | null): boolean {
  if (t === null) return false;
  switch (t.base) {
    case 'MAP': return true;
    case 'ARRAY': return containsMap(t.element);
    case 'STRUCT': return t.fields.some((f) => containsMap(f.type));
    default: return false;
  }
}
