/**
 * Pull queries: ksqlDB's restrictions, key extraction from WHERE, and execution against a
 * `MaterializedTable`. The full WHERE clause is always applied to the rows the table returns, so
 * key extraction only decides between lookups and a scan (and raises ksqlDB's errors when
 * `ksql.query.pull.table.scan.enabled=false` forbids the scan).
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { DataSource } from '../catalog/source.js';
import { formatSchema, keyColumns, type Column } from '../catalog/schema.js';
import type { PlannedQuery } from '../planner/query-planner.js';
import { ExpressionTyper } from '../analyzer/expression-typer.js';
import { ExpressionCompiler } from '../runtime/expr/compiler.js';
import { castValue } from '../functions/cast.js';
import { isNumericType, type SqlType } from '../types/sql-type.js';
import { formatExpression } from '../sql/format.js';
import type { ExecutionStep } from '../physical/steps.js';
import type { Downstream, TaskContext } from '../runtime/operator.js';
import { operatorBuilder } from '../runtime/registry.js';
import type { Rec } from '../runtime/record.js';
import type { Engine } from '../engine.js';
import type { FunctionRegistry } from '../functions/types.js';
import {
  TopicMaterializedTable, isQueryableTable, keyString,
  type MaterializationProvider, type MaterializedRow, type MaterializedTable,
} from './materialized-table.js';
import type { TransientCompletion, TransientRun, TransientSink } from './transient-query.js';

const DISALLOWED_PSEUDO = new Set(['ROWPARTITION', 'ROWOFFSET']);

/** Every ColumnRef under a node (lambda variables are a different kind). */
export function columnRefs(node: unknown, out: A.ColumnRef[] = []): A.ColumnRef[] {
  if (Array.isArray(node)) {
    for (const n of node) columnRefs(n, out);
  } else if (node !== null && typeof node === 'object') {
    const o = node as { kind?: string };
    if (o.kind === 'ColumnRef') out.push(o as A.ColumnRef);
    else for (const [k, v] of Object.entries(o)) if (k !== 'span') columnRefs(v, out);
  }
  return out;
}

function scanEnabled(config: Readonly<Record<string, unknown>>): boolean {
  const v = config['ksql.query.pull.table.scan.enabled'];
  return v === undefined || v === null || String(v).toLowerCase() !== 'false';
}

/** The checks ksqlDB makes before running a pull query (errors before any header). */
export function checkPullQuery(query: A.Query, source: DataSource, functions: FunctionRegistry, config: Readonly<Record<string, unknown>>): void {
  const inSelect = [...new Set(columnRefs(query.select).map((r) => r.name).filter((n) => DISALLOWED_PSEUDO.has(n)))];
  if (inSelect.length) throw new KsqlException(`Pull queries don't support the following columns in SELECT clauses: ${inSelect.map((n) => `\`${n}\``).join(', ')}`);
  const inWhere = [...new Set(columnRefs(query.where ?? []).map((r) => r.name).filter((n) => DISALLOWED_PSEUDO.has(n)))];
  if (inWhere.length) throw new KsqlException(`Pull queries don't support the following columns in WHERE clauses: ${inWhere.map((n) => `\`${n}\``).join(', ')}`);
  if (source.kind === 'TABLE') {
    if (!isQueryableTable(source)) {
      throw new KsqlException(`The \`${source.name}\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_${source.name} AS SELECT * FROM ${source.name}'. See https://cnfl.io/queries for more info.`);
    }
    extractKeys(query.where, source, functions, config);
  }
}

/**
 * ksqlDB checks the literals of `key IN (...)` against the key type before it type-checks the
 * WHERE clause ("'10' can not be converted to the type of the key column: ID INTEGER KEY").
 */
export function checkKeyInLists(where: A.Expression | undefined, source: DataSource, functions: FunctionRegistry): void {
  if (!where || source.kind !== 'TABLE') return;
  const keys = keyColumns(source.schema);
  for (const disjunct of dnf(where)) {
    for (const cond of disjunct) {
      if (cond.kind !== 'InList' || cond.negated) continue;
      const col = isRef(cond.value, keys);
      if (!col || !cond.list.every((e) => columnRefs(e).length === 0)) continue;
      for (const e of cond.list) {
        const { value, type } = evalConst(e, functions);
        coerceKey(e, value, type, col, source);
      }
    }
  }
}

/** Disjunctive normal form: a list of conjunctions. */
function dnf(e: A.Expression): A.Expression[][] {
  if (e.kind === 'LogicalBinary' && e.op === 'OR') return [...dnf(e.left), ...dnf(e.right)];
  if (e.kind === 'LogicalBinary' && e.op === 'AND') {
    const out: A.Expression[][] = [];
    for (const l of dnf(e.left)) for (const r of dnf(e.right)) out.push([...l, ...r]);
    return out;
  }
  return [[e]];
}

function conjunction(list: readonly A.Expression[]): A.Expression {
  return list.reduce((l, r) => ({ kind: 'LogicalBinary', op: 'AND', left: l, right: r, span: l.span }));
}

/**
 * The keys a WHERE clause pins down, or undefined when the query needs a table scan. Throws
 * ksqlDB's errors for literals that cannot be keys and, when scans are disabled, for every shape
 * a key lookup cannot serve.
 */
export function extractKeys(
  where: A.Expression | undefined, source: DataSource, functions: FunctionRegistry, config: Readonly<Record<string, unknown>>,
): unknown[][] | undefined {
  const strict = !scanEnabled(config);
  const keys = keyColumns(source.schema);
  if (!where) return undefined;
  const keyNames = new Set(keys.map((k) => k.name));
  const all: unknown[][] = [];
  let needScan = false;
  for (const disjunct of dnf(where)) {
    const candidates = new Map<string, unknown[]>();
    let rangeOnKey = 0;
    const refsKey = disjunct.some((c) => columnRefs(c).some((r) => keyNames.has(r.name)));
    if (!refsKey) {
      if (strict) throw new KsqlException(`WHERE clause missing key column for disjunct: ${formatExpression(conjunction(disjunct))}`);
      needScan = true;
      continue;
    }
    for (const cond of disjunct) {
      const found = keyCondition(cond, keys, strict, functions);
      if (!found) continue;
      if (found.kind === 'range') { rangeOnKey++; continue; }
      const prior = candidates.get(found.column.name);
      const values = found.values.map((v) => coerceKey(v.expr, v.value, v.type, found.column, source));
      candidates.set(found.column.name, prior ? prior.filter((p) => values.some((v) => keyString([v]) === keyString([p]))) : values);
    }
    if (strict && rangeOnKey > 0) {
      if (rangeOnKey > 1 || candidates.size > 0) {
        throw new KsqlException('A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate');
      }
    }
    if (candidates.size < keys.length) {
      if (strict && candidates.size > 0 && keys.length > 1) throw new KsqlException('Multi-column sources must specify every key in the WHERE clause');
      if (strict && rangeOnKey === 0) throw new KsqlException(`WHERE clause missing key column for disjunct: ${formatExpression(conjunction(disjunct))}`);
      needScan = true;
      continue;
    }
    let tuples: unknown[][] = [[]];
    for (const k of keys) tuples = tuples.flatMap((t) => candidates.get(k.name)!.map((v) => [...t, v]));
    all.push(...tuples);
  }
  return needScan ? undefined : all;
}

interface KeyValues {
  readonly kind: 'values';
  readonly column: Column;
  readonly values: { expr: A.Expression; value: unknown; type: SqlType | null }[];
}

function isRef(e: A.Expression, keys: readonly Column[]): Column | undefined {
  return e.kind === 'ColumnRef' ? keys.find((k) => k.name === e.name) : undefined;
}

function evalConst(e: A.Expression, functions: FunctionRegistry): { value: unknown; type: SqlType | null } {
  const typer = new ExpressionTyper({ columns: [] }, { functions });
  const type = typer.typeOf(e);
  return { value: new ExpressionCompiler(typer).compile(e)([]), type };
}

function keyCondition(cond: A.Expression, keys: readonly Column[], strict: boolean, functions: FunctionRegistry): KeyValues | { kind: 'range' } | undefined {
  const resolvable = (e: A.Expression) => columnRefs(e).length === 0;
  if (cond.kind === 'Comparison') {
    let col = isRef(cond.left, keys);
    let other = cond.right;
    if (!col) { col = isRef(cond.right, keys); other = cond.left; }
    if (!col) {
      const keyInside = columnRefs(cond).some((r) => keys.some((k) => k.name === r.name));
      if (keyInside && strict) throw new KsqlException('A comparison must directly reference a key column.');
      return undefined;
    }
    if (!resolvable(other)) {
      if (strict) throw new KsqlException('A comparison must be between a key column and a resolvable expression.');
      return undefined;
    }
    if (cond.op === '=') return { kind: 'values', column: col, values: [{ expr: other, ...evalConst(other, functions) }] };
    if (cond.op === '<>' ) {
      if (strict) throw new KsqlException(`Bound on key columns '[${formatSchema({ columns: [col] })}]' must currently be '='. `);
      return undefined;
    }
    if (cond.op === '<' || cond.op === '<=' || cond.op === '>' || cond.op === '>=') {
      // Range scans serve STRING keys only; anything else needs a table scan.
      if (strict && col.type.base !== 'STRING') throw new KsqlException('Query requires table scan to be enabled');
      return { kind: 'range' };
    }
    return undefined;
  }
  if (cond.kind === 'InList' && !cond.negated) {
    const col = isRef(cond.value, keys);
    if (!col) return undefined;
    if (!cond.list.every(resolvable)) {
      if (strict) throw new KsqlException('A comparison must be between a key column and a resolvable expression.');
      return undefined;
    }
    return { kind: 'values', column: col, values: cond.list.map((e) => ({ expr: e, ...evalConst(e, functions) })) };
  }
  return undefined;
}

function coerceKey(expr: A.Expression, value: unknown, type: SqlType | null, column: Column, source: DataSource): unknown {
  if (value === null || value === undefined || type === null) {
    throw new KsqlException(`Primary key columns can not be NULL: (${column.name} = null)`);
  }
  const target = column.type;
  const compatible = target.base === type.base || (isNumericType(target) && isNumericType(type));
  if (!compatible) {
    throw new KsqlException(`${formatExpression(expr)} can not be converted to the type of the key column: ${formatSchema({ columns: [column] }, { quote: false })}`);
  }
  void source;
  return target.base === type.base ? value : castValue(value, type, target);
}

const topicTables = new WeakMap<DataSource, TopicMaterializedTable>();

/** The table to read: a provider's store-backed one, or the topic-backed default (cached per source). */
export function materializationFor(engine: Engine, source: DataSource, provider?: MaterializationProvider): MaterializedTable {
  const provided = provider?.(source);
  if (provided) return provided;
  let t = topicTables.get(source);
  if (!t) topicTables.set(source, (t = new TopicMaterializedTable(source, engine.topics)));
  return t;
}

export interface TablePullOptions {
  readonly queryId: string;
  readonly source: DataSource;
  readonly limit?: number;
  readonly config: Readonly<Record<string, unknown>>;
  readonly materialization?: MaterializationProvider;
}

export function runTablePull(engine: Engine, query: A.Query, planned: PlannedQuery, options: TablePullOptions, sink: TransientSink): TransientRun {
  let closed = false;
  const done = (async (): Promise<TransientCompletion> => {
    const source = options.source;
    const keys = extractKeys(query.where, source, engine.functions, options.config);
    const table = materializationFor(engine, source, options.materialization);
    let rows: MaterializedRow[];
    if (keys) {
      const seen = new Set<string>();
      rows = [];
      for (const k of keys) {
        const id = keyString(k);
        if (seen.has(id)) continue;
        seen.add(id);
        rows.push(...(await table.get(k)));
      }
    } else {
      rows = await table.scan();
    }
    if (closed) return 'CLOSED';
    let emitted = 0;
    const limit = options.limit;
    if (limit === 0) return 'LIMIT';
    const feed = buildChain(engine, planned.root, options, (rec) => {
      if (rec.row === null || (limit !== undefined && emitted >= limit)) return;
      sink.row(rec.row.slice(), false);
      emitted++;
    });
    for (const r of rows) {
      if (closed) return 'CLOSED';
      if (limit !== undefined && emitted >= limit) return 'LIMIT';
      const row: unknown[] = [...r.key, ...r.value, r.rowtime, r.partition, r.offset];
      if (source.window) row.push(r.window?.start ?? null, r.window?.end ?? null);
      feed({ key: [...r.key], row, ts: r.rowtime, window: r.window ?? null, headers: [], partition: r.partition, offset: r.offset });
    }
    return limit !== undefined && emitted >= limit ? 'LIMIT' : 'COMPLETE';
  })();
  return { ready: Promise.resolve(), done, close: () => { closed = true; } };
}

/** Builds the operators above the source step; returns the function that feeds source rows. */
function buildChain(engine: Engine, root: ExecutionStep, options: TablePullOptions, downstream: Downstream): Downstream {
  let feed: Downstream = () => {};
  const ctx: TaskContext = {
    queryId: options.queryId, taskId: `${options.queryId}_0`, partition: 0, functions: engine.functions,
    processingLog: engine.processingLog, output: { emit: () => {} }, topics: { partitions: () => 1 },
    properties: options.config, streamTime: () => -1, registerSource: () => {}, registerLifecycle: () => {},
  };
  const build = (step: ExecutionStep | { type: string }, down: Downstream): Downstream => {
    if (step.type.endsWith('SourceV1')) {
      feed = down;
      return down;
    }
    const op = operatorBuilder(step.type)(step, ctx, down, build);
    return (rec: Rec) => op.process(rec);
  };
  build(root, downstream);
  return (rec) => feed(rec);
}
