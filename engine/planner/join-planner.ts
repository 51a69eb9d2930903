/**
 * Plans FROM clauses with joins (ksqlDB's JoinNode / PreJoinRepartitionNode): n-way joins are
 * left-deep, each join combining the inputs so far with one more source.
 *
 * Row layout of a key join: [join key, ...left row, ...right row]. Every source keeps its columns
 * (key, value, pseudo and window columns, tagged with the source alias), so `alias.col` resolves
 * anywhere above the join. A side whose join expression is not its key is re-keyed first
 * (`joinRekeyV1`); sides whose key format needs it are repartitioned on their key (`repartitions`).
 * Foreign-key table-table joins keep the left table's key: [...left, ...right].
 *
 * The result key is the join expression. When a join expression is a plain column (and the join
 * is not FULL OUTER), the projection must select one of those "viable" columns, which becomes the
 * key column; otherwise a synthetic key column (ROWKEY, or ROWKEY_n if taken) must be selected.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { DataSource, FormatInfo, SourceKind, WindowInfo } from '../catalog/source.js';
import type { RowColumn, RowSchema } from '../analyzer/row-schema.js';
import { ExpressionTyper } from '../analyzer/expression-typer.js';
import { formatSqlType, sqlTypeEquals, type SqlType } from '../types/sql-type.js';
import { formatExpression } from '../sql/format.js';
import type { ExecutionStep, FilterStep, JoinKind, JoinRekeyStep, JoinStep } from '../physical/steps.js';
import { lookupSource, type CopartitionCheck, type PlanContext, type PlannedQuery } from './query-planner.js';
import { sourceRowSchema, sourceStep } from './source-rows.js';
import { analyzeCriteria, joinTypeText, type AliasColumns, type JoinCriteria } from './join-criteria.js';
import { structuralKey } from './expression-walk.js';
import { projectJoin, type JoinKeyInfo } from './join-projection.js';
import { selectAliasNames, validatePredicate } from './query-planner.js';
import { planPartitionBy, type PartitionByPlan } from './partition-by.js';
import { isAggregateQuery } from './aggregate-analysis.js';
import { planAggregate } from './aggregate-planner.js';
import { SYSTEM_COLUMN_NAMES } from '../catalog/schema.js';

/** One input of a join: a source, or the joins before it. */
interface JoinInput {
  readonly step: ExecutionStep;
  readonly kind: SourceKind;
  readonly aliases: readonly string[];
  /** Name used in messages (the first source's alias). */
  readonly name: string;
  /** Expressions whose value is the record key (qualified), empty for a multi-column key. */
  readonly keyExprs: readonly A.Expression[];
  /** Viable key columns: plain column references whose value is the key. */
  readonly candidates: readonly A.ColumnRef[];
  readonly window?: WindowInfo;
  readonly topic: string;
  /** For a single table source: its key columns. */
  readonly tableKeys?: readonly A.ColumnRef[];
  /** For FK joins: the left table's key columns (qualified), which stay the result key. */
  readonly fkKeys?: readonly A.ColumnRef[];
  /** Synthetic key column name, when the key matches no source column. */
  readonly synthetic?: string;
  /** Format of the record key (the source's, or the join's for the joins so far). */
  readonly keyFormat: FormatInfo;
  /** The input is a source (not the joins before it). */
  readonly isSource: boolean;
}

export interface SourceEntry {
  readonly alias: string;
  readonly source: DataSource;
}

export function planJoinQuery(query: A.Query, ctx: PlanContext): PlannedQuery {
  const entries: SourceEntry[] = [query.from.source, ...query.from.joins.map((j) => j.right)].map((s) => {
    const source = lookupSource(ctx.metaStore, s.name, s.span);
    return { alias: s.alias ?? source.name, source };
  });
  checkFormats(entries);
  const all: AliasColumns[] = entries.map((e) => ({ alias: e.alias, columns: new Set(sourceRowSchema(e.source, e.alias).columns.map((c) => c.name)) }));
  const synthetic = syntheticKeyName(entries);

  // ksqlDB validates every join criteria before planning any join.
  const criteria = query.from.joins.map((join, i) =>
    analyzeCriteria(join.on, entries.slice(0, i + 1).map((e) => e.alias), entries[i + 1]!.alias, all));
  const copartition: CopartitionCheck[] = [];
  let left = sourceInput(entries[0]!);
  query.from.joins.forEach((join, i) => {
    const right = sourceInput(entries[i + 1]!);
    // ksqlDB names the joins of a left-deep tree from the top: Join, L_Join, L_L_Join, ...
    const prefix = 'L_'.repeat(query.from.joins.length - 1 - i);
    left = planOneJoin(left, right, join, criteria[i]!, ctx, i + 1, prefix, i === query.from.joins.length - 1 ? synthetic : undefined, copartition);
  });

  let step = left.step;
  if (query.where) {
    validatePredicate(query.where, step.schema, ctx, 'WHERE');
    const filter: FilterStep = {
      type: left.kind === 'STREAM' ? 'streamFilterV1' : 'tableFilterV1',
      id: 'WhereFilter', schema: step.schema, source: step, predicate: query.where, clause: 'WHERE',
    };
    step = filter;
  }
  if (isAggregateQuery(query, ctx.functions)) {
    // The aggregation sees the joined rows as one source of the join's kind.
    const first = entries[0]!.source;
    const joined: DataSource = { ...first, kind: left.kind, ...(left.window ? { window: left.window } : {}) };
    if (!left.window) delete (joined as { window?: WindowInfo }).window;
    const planned = planAggregate({ query, source: joined, alias: entries[0]!.alias, step, reserved: SYSTEM_COLUMN_NAMES }, ctx);
    return { ...planned, sources: entries.map((e) => e.source), ...(copartition.length > 0 ? { copartition } : {}) };
  }
  let partitioning: PartitionByPlan | undefined;
  if (query.partitionBy) {
    // ksqlDB re-keys the join result by the PARTITION BY expressions, then projects.
    partitioning = planPartitionBy(query.partitionBy, {
      step, alias: entries[0]!.alias, functions: ctx.functions, isTable: left.kind === 'TABLE', windowed: left.window !== undefined,
      selectAliases: selectAliasNames(query.select),
      join: { sources: entries, currentKey: left.keyExprs, ...(left.synthetic !== undefined ? { syntheticKey: left.synthetic } : {}) },
    });
    step = partitioning.step;
  }
  const keyInfo: JoinKeyInfo = partitioning
    ? { kind: 'partitioned', descriptions: partitioning.keyDescriptions, rewrite: partitioning.rewrite }
    : left.fkKeys
      ? { kind: 'fk', keys: left.fkKeys, leftName: entries[0]!.alias }
      : left.synthetic !== undefined
        ? { kind: 'synthetic', name: left.synthetic }
        : { kind: 'viable', candidates: left.candidates, keyColumn: step.schema.columns[0]!.name };
  const select = projectJoin(query.select, step.schema, entries, keyInfo, left.kind, ctx);
  const window = left.window;
  return {
    root: {
      type: left.kind === 'STREAM' ? 'streamSelectV1' : 'tableSelectV1',
      id: 'Project', schema: select.schema, source: step, selectExpressions: select.expressions,
    },
    kind: left.kind,
    schema: select.logical,
    sources: entries.map((e) => e.source),
    ...(window ? { window } : {}),
    ...(copartition.length > 0 ? { copartition } : {}),
    ...(partitioning?.byNull ? { keyless: true } : {}),
  };
}

function checkFormats(entries: readonly SourceEntry[]): void {
  const kafka = entries.filter((e) => e.source.valueFormat.format === 'KAFKA').map((e) => e.source.name);
  if (kafka.length > 0) {
    throw new KsqlException(`Source(s) ${kafka.join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`);
  }
}

/** ROWKEY, or ROWKEY_n when a source already has a column of that name. */
function syntheticKeyName(entries: readonly SourceEntry[]): string {
  const taken = new Set(entries.flatMap((e) => e.source.schema.columns.map((c) => c.name)));
  if (!taken.has('ROWKEY')) return 'ROWKEY';
  for (let i = 1; ; i++) if (!taken.has(`ROWKEY_${i}`)) return `ROWKEY_${i}`;
}

function ref(alias: string, name: string, span: A.Span): A.ColumnRef {
  return { kind: 'ColumnRef', source: alias, name, span };
}

const NO_SPAN: A.Span = { start: 0, end: 0, line: 0, column: 0 } as A.Span;

function sourceInput(e: SourceEntry): JoinInput {
  const step = sourceStep(e.source, e.alias, `KafkaTopic_${e.alias}`);
  const keys = e.source.schema.columns.filter((c) => c.namespace === 'KEY').map((c) => ref(e.alias, c.name, NO_SPAN));
  return {
    step: { ...step, schema: sideSchema(step.schema) },
    kind: e.source.kind,
    aliases: [e.alias],
    name: e.alias,
    keyExprs: keys.length === 1 ? keys : [],
    candidates: [],
    ...(e.source.window ? { window: e.source.window } : {}),
    topic: e.source.topic,
    ...(e.source.kind === 'TABLE' ? { tableKeys: keys } : {}),
    keyFormat: e.source.keyFormat,
    isSource: true,
  };
}

/** A source's columns inside a join: its key columns become ordinary (aliased) columns of the row. */
function sideSchema(schema: RowSchema): RowSchema {
  return { columns: schema.columns.map((c): RowColumn => (c.role === 'KEY' ? { ...c, role: 'VALUE' } : c)) };
}

function sameExpr(a: A.Expression, b: A.Expression): boolean {
  const col = (c: A.ColumnRef) => `${c.source ?? ''}.${c.name}`;
  return structuralKey(a, col) === structuralKey(b, col);
}

function planOneJoin(
  left: JoinInput, right: JoinInput, join: A.JoinClause, crit: JoinCriteria, ctx: PlanContext,
  ordinal: number, prefix: string, syntheticName: string | undefined, copartition: CopartitionCheck[],
): JoinInput {
  const got = () => `${formatExpression(crit.written[0])} = ${formatExpression(crit.written[1])}`;
  if (left.kind === 'TABLE' && right.kind === 'STREAM') {
    throw new KsqlException(`Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${left.name} ${joinTypeText(join.type)} ${right.name}.`);
  }
  const leftTyper = new ExpressionTyper(left.step.schema, { functions: ctx.functions, clause: 'JOIN ON' });
  const rightTyper = new ExpressionTyper(right.step.schema, { functions: ctx.functions, clause: 'JOIN ON' });
  const leftType = leftTyper.typeOf(crit.left);
  const rightType = rightTyper.typeOf(crit.right);

  const rightIsKey = right.keyExprs.some((k) => sameExpr(k, crit.right));
  const leftIsKey = left.keyExprs.some((k) => sameExpr(k, crit.left));
  const kind = left.kind === 'STREAM' && right.kind === 'STREAM' ? 'SS' : left.kind === 'STREAM' ? 'ST' : 'TT';
  let fk = false;
  if (kind === 'ST') {
    if (join.type === 'FULL' || join.type === 'RIGHT') {
      const t = join.type === 'FULL' ? 'full-outer' : 'right-outer';
      throw new KsqlException(`Invalid join type: ${t} join not supported for stream-table join. Got ${left.name} ${joinTypeText(join.type)} ${right.name}.`);
    }
    if (!rightIsKey) throw new KsqlException(`Invalid join condition: stream-table joins require to join on the table's primary key. Got ${got()}.`);
  } else if (kind === 'TT') {
    if (!rightIsKey) throw new KsqlException(`Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${got()}.`);
    fk = !leftIsKey;
  }
  const typeOf = (e: A.Expression) => (e === crit.left ? leftType : rightType);
  if (!typesMatch(leftType, rightType)) {
    const [a, b] = crit.written;
    throw new KsqlException(`Invalid join condition: types don't match. Got ${formatExpression(a)}{${typeName(typeOf(a))}} = ${formatExpression(b)}{${typeName(typeOf(b))}}.`);
  }
  if (fk) {
    if (join.type === 'RIGHT') throw new KsqlException('RIGHT OUTER JOIN on a foreign key is not supported');
    if (join.type === 'FULL') throw new KsqlException('FULL OUTER JOIN on a foreign key is not supported');
  }
  if (kind === 'SS' && !join.within) {
    throw new KsqlException('Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select');
  }
  if (kind !== 'SS' && join.within) {
    throw new KsqlException('A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to execute your join again.');
  }
  checkWindows(left, right, !leftIsKey && !fk, !rightIsKey);
  checkKeyType(leftType, crit.left, left);

  if ((leftIsKey || fk) && rightIsKey) copartition.push({ left: left.name, leftTopic: left.topic, right: right.name, rightTopic: right.topic });
  const sides = repartitions(left, right, leftIsKey || fk, rightIsKey, fk, ctx);
  const name = (side: 'Left' | 'Right', input: JoinInput) => repartitionName(ctx, prefix, side, input.kind, kind);
  const leftStep = sides.left ? rekey(left.step, crit.left, 'Left', ordinal, name('Left', left), sides.keyFormat, leftIsKey) : left.step;
  const rightStep = sides.right ? rekey(right.step, crit.right, 'Right', ordinal, name('Right', right), sides.keyFormat, rightIsKey) : right.step;
  const joinType: JoinKind = join.type;
  const stepType = kind === 'SS' ? 'streamStreamJoinV1' : kind === 'ST' ? 'streamTableJoinV1' : fk ? 'tableTableFkJoinV1' : 'tableTableJoinV1';
  const storeName = ordinal === 1 ? 'Join' : `Join_${ordinal}`;

  if (fk) {
    const keys = left.fkKeys ?? left.tableKeys ?? [];
    const step: JoinStep = {
      type: 'tableTableFkJoinV1', id: storeName, joinType, storeName,
      schema: { columns: [...leftStep.schema.columns, ...rightStep.schema.columns] },
      sources: [leftStep, rightStep], foreignKey: crit.left,
    };
    return {
      step, kind: 'TABLE', aliases: [...left.aliases, ...right.aliases], name: left.name,
      keyExprs: keys.length === 1 ? keys : [], candidates: [], topic: left.topic, fkKeys: keys,
      keyFormat: left.keyFormat, isSource: false,
    };
  }

  const candidates: A.ColumnRef[] = [];
  if (joinType !== 'FULL') {
    for (const c of [...(leftIsKey ? left.candidates : []), crit.left, crit.right]) {
      if (c.kind === 'ColumnRef' && !candidates.some((x) => x.source === c.source && x.name === c.name)) candidates.push(c);
    }
  }
  const synthetic = candidates.length === 0 ? syntheticName : undefined;
  const keyColumn: RowColumn = { name: synthetic ?? `$JOINKEY${ordinal}`, type: leftType!, role: 'KEY' };
  const step: JoinStep = {
    type: stepType, id: storeName, joinType, storeName,
    schema: { columns: [keyColumn, ...leftStep.schema.columns.map(demoteKey), ...rightStep.schema.columns.map(demoteKey)] },
    sources: [leftStep, rightStep],
    ...(kind === 'SS' ? {
      beforeMs: join.within!.before.millis, afterMs: join.within!.after.millis,
      ...(join.within!.grace ? { graceMs: join.within!.grace.millis } : {}),
    } : {}),
  };
  const keyRef: A.ColumnRef = { kind: 'ColumnRef', name: keyColumn.name, span: NO_SPAN };
  return {
    step,
    kind: kind === 'TT' ? 'TABLE' : 'STREAM',
    aliases: [...left.aliases, ...right.aliases],
    name: left.name,
    keyExprs: joinType === 'FULL' ? [keyRef] : [keyRef, crit.left, crit.right, ...(leftIsKey ? left.keyExprs : [])],
    candidates,
    ...(left.window ? { window: left.window } : {}),
    topic: left.topic,
    ...(synthetic !== undefined ? { synthetic } : {}),
    keyFormat: sides.keyFormat,
    isSource: false,
  };
}

function demoteKey(c: RowColumn): RowColumn {
  return c.role === 'KEY' ? { ...c, role: 'PSEUDO' } : c;
}

function typesMatch(a: SqlType | null, b: SqlType | null): boolean {
  if (a === null || b === null) return a === b;
  return sqlTypeEquals(a, b);
}

function typeName(t: SqlType | null): string {
  return t === null ? 'NULL' : formatSqlType(t, { quoteFields: false });
}

function checkWindows(left: JoinInput, right: JoinInput, leftRekeyed: boolean, rightRekeyed: boolean): void {
  const lw = left.window;
  const rw = right.window;
  if ((lw === undefined) !== (rw === undefined)) {
    const [w, n] = lw ? [left, right] : [right, left];
    throw new KsqlException(`Can not join windowed source to non-windowed source.\n\`${w.name}\` is ${w.window!.type} windowed\n\`${n.name}\` is not windowed`);
  }
  if (lw && rw && (lw.type !== rw.type || lw.sizeMs !== rw.sizeMs || leftRekeyed || rightRekeyed)) {
    throw new KsqlException('Implicit repartitioning of windowed sources is not supported.');
  }
}

/** Map keys are rejected (ksqlDB issue 6621): their serialised form is not stable. */
function checkKeyType(type: SqlType | null, expr: A.Expression, input: JoinInput): void {
  if (type === null || !containsMap(type)) return;
  const name = expr.kind === 'ColumnRef' ? `${expr.source ?? input.name}_${expr.name}` : 'ROWKEY';
  throw new KsqlException(
    `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${name}\`. Column type: ${formatSqlType(type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
  );
}

function containsMap(t: SqlType): boolean {
  switch (t.base) {
    case 'MAP': return true;
    case 'ARRAY': return containsMap(t.element);
    case 'STRUCT': return t.fields.some((f) => containsMap(f.type));
    default: return false;
  }
}

/**
 * Which sides go through a repartition topic, and the key format they are written in. Derived
 * from ksqlDB's plans (the `-repartition` topics and their key formats in its QTT cases):
 * - a side joined on anything but its key is re-keyed;
 * - a source side whose key format is AVRO or JSON_SR is always repartitioned (its key bytes
 *   carry a source-specific schema), except when windowed (ksqlDB refuses that implicit repartition)
 *   and the left table of a foreign-key join (which keeps its key);
 * - when both sides join on their keys with different key formats, the right side is repartitioned;
 * - the repartitioned sides take the left's key format, or the right's when the left is re-keyed
 *   by an expression, or the default key format when both are.
 */
function repartitions(
  left: JoinInput, right: JoinInput, leftOnKey: boolean, rightOnKey: boolean, fk: boolean, ctx: PlanContext,
): { left: boolean; right: boolean; keyFormat: FormatInfo } {
  const forced = (input: JoinInput) => input.isSource && !input.window && SR_KEY_FORMATS.has(input.keyFormat.format.toUpperCase());
  let l = !leftOnKey || (!fk && forced(left));
  let r = !rightOnKey || forced(right);
  if (!fk && leftOnKey && rightOnKey && !l && !r && left.keyFormat.format !== right.keyFormat.format && !left.window && !right.window) r = true;
  const defaultFormat = String(ctx.properties['ksql.persistence.default.format.key'] ?? 'KAFKA').toUpperCase();
  const keyFormat = fk ? right.keyFormat : leftOnKey ? left.keyFormat : rightOnKey ? right.keyFormat : { format: defaultFormat, properties: {}, features: [] };
  return { left: l, right: r, keyFormat };
}

const SR_KEY_FORMATS = new Set(['AVRO', 'JSON_SR']);

/**
 * ksqlDB's repartition topic names: a re-keyed stream is repartitioned by Kafka Streams' join
 * (`<join>-left|right-repartition` for stream-stream, `<join>-repartition` for stream-table); a
 * re-keyed table by its own select-key (`<side>SourceKeyed-SelectKey-repartition`). Joins are
 * named from the top of the left-deep tree: Join, L_Join, ...
 */
function repartitionName(ctx: PlanContext, prefix: string, side: 'Left' | 'Right', input: SourceKind, join: 'SS' | 'ST' | 'TT'): string {
  const serviceId = String(ctx.properties['ksql.service.id'] ?? 'default_');
  const name = input === 'TABLE' ? `${prefix}${side}SourceKeyed-SelectKey`
    : join === 'SS' ? `${prefix}Join-${side.toLowerCase()}` : `${prefix}Join`;
  return `_confluent-ksql-${serviceId}query_${ctx.queryId}-${name}-repartition`;
}

function rekey(
  step: ExecutionStep, keyExpression: A.Expression, side: string, ordinal: number, topic: string, keyFormat: FormatInfo, onKey: boolean,
): JoinRekeyStep {
  const suffix = ordinal === 1 ? '' : `_${ordinal}`;
  return {
    type: 'joinRekeyV1', id: `PrependAliasLeft${side}${suffix}`, schema: step.schema, source: step, keyExpression,
    repartitionTopic: topic, keyFormat, ...(onKey ? { keyUnchanged: true } : {}),
  };
}
