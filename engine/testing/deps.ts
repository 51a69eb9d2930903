/** Default dependencies of the QTT runner: built-in functions plus the test-only UDFs, topics in memory. */
import { createFunctionRegistry } from '../functions/registry.js';
import { MemoryTopics } from '../topics/memory-topics.js';
import type { RunnerDeps } from './qtt-runner.js';

export function qttDeps(): RunnerDeps {
  return {
    functions: () => createFunctionRegistry(),
    topics: () => new MemoryTopics(),
  };
}
