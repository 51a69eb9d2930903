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
export { runConformance, type ConformanceReport, type FileSummary } from './testing/conformance.js';
export { qttDeps, qttDepsWithExtensions, TEST_UDF_DIR } from './testing/deps.js';
export { readRatchet, writeRatchet } from './testing/ratchet.js';
export { TestDriver } from './testing/test-driver.js';
export { RunnerQueryHost } from './runtime/embedded-host.js';
export { ProcessingLog } from './runtime/processing-log.js';
export { createRocksStateBackend, type RocksStateBackendOptions } from './state/backend.js';
export { MemoryStateBackend } from './state/memory-backend.js';
export type { StateBackend, TaskState } from './state/stores.js';
