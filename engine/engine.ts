/**
 * The engine: a metastore, running persistent queries, and `execute` for every statement type.
 * One engine serves the REST server, the REPL (through the server) and the test driver; they differ
 * only in the `Topics` implementation and the `QueryHost` that runs queries.
 */
import type * as A from './sql/ast.js';
import type { ParsedStatement } from './sql/ast.js';
import { KsqlException, KsqlStatementException } from './errors/index.js';
import { MetaStore } from './catalog/metastore.js';
import type { DataSource } from './catalog/source.js';
import type { FunctionRegistry } from './functions/types.js';
import type { Topics } from './topics/topics.js';
import { ProcessingLog } from './runtime/processing-log.js';
import type { SchemaRegistryClient } from './schema/types.js';
import { InMemorySchemaRegistry } from './schema/memory-registry.js';
import { attachProcessingLogStream } from './runtime/processing-log-stream.js';
import { resolveTypeNode } from './analyzer/types.js';
import type { EngineContext } from './exec/context.js';
import type { PersistentQuery, QueryHost } from './exec/query.js';
import { NO_RESULT, type StatementResult } from './exec/results.js';
import { executeCreateSource } from './exec/create-source.js';
import { executeCreateAsSelect, executeInsertInto } from './exec/create-as-select.js';
import { executeInsertValues } from './exec/insert-values.js';
import { executeDropSource, executeDropType, executeTerminate } from './exec/drop.js';
import { executeDescribe, executeShow } from './exec/show.js';
import { executeExplain } from './exec/explain.js';
import { startSourceTableQuery } from './exec/source-table.js';
import { executeAssertSchema, executeAssertTopic } from './exec/assert.js';
import { executeAlterSource } from './exec/alter.js';
import { terminateCluster } from './exec/terminate-cluster.js';

export interface EngineOptions {
  readonly topics: Topics;
  readonly functions: FunctionRegistry;
  readonly host: QueryHost;
  /** Server-level config (ksqlDB property names). */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly processingLog?: ProcessingLog;
  readonly clock?: () => number;
  /**
   * Schema registry of the AVRO, JSON_SR and PROTOBUF formats: the server's in-process registry,
   * a client of `ksql.schema.registry.url`, or (when absent) a registry private to this engine.
   */
  readonly schemaRegistry?: SchemaRegistryClient;
}

export const DEFAULT_CONFIG: Readonly<Record<string, unknown>> = {
  'ksql.service.id': 'default_',
  'ksql.persistence.default.format.key': 'KAFKA',
  'ksql.output.topic.name.prefix': '',
  'auto.offset.reset': 'latest',
  // KSQL_PROCESSING_LOG is registered at startup (ksqlDB's own default is false; its images turn it on)
  'ksql.logging.processing.stream.auto.create': true,
};

export class Engine {
  readonly metaStore = new MetaStore();
  readonly queries = new Map<string, PersistentQuery>();
  readonly processingLog: ProcessingLog;
  readonly config: Readonly<Record<string, unknown>>;
  readonly schemaRegistry: SchemaRegistryClient;
  private queryCounter = 0;

  constructor(readonly options: EngineOptions) {
    this.config = { ...DEFAULT_CONFIG, ...(options.config ?? {}) };
    this.processingLog = options.processingLog ?? new ProcessingLog();
    this.schemaRegistry = options.schemaRegistry ?? new InMemorySchemaRegistry();
    if (String(this.config['ksql.logging.processing.stream.auto.create']) !== 'false') {
      this.detachProcessingLog = attachProcessingLogStream(this.processingLog, options.topics, this.metaStore, this.config);
    }
  }

  /** Stops copying processing-log entries to the processing-log topic. */
  readonly detachProcessingLog: () => void = () => {};

  /**
   * The number the next query id will use (`CSAS_<SINK>_<n>`). The server's command log records it
   * with each command and restores it on replay, so a restarted server gives queries the same ids.
   */
  get queryNumber(): number {
    return this.queryCounter;
  }

  set queryNumber(n: number) {
    this.queryCounter = n;
  }

  get topics(): Topics {
    return this.options.topics;
  }

  get functions(): FunctionRegistry {
    return this.options.functions;
  }

  /**
   * TERMINATE CLUSTER: terminates all persistent queries, drops all sources and deletes the topics
   * (and schema subjects) of the sources whose topic matches one of `deleteTopicPatterns`.
   */
  terminateCluster(deleteTopicPatterns: readonly RegExp[]): Promise<{ deletedTopics: string[] }> {
    return terminateCluster(deleteTopicPatterns, this.context({}));
  }

  /**
   * Executes one parsed statement. `overrides` are the request's property overrides (SET, or
   * streamsProperties). Errors are thrown as KsqlStatementException carrying the statement text.
   */
  async execute(parsed: ParsedStatement, overrides: Readonly<Record<string, unknown>> = {}): Promise<StatementResult> {
    try {
      return await this.dispatch(parsed.statement, parsed.text, this.context(overrides), overrides);
    } catch (e) {
      if (e instanceof KsqlStatementException) throw e;
      if (e instanceof KsqlException) throw new KsqlStatementException(e.message, parsed.text, { cause: e });
      throw e;
    }
  }

  private context(overrides: Readonly<Record<string, unknown>>): EngineContext {
    return {
      metaStore: this.metaStore,
      topics: this.options.topics,
      functions: this.options.functions,
      processingLog: this.processingLog,
      schemaRegistry: this.schemaRegistry,
      config: { ...this.config, ...normaliseOverrides(overrides) },
      serviceId: String(this.config['ksql.service.id']),
      queries: this.queries,
      host: this.options.host,
      nextQueryNumber: () => this.queryCounter++,
      startSourceTableQuery: (source, text) => this.startSourceTable(source, text),
      now: this.options.clock ?? Date.now,
    };
  }

  private async dispatch(s: A.Statement, text: string, ctx: EngineContext, overrides: Readonly<Record<string, unknown>>): Promise<StatementResult> {
    switch (s.kind) {
      case 'CreateSource': return executeCreateSource(s, text, ctx);
      case 'CreateAsSelect': return executeCreateAsSelect(s, text, ctx);
      case 'InsertInto': return executeInsertInto(s, text, ctx);
      case 'InsertValues': return executeInsertValues(s, ctx);
      case 'DropSource': return executeDropSource(s, ctx);
      case 'CreateType': {
        if (this.metaStore.getType(s.name)) {
          if (s.ifNotExists) return { kind: 'status', commandId: `type/${s.name}/create`, message: `Type '${s.name}' already exists` };
          throw new KsqlException(`Cannot register custom type '${s.name}' since it is already registered with type: ${s.name}`);
        }
        this.metaStore.putType(s.name, resolveTypeNode(s.type, (n) => this.metaStore.getType(n)));
        return { kind: 'status', commandId: `type/${s.name}/create`, message: `Registered custom type with name '${s.name}' and SQL type ${text}` };
      }
      case 'DropType': return executeDropType(s, ctx);
      case 'Show': return executeShow(s, ctx, overrides);
      case 'DescribeSource':
      case 'DescribeSources':
      case 'DescribeFunction': return executeDescribe(s, ctx);
      case 'Explain': return executeExplain(s, ctx);
      case 'Terminate': return executeTerminate(s, ctx);
      case 'AssertTopic': return executeAssertTopic(s, text, ctx);
      case 'AssertSchema': return executeAssertSchema(s, text, ctx);
      case 'AlterSource': return executeAlterSource(s, ctx);
      case 'SetProperty':
      case 'UnsetProperty':
      case 'DefineVariable':
      case 'UndefineVariable': return NO_RESULT;
      case 'Query': throw new KsqlException('SELECT statements are run with runQuery, not execute.');
      case 'Print': throw new KsqlException('PRINT statements are run by the query endpoints.');
      default:
        throw new KsqlException(`Statement type ${s.kind} is not supported yet.`);
    }
  }

  private async startSourceTable(source: DataSource, text: string): Promise<void> {
    await startSourceTableQuery(source, text, this.context({}));
  }
}

/** `ksql.streams.auto.offset.reset` and `auto.offset.reset` name the same property. */
function normaliseOverrides(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k.startsWith('ksql.streams.') ? k.slice('ksql.streams.'.length) : k] = v;
  return out;
}
