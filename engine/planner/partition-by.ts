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
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { RowColumn } from '../analyzer/row-schema.js';
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
  /** The partitioning expressions as ksqlDB prints them in messages (qualified: `INPUT.ID`), by key column name. */
  readonly keyDescriptions: ReadonlyMap<string, string>;
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
}

export function planPartitionBy(exprs: readonly A.Expression[], input: PartitionByInput): PartitionByPlan {
  if (input.isTable) {
    throw new KsqlException('PARTITION BY is not supported on tables: a table is always partitioned by its PRIMARY KEY. Use GROUP BY to re-key a table.');
  }
  const schema = input.step.schema;
  const typer = new ExpressionTyper(schema, { functions: input.functions, clause: 'PARTITION BY' });
  const types = exprs.map((e) => typeKeyExpression(e, typer, input.selectAliases));

  const isNull = exprs.map((e) => e.kind === 'NullLiteral');
  if (isNull.some(Boolean)) {
    if (exprs.length > 1) throw new KsqlException('Cannot PARTITION BY multiple columns including NULL');
    return byNullPlan(input);
  }

  const sourceKeys = schema.columns.filter((c) => c.role === 'KEY');
  const refs = exprs.map((e) => (e.kind === 'ColumnRef' ? typer.column(e) : undefined));
  const unchanged = exprs.length === sourceKeys.length
    && refs.every((r, i) => r !== undefined && schema.columns[r.index] === sourceKeys[i]);
  const descriptions = new Map<string, string>();

  const taken = new Set(schema.columns.map((c) => c.name));
  const aliases = new ColumnAliasGenerator(taken);
  const names = exprs.map((e) => {
    if (e.kind === 'ColumnRef') return e.name;
    if (e.kind === 'Dereference') return e.field;
    return aliases.nextAlias();
  });
  exprs.forEach((e, i) => {
    descriptions.set(names[i]!, formatExpression(qualifyColumns(e, input.alias)));
    const t = types[i]!;
    if (containsMap(t)) {
      throw new KsqlException(
        `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${names[i]}\`. Column type: ${formatSqlType(t)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`);
    }
  });
  if (unchanged) return { step: input.step, rewrite: (e) => e, keyDescriptions: descriptions, byNull: false };
  if (input.windowed) {
    throw new KsqlException('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.');
  }

  const keyCols: RowColumn[] = names.map((name, i) => ({ name, type: types[i]!, role: 'KEY', source: input.alias }));
  const keyNames = new Set(names);
  const movedValue = new Set<number>();
  refs.forEach((r) => { if (r && schema.columns[r.index]!.role === 'VALUE') movedValue.add(r.index); });
  const values: RowColumn[] = [];
  const pseudo: RowColumn[] = [];
  const oldKeys: RowColumn[] = [];
  schema.columns.forEach((c, i) => {
    if (c.role === 'VALUE') {
      if (!movedValue.has(i) && !keyNames.has(c.name)) values.push(c);
    } else if (c.role === 'KEY') {
      if (!keyNames.has(c.name)) oldKeys.push({ ...c, role: 'VALUE' });
    } else if (!keyNames.has(c.name)) {
      // a key named like a pseudo column (PARTITION BY ROWTIME) replaces it
      pseudo.push(c);
    }
  });
  const step: SelectKeyStep = {
    type: 'streamSelectKeyV1',
    id: 'PartitionBy',
    schema: { columns: [...keyCols, ...values, ...pseudo, ...oldKeys] },
    source: input.step,
    keyExpressions: exprs,
  };
  const byKey = new Map<string, string>();
  exprs.forEach((e, i) => { if (e.kind !== 'ColumnRef') byKey.set(expressionKey(e, input.alias), names[i]!); });
  const rewrite = (e: A.Expression): A.Expression =>
    byKey.size === 0 ? e : rewriteExpression(e, (x) => {
      if (x.kind === 'ColumnRef' || x.kind === 'Lambda') return undefined;
      const name = byKey.get(expressionKey(x, input.alias));
      return name === undefined ? undefined : { kind: 'ColumnRef', name, span: x.span };
    });
  return { step, rewrite, keyDescriptions: descriptions, byNull: false };
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
  const values = schema.columns.filter((c) => c.role === 'VALUE');
  const pseudo = schema.columns.filter((c) => c.role !== 'VALUE' && c.role !== 'KEY');
  const oldKeys = schema.columns.filter((c) => c.role === 'KEY').map((c): RowColumn => ({ ...c, role: 'VALUE' }));
  const step: SelectKeyStep = {
    type: 'streamSelectKeyV1',
    id: 'PartitionBy',
    schema: { columns: [...values, ...pseudo, ...oldKeys] },
    source: input.step,
    keyExpressions: [],
  };
  return { step, rewrite: (e) => e, keyDescriptions: new Map(), byNull: true };
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
