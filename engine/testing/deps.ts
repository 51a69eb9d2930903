/** Default dependencies of the QTT runner: built-in functions plus the test-only UDFs, topics and state in memory. */
import { createFunctionRegistry } from '../functions/registry.js';
import { MemoryTopics } from '../topics/memory-topics.js';
import { MemoryStateBackend } from '../state/memory-backend.js';
import type { RunnerDeps } from './qtt-runner.js';
import { registerTestUdafs } from './test-udafs.js';

export function qttDeps(): RunnerDeps {
  return {
    functions: () => {
      const registry = createFunctionRegistry();
      registerTestUdafs(registry);
      return registry;
    },
    topics: () => new MemoryTopics(),
    state: () => new MemoryStateBackend(),
  };
}
