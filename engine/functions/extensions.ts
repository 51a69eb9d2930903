/**
 * User-defined functions: `loadExtensions(dir, registry)` imports every `.js`, `.mjs`, `.ts` and `.mts`
 * module directly inside `dir` (sorted by file name; `.d.ts` files are skipped) and registers the
 * functions it exports. This is Sluice's counterpart of ksqlDB's `ksql.extension.dir` of UDF jars.
 *
 * A module may export, under any export names (including `default`):
 *   - functions built with the DSL (`scalar(...)`, `aggregate(...)`, `tableFunction(...)` from
 *     engine/functions/declare.ts), or arrays of them;
 *   - plain declarations, which need no import from Sluice:
 *       export default [{
 *         name: 'multiply', kind: 'scalar',            // kind: 'scalar' (default) | 'table'
 *         description: 'Multiplies two numbers.', category: 'MATHEMATICAL',  // optional
 *         overloads: [{ params: ['a: INTEGER', 'b: INTEGER'], returns: 'INTEGER', impl: (a, b) => a * b }],
 *       }];
 *     with the same overload fields as the DSL (`nulls`, `implFor`, computed `returns`, ...). Aggregates
 *     are declared with the DSL (`aggregate(...)`) since they need more than one callback.
 *
 * Every error names the module: an import that fails, a module that exports no function, a malformed
 * declaration (bad type pattern, missing impl) or a name that is already registered (built-ins cannot be
 * replaced, as in ksqlDB). A failing module aborts the load; modules loaded before it stay registered.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KsqlException } from '../errors/index.js';
import { type FunctionMeta, type OverloadSpec, type TableOverloadSpec, overload, scalar, tableFunction, tableOverload } from './declare.js';
import type { AggregateFunction, FunctionDescription, FunctionRegistry, ScalarFunction, TableFunction } from './types.js';

const EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];

export interface LoadedExtension {
  readonly path: string;
  readonly functions: readonly string[];
}

/** Plain (import-free) declaration of a scalar or table function. */
export interface PlainFunctionDeclaration {
  readonly name: string;
  readonly kind?: 'scalar' | 'table';
  readonly description?: string;
  readonly category?: string;
  readonly author?: string;
  readonly version?: string;
  readonly overloads: readonly (OverloadSpec | TableOverloadSpec)[];
}

type AnyFunction = ScalarFunction | AggregateFunction | TableFunction;

function isFunctionObject(v: unknown): v is AnyFunction {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { description?: FunctionDescription; resolve?: unknown };
  return typeof o.resolve === 'function' && typeof o.description === 'object' && o.description !== null
    && typeof o.description.name === 'string' && ['SCALAR', 'AGGREGATE', 'TABLE'].includes(o.description.kind);
}

function isPlainDeclaration(v: unknown): v is PlainFunctionDeclaration {
  return typeof v === 'object' && v !== null && typeof (v as PlainFunctionDeclaration).name === 'string'
    && Array.isArray((v as PlainFunctionDeclaration).overloads);
}

function fail(path: string, message: string, cause?: unknown): KsqlException {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new KsqlException(`Failed to load UDF module ${path}: ${message}${detail}`, cause ? { cause } : undefined);
}

function buildPlain(path: string, decl: PlainFunctionDeclaration): AnyFunction {
  const meta: FunctionMeta = {
    category: decl.category ?? 'OTHER',
    description: decl.description ?? '',
    author: decl.author ?? '',
    version: decl.version ?? '',
    path,
  };
  try {
    if (decl.kind === 'table') return tableFunction(decl.name, meta, decl.overloads.map((o) => tableOverload(o as TableOverloadSpec)));
    if (decl.kind !== undefined && decl.kind !== 'scalar') throw new Error(`unknown kind '${String(decl.kind)}' (expected 'scalar' or 'table')`);
    if (decl.overloads.length === 0) throw new Error('no overloads');
    return scalar(decl.name, meta, decl.overloads.map((o) => overload(o as OverloadSpec)));
  } catch (e) {
    throw fail(path, `invalid declaration of function '${decl.name}'`, e);
  }
}

/** Re-labels a DSL-built function with the module path (DESCRIBE FUNCTION shows it). */
function withPath<F extends AnyFunction>(fn: F, path: string): F {
  if (fn.description.path !== 'internal') return fn;
  const description = { ...fn.description, path };
  return new Proxy(fn, { get: (target, prop) => (prop === 'description' ? description : Reflect.get(target, prop, target)) });
}

function collect(path: string, exported: Record<string, unknown>): AnyFunction[] {
  const out: AnyFunction[] = [];
  const visit = (v: unknown): void => {
    if (isFunctionObject(v)) out.push(withPath(v, path));
    else if (isPlainDeclaration(v)) out.push(buildPlain(path, v));
    else if (Array.isArray(v)) v.forEach(visit);
    // anything else (helpers, constants) is ignored
  };
  for (const value of Object.values(exported)) visit(value);
  return out;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return await import(url) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!/\.m?ts$/.test(file) || (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && !(e instanceof TypeError))) throw e;
  }
  // Plain Node cannot import TypeScript: use tsx's loader for this one module.
  const api = await import('tsx/esm/api') as { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
  return api.tsImport(url, import.meta.url);
}

/** Imports and registers one module; returns the names registered. */
export async function loadExtensionModule(file: string, registry: FunctionRegistry): Promise<LoadedExtension> {
  const path = resolvePath(file);
  let exported: Record<string, unknown>;
  try {
    exported = await importModule(path);
  } catch (e) {
    throw fail(path, 'the module could not be imported', e);
  }
  const functions = collect(path, exported);
  if (functions.length === 0) {
    throw fail(path, 'the module exports no function (export DSL-built functions or plain declarations {name, overloads})');
  }
  const names: string[] = [];
  for (const fn of functions) {
    const name = fn.description.name.toUpperCase();
    if (registry.scalar(name) || registry.aggregate(name) || registry.table(name)) {
      throw fail(path, `function '${name}' is already registered`);
    }
    switch (fn.description.kind) {
      case 'SCALAR': registry.registerScalar(fn as ScalarFunction); break;
      case 'AGGREGATE': registry.registerAggregate(fn as AggregateFunction); break;
      case 'TABLE': registry.registerTable(fn as TableFunction); break;
    }
    names.push(name);
  }
  return { path, functions: names };
}

/** Loads every UDF module in `dir` (see the file comment). A missing directory loads nothing. */
export async function loadExtensions(dir: string, registry: FunctionRegistry): Promise<LoadedExtension[]> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw new KsqlException(`Cannot read the UDF directory ${dir}`, { cause: e });
  }
  const files = entries
    .filter((f) => EXTENSIONS.some((x) => f.endsWith(x)) && !f.endsWith('.d.ts') && !f.endsWith('.d.mts'))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
  const loaded: LoadedExtension[] = [];
  for (const f of files) loaded.push(await loadExtensionModule(f, registry));
  return loaded;
}
