/**
 * The function registry: case-insensitive lookup of scalar, aggregate and table functions.
 * `createFunctionRegistry()` returns a registry holding every built-in (builtins/index.ts);
 * declare functions with the DSL in declare.ts.
 */
import { KsqlException } from '../errors/index.js';
import type { AggregateFunction, FunctionDescription, FunctionRegistry, ScalarFunction, TableFunction } from './types.js';
import { BUILTIN_SCALARS } from './builtins/index.js';
import { BUILTIN_AGGREGATES } from './aggregates/index.js';
import { tableFunctions } from './builtins/table.js';

export * from './declare.js';

// ---------------------------------------------------------------------------------------------
// The registry

class Registry implements FunctionRegistry {
  private readonly scalars = new Map<string, ScalarFunction>();
  private readonly aggregates = new Map<string, AggregateFunction>();
  private readonly tables = new Map<string, TableFunction>();

  scalar(name: string): ScalarFunction | undefined { return this.scalars.get(name.toUpperCase()); }
  aggregate(name: string): AggregateFunction | undefined { return this.aggregates.get(name.toUpperCase()); }
  table(name: string): TableFunction | undefined { return this.tables.get(name.toUpperCase()); }

  list(): readonly FunctionDescription[] {
    const all = [...this.scalars.values(), ...this.aggregates.values(), ...this.tables.values()].map((f) => f.description);
    return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  registerScalar(fn: ScalarFunction): void { this.register(this.scalars, fn); }
  registerAggregate(fn: AggregateFunction): void { this.register(this.aggregates, fn); }
  registerTable(fn: TableFunction): void { this.register(this.tables, fn); }

  private register<F extends { description: FunctionDescription }>(into: Map<string, F>, fn: F): void {
    const key = fn.description.name.toUpperCase();
    if (this.scalars.has(key) || this.aggregates.has(key) || this.tables.has(key)) {
      throw new KsqlException(`Function already registered: ${key}`);
    }
    into.set(key, fn);
  }
}

/** A registry without any function. */
export function createEmptyFunctionRegistry(): FunctionRegistry {
  return new Registry();
}

/** A registry with every built-in function. */
export function createFunctionRegistry(): FunctionRegistry {
  const registry = new Registry();
  for (const fn of BUILTIN_SCALARS()) registry.registerScalar(fn);
  for (const fn of BUILTIN_AGGREGATES()) registry.registerAggregate(fn);
  for (const fn of tableFunctions) registry.registerTable(fn);
  return registry;
}
