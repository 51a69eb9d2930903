/**
 * Loaded user-defined functions as a reusable set: `loadExtensionSet(dir)` imports the modules of a
 * UDF directory once (extensions.ts), and `install(registry)` registers them into any registry. The
 * server installs the set of `ksql.extension.dir` at startup; the conformance runner installs its
 * test-only functions into the fresh registry of every case.
 */
import { loadExtensions, type LoadedExtension } from './extensions.js';
import { createEmptyFunctionRegistry, createFunctionRegistry } from './registry.js';
import type { AggregateFunction, FunctionRegistry, ScalarFunction, TableFunction } from './types.js';

export interface ExtensionSet {
  readonly modules: readonly LoadedExtension[];
  readonly scalars: readonly ScalarFunction[];
  readonly aggregates: readonly AggregateFunction[];
  readonly tables: readonly TableFunction[];
  /**
   * Registers every function of the set. A name that is already taken throws, as loading does, unless
   * `skipExisting` (the conformance runner: another part may register the same test function).
   */
  install(registry: FunctionRegistry, options?: { skipExisting?: boolean }): FunctionRegistry;
}

export const EMPTY_EXTENSIONS: ExtensionSet = {
  modules: [], scalars: [], aggregates: [], tables: [], install: (r) => r,
};

/** Imports every module of `dir` (a missing directory gives an empty set); errors name the module. */
export async function loadExtensionSet(dir: string | undefined): Promise<ExtensionSet> {
  if (!dir) return EMPTY_EXTENSIONS;
  // Load against the built-ins so that a module redefining a built-in name is rejected.
  const scratch = createFunctionRegistry();
  const builtins = new Set(scratch.list().map((d) => d.name));
  const modules = await loadExtensions(dir, scratch);
  const scalars: ScalarFunction[] = [];
  const aggregates: AggregateFunction[] = [];
  const tables: TableFunction[] = [];
  for (const d of scratch.list()) {
    if (builtins.has(d.name)) continue;
    const s = scratch.scalar(d.name), a = scratch.aggregate(d.name), t = scratch.table(d.name);
    if (s) scalars.push(s); else if (a) aggregates.push(a); else if (t) tables.push(t);
  }
  return {
    modules, scalars, aggregates, tables,
    install(registry, options = {}) {
      const taken = (name: string) => options.skipExisting === true
        && (registry.scalar(name) !== undefined || registry.aggregate(name) !== undefined || registry.table(name) !== undefined);
      for (const f of scalars) if (!taken(f.description.name)) registry.registerScalar(f);
      for (const f of aggregates) if (!taken(f.description.name)) registry.registerAggregate(f);
      for (const f of tables) if (!taken(f.description.name)) registry.registerTable(f);
      return registry;
    },
  };
}

/** A registry with the built-ins and the functions of `ksql.extension.dir` (when set). */
export async function createFunctionRegistryWithExtensions(config: Readonly<Record<string, unknown>>): Promise<FunctionRegistry> {
  const dir = config['ksql.extension.dir'];
  const set = await loadExtensionSet(typeof dir === 'string' && dir.length > 0 ? dir : undefined);
  return set.install(createFunctionRegistry());
}

export { createEmptyFunctionRegistry };
