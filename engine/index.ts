/**
 * Sluice's engine: the public surface used by `server/` and `cli/` (DESIGN.md: they import only this).
 */
export { Engine, DEFAULT_CONFIG, type EngineOptions } from './engine.js';
export type { StatementResult, CommandStatusResult, EntityResult } from './exec/results.js';
export type { PersistentQuery, QueryHost } from './exec/query.js';
export { parseScript, parseStatement, splitStatements } from './sql/index.js';
export type { ParsedStatement, Statement } from './sql/ast.js';
export * from './errors/index.js';
export { createFunctionRegistry } from './functions/registry.js';
export { createFunctionRegistryWithExtensions, loadExtensionSet, type ExtensionSet } from './functions/extension-set.js';
export type { FunctionRegistry } from './functions/types.js';
export type { Topics } from './topics/topics.js';
export { MemoryTopics } from './topics/memory-topics.js';
export { EmbeddedTopics } from './topics/embedded-topics.js';
export { KafkaTopics, type KafkaTopicsOptions } from './topics/kafka-topics.js';
export { runConformance, type ConformanceReport, type FileSummary } from './testing/conformance.js';
export { qttDeps, qttDepsWithExtensions, TEST_UDF_DIR } from './testing/deps.js';
export { readRatchet, writeRatchet } from './testing/ratchet.js';
export { TestDriver } from './testing/test-driver.js';
export { RunnerQueryHost } from './runtime/embedded-host.js';
export { ownEverything, type TaskAssignment, type TaskAssignmentFactory, type TaskSpec, type AssignmentListener } from './runtime/task-assignment.js';
export { groupAssignment, type GroupAssignmentOptions } from './runtime/group-assignment.js';
export { ProcessingLog } from './runtime/processing-log.js';
export * from './schema/index.js';
export { setDefaultSchemaRegistry } from './serde/index.js';
export { createRocksStateBackend, type RocksStateBackendOptions } from './state/backend.js';
export { MemoryStateBackend } from './state/memory-backend.js';
export type { StateBackend, TaskState } from './state/stores.js';
export { ChangelogStateBackend } from './topics/kafka/changelog-state.js';
export {
  prepareTransientQuery, transientSchemaString, transientColumnTypes, effectiveConfig,
  type TransientQuery, type TransientQueryKind, type TransientColumn, type TransientSink, type TransientRun,
  type TransientCompletion, type TransientQueryOptions,
} from './exec/transient-query.js';
export {
  TopicMaterializedTable, isQueryableTable,
  type MaterializedTable, type MaterializedRow, type MaterializationProvider, type WindowBoundsFilter,
} from './exec/materialized-table.js';
export { restValueWriter, restRowWriter } from './exec/rest-values.js';
export { formatSqlType, type SqlType } from './types/sql-type.js';
export { insertJsonRow } from './exec/insert-json.js';
export { topicPattern } from './exec/terminate-cluster.js';
