/**
 * Transient queries (SELECT outside CSAS/CTAS): push queries (`EMIT CHANGES`), pull queries on
 * streams (a bounded scan to the end offsets taken at start) and pull queries on materialized
 * tables (through `MaterializedTable`).
 *
 * Lifecycle: `prepareTransientQuery` parses nothing and runs nothing; it validates and plans, and
 * throws `KsqlStatementException` for anything ksqlDB rejects before answering (so the REST layer
 * can answer 400 before any header). `TransientQuery.start(sink)` runs it; rows go to the sink
 * synchronously, and `done` settles once when the query completes, hits its LIMIT, is closed, or
 * fails. `close()` is idempotent and ends the query within one poll interval.
 */
import { randomUUID } from 'node:crypto';
import type * as A from '../sql/ast.js';
import type { ParsedStatement } from '../sql/ast.js';
import { KsqlException, KsqlStatementException } from '../errors/index.js';
import type { DataSource } from '../catalog/source.js';
import { keyColumns } from '../catalog/schema.js';
import { formatSqlType, type SqlType } from '../types/sql-type.js';
import { lookupSource, planQuery, type PlannedQuery } from '../planner/query-planner.js';
import type { Engine } from '../engine.js';
import { runPushQuery } from './push-query.js';
import { checkKeyInLists, checkPullQuery, runTablePull } from './pull-query.js';
import type { MaterializationProvider } from './materialized-table.js';

export type TransientQueryKind = 'PUSH' | 'PULL_STREAM' | 'PULL_TABLE';

export interface TransientColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Shown with ` KEY` in the header schema (table pull queries only). */
  readonly key: boolean;
}

export interface TransientSink {
  /** One result row, in `columns` order. `tombstone` marks a table delete (non-key columns null). */
  row(values: unknown[], tombstone: boolean): void;
}

/** How a query ended: hit its LIMIT, ran to its end (pull queries), or was closed by the client. */
export type TransientCompletion = 'LIMIT' | 'COMPLETE' | 'CLOSED';

export interface TransientRun {
  /**
   * Resolves once the query has fixed where it reads from (push queries: the start offsets), so a
   * client that is sent the header after this sees every record produced afterwards.
   */
  readonly ready: Promise<void>;
  /** Settles once; rejects with the runtime error when the query fails. */
  readonly done: Promise<TransientCompletion>;
  close(): void;
}

export interface TransientQuery {
  readonly kind: TransientQueryKind;
  readonly queryId: string;
  readonly columns: readonly TransientColumn[];
  readonly source: DataSource;
  readonly limit?: number;
  readonly statementText: string;
  start(sink: TransientSink): TransientRun;
}

export interface TransientQueryOptions {
  /** Request property overrides (streamsProperties / SET). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Store-backed materializations (stateful work); topic-backed ones are used otherwise. */
  readonly materialization?: MaterializationProvider;
  /** Long-poll interval of push queries (ms). */
  readonly pollMs?: number;
}

const PULL_SUFFIX = ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

let transientCounter = 0;

/** `transient_<SOURCE>_<random long>` like ksqlDB. */
function transientId(source: string): string {
  transientCounter = (transientCounter + 1) % 1000;
  const n = BigInt(Date.now()) * 1000n + BigInt(transientCounter) + BigInt(Math.floor(Math.random() * 1e6)) * 1_000_000_000_000_000n;
  return `transient_${source}_${n % 9_000_000_000_000_000_000n}`;
}

/**
 * ksqlDB serves a push query as a scalable push query (reading the output of the persistent query
 * that writes its source, from the latest offsets) when `ksql.query.push.v2.enabled` is on, the
 * query is a plain projection/filter of a query's sink and it starts at `latest`. Here both run the
 * same way; the difference is the id (`SCALABLE_PUSH_QUERY_<uuid>`) clients see.
 */
function isScalablePush(engine: Engine, query: A.Query, source: DataSource, config: Readonly<Record<string, unknown>>): boolean {
  if (query.emit !== 'CHANGES' || !isTrue(config['ksql.query.push.v2.enabled'], false)) return false;
  if (query.from.joins.length || query.window || query.groupBy || query.partitionBy || query.having) return false;
  if (String(config['auto.offset.reset'] ?? 'latest').toLowerCase() !== 'latest') return false;
  return engine.metaStore.queriesWriting(source.name).length > 0;
}

/** The effective config of a request: server config, then overrides (`ksql.streams.` prefix folded). */
export function effectiveConfig(engine: Engine, overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(engine.config)) out[k] = v;
  for (const [k, v] of Object.entries(engine.config)) if (k.startsWith('ksql.streams.')) out[k.slice('ksql.streams.'.length)] = v;
  for (const [k, v] of Object.entries(overrides)) {
    out[k] = v;
    if (k.startsWith('ksql.streams.')) out[k.slice('ksql.streams.'.length)] = v;
  }
  return out;
}

function isTrue(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  return String(v).toLowerCase() === 'true';
}

/**
 * Validates and plans a SELECT for the query endpoints. Throws KsqlStatementException with
 * ksqlDB's messages for what ksqlDB rejects.
 */
export function prepareTransientQuery(engine: Engine, parsed: ParsedStatement, options: TransientQueryOptions = {}): TransientQuery {
  const st = parsed.statement;
  if (st.kind !== 'Query') throw new KsqlStatementException(`Not a query: ${st.kind}`, parsed.text);
  try {
    return prepare(engine, st, parsed.text, options);
  } catch (e) {
    if (e instanceof KsqlStatementException) throw e;
    if (e instanceof KsqlException) throw new KsqlStatementException(e.message, parsed.text, { cause: e });
    throw e;
  }
}

function prepare(engine: Engine, query: A.Query, text: string, options: TransientQueryOptions): TransientQuery {
  const config = effectiveConfig(engine, options.overrides);
  const isPull = query.emit === undefined;
  if (isPull) {
    if (query.from.joins.length > 0) throw new KsqlException(`Pull queries don't support JOIN clauses.${PULL_SUFFIX}`);
    if (query.window) throw new KsqlException(`Pull queries don't support WINDOW clauses.${PULL_SUFFIX}`);
    if (query.groupBy) throw new KsqlException(`Pull queries don't support GROUP BY clauses.${PULL_SUFFIX}`);
    if (query.partitionBy) throw new KsqlException(`Pull queries don't support PARTITION BY clauses.${PULL_SUFFIX}`);
    if (query.having) throw new KsqlException(`Pull queries don't support HAVING clauses.${PULL_SUFFIX}`);
    if (query.limit !== undefined && !isTrue(config['ksql.query.pull.limit.clause.enabled'], true)) {
      throw new KsqlException(`LIMIT clause in pull queries is currently disabled. You can enable them by setting ksql.query.pull.limit.clause.enabled=true.${PULL_SUFFIX}`);
    }
  }
  const source = lookupSource(engine.metaStore, query.from.source.name, query.from.source.span);
  const queryId = isScalablePush(engine, query, source, config) ? `SCALABLE_PUSH_QUERY_${randomUUID()}` : transientId(source.name);
  if (isPull && source.kind === 'TABLE') checkKeyInLists(query.where, source, engine.functions);
  const rewritten = expandStar(query, source);
  const planned = planQuery(rewritten, {
    metaStore: engine.metaStore, functions: engine.functions, queryId, statementText: text, properties: config,
  });
  checkDuplicateColumns(planned);
  const base = { queryId, source, statementText: text, ...(query.limit !== undefined ? { limit: query.limit } : {}) };

  if (!isPull) {
    const columns = planned.root.schema.columns.map((c) => ({ name: c.name, type: c.type, key: false }));
    return {
      ...base, kind: 'PUSH', columns,
      start: (sink) => runPushQuery(engine, planned, { ...base, config, bounded: false, pollMs: options.pollMs ?? 100 }, sink),
    };
  }
  checkPullQuery(rewritten, source, engine.functions, config);
  if (source.kind === 'STREAM') {
    const columns = planned.root.schema.columns.map((c) => ({ name: c.name, type: c.type, key: false }));
    return {
      ...base, kind: 'PULL_STREAM', columns,
      start: (sink) => runPushQuery(engine, planned, { ...base, config, bounded: true, pollMs: 0 }, sink),
    };
  }
  const columns = pullTableColumns(rewritten, planned, source);
  return {
    ...base, kind: 'PULL_TABLE', columns,
    start: (sink) => runTablePull(engine, rewritten, planned, { ...base, config, materialization: options.materialization }, sink),
  };
}

/**
 * `SELECT *` in a transient query lists the key columns, then WINDOWSTART/WINDOWEND for windowed
 * sources, then the value columns (ksqlDB's transient projection; CSAS keeps the bounds in the key).
 */
function expandStar(query: A.Query, source: DataSource): A.Query {
  if (!source.window || query.from.joins.length > 0 || !query.select.some((s) => s.kind === 'SelectAll')) return query;
  const select: A.SelectItem[] = [];
  for (const item of query.select) {
    if (item.kind !== 'SelectAll') { select.push(item); continue; }
    const ref = (name: string): A.SelectItem => ({ kind: 'SelectColumn', expr: { kind: 'ColumnRef', name, span: item.span }, span: item.span });
    for (const c of keyColumns(source.schema)) select.push(ref(c.name));
    select.push(ref('WINDOWSTART'), ref('WINDOWEND'));
    for (const c of source.schema.columns) if (c.namespace !== 'KEY') select.push(ref(c.name));
  }
  return { ...query, select };
}

function checkDuplicateColumns(planned: PlannedQuery): void {
  const seen = new Set<string>();
  for (const c of planned.root.schema.columns) {
    if (seen.has(c.name)) throw new KsqlException(`Duplicate value columns found in schema: \`${c.name}\` ${formatSqlType(c.type)}`);
    seen.add(c.name);
  }
}

/** Table pull queries mark projected key columns and window bounds with KEY. */
function pullTableColumns(query: A.Query, planned: PlannedQuery, source: DataSource): TransientColumn[] {
  const keyNames = new Set(keyColumns(source.schema).map((c) => c.name));
  if (source.window) { keyNames.add('WINDOWSTART'); keyNames.add('WINDOWEND'); }
  const root = planned.root as { selectExpressions?: readonly { alias: string; expression: A.Expression }[] };
  return planned.root.schema.columns.map((c, i) => {
    const e = root.selectExpressions?.[i]?.expression;
    const key = e !== undefined && e.kind === 'ColumnRef' && keyNames.has(e.name) && c.name === e.name;
    return { name: c.name, type: c.type, key };
  });
}

/** ksqlDB's header schema string: `` `ID` BIGINT KEY, `NAME` STRING ``. */
export function transientSchemaString(columns: readonly TransientColumn[]): string {
  return columns.map((c) => `\`${c.name}\` ${formatSqlType(c.type)}${c.key ? ' KEY' : ''}`).join(', ');
}

/** Type strings for `/query-stream` metadata (`SqlType.toString(FormatOptions.none())`). */
export function transientColumnTypes(columns: readonly TransientColumn[]): string[] {
  return columns.map((c) => formatSqlType(c.type));
}
