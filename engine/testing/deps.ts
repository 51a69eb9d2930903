/** Default dependencies of the QTT runner: built-ins plus the test-only functions, topics and state in memory. */
import { fileURLToPath } from 'node:url';
import { createFunctionRegistry } from '../functions/registry.js';
import { EMPTY_EXTENSIONS, loadExtensionSet, type ExtensionSet } from '../functions/extension-set.js';
import { MemoryTopics } from '../topics/memory-topics.js';
import { MemoryStateBackend } from '../state/memory-backend.js';
import type { RunnerDeps } from './qtt-runner.js';

/** The test-only functions the conformance cases call (TEST_UDF, TEST_UDTF, MULTI_ARG, ...). */
export const TEST_UDF_DIR = fileURLToPath(new URL('../../test/conformance/udfs', import.meta.url));

/** Built-ins and `extensions` in a fresh registry per case. */
export function qttDeps(extensions: ExtensionSet = EMPTY_EXTENSIONS): RunnerDeps {
  return {
    functions: () => extensions.install(createFunctionRegistry(), { skipExisting: true }),
    topics: () => new MemoryTopics(),
    state: () => new MemoryStateBackend(),
  };
}

/** qttDeps with the test-only UDF modules loaded through the extension mechanism (`ksql.extension.dir`). */
export async function qttDepsWithExtensions(dir: string = TEST_UDF_DIR): Promise<RunnerDeps> {
  return qttDeps(await loadExtensionSet(dir));
}
