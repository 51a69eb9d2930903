/** What statement executors get from the engine. */
import type { MetaStore } from '../catalog/metastore.js';
import type { DataSource } from '../catalog/source.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { Topics } from '../topics/topics.js';
import type { ProcessingLog } from '../runtime/processing-log.js';
import type { PersistentQuery, QueryHost } from './query.js';
import type { SchemaRegistryClient } from '../schema/types.js';

export interface EngineContext {
  readonly metaStore: MetaStore;
  readonly topics: Topics;
  readonly functions: FunctionRegistry;
  readonly processingLog: ProcessingLog;
  /** Schema registry of the AVRO, JSON_SR and PROTOBUF formats (inference, sink schemas). */
  readonly schemaRegistry: SchemaRegistryClient;
  /** Server config merged with the request's property overrides. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly serviceId: string;
  readonly queries: Map<string, PersistentQuery>;
  readonly host: QueryHost;
  /** Allocates the next query id number (ksqlDB's sequential query id generator). */
  nextQueryNumber(): number;
  /** CREATE SOURCE TABLE materialises the table with a CST_ query. */
  startSourceTableQuery(source: DataSource, text: string): Promise<void>;
  /** The clock for INSERT VALUES without ROWTIME. */
  now(): number;
}
