/**
 * The declaration DSL for scalar functions and ksqlDB's overload resolution.
 * Function modules import from here (never from registry.ts, which imports them).
 *
 * Declaring a function:
 *
 * ```ts
 * registry.registerScalar(scalar('substring', { category: 'STRING', description: 'Returns a substring.' }, [
 *   overload({ params: ['str: STRING', 'pos: INTEGER'], returns: 'STRING', impl: (s: string, p: number) => ... }),
 *   overload({ params: ['str: STRING', 'pos: INTEGER', 'len: INTEGER'], returns: 'STRING', impl: ... }),
 * ]));
 * ```
 *
 * - Parameters are type patterns (see type-pattern.ts), optionally named (`'name: TYPE'`) or given as
 *   `{name, type, description}`. A `...` prefix makes the parameter variadic (`'vals: ...STRING'`); it may
 *   appear at any position, at most once per overload, and its arguments reach `impl` as one JS array.
 * - `returns` is a pattern over the bound generics (`'ARRAY<T>'`), or a function of the resolved argument
 *   types (`(ctx) => SqlType`), for return types that depend on the arguments (DECIMAL precision etc.).
 * - `nulls` (default `'propagate'`): when any non-variadic, non-lambda argument is NULL the result is NULL
 *   and `impl` is not called. `'pass'` hands NULLs to `impl` (COALESCE, CONCAT, ...).
 * - `impl` receives the arguments already converted to the parameter types (implicit casts applied by the
 *   caller using `ResolvedFunction.argTypes`); lambdas arrive as JS functions. Alternatively `implFor(ctx)`
 *   builds the implementation once per resolved call site (e.g. to capture a comparator for the element type).
 *
 * Resolution follows ksqlDB's UdfIndex: a first pass without implicit casts (NULL literals match any
 * parameter, generics bind exactly), then a pass allowing widening INTEGER → BIGINT → DECIMAL → DOUBLE
 * (and DATE → TIMESTAMP; string literals → DATE/TIME/TIMESTAMP). Several candidates in one pass are ranked:
 * non-variadic over variadic, fewer generic parameters, then more declared parameters; a tie is
 * "cannot be resolved due to ambiguous method parameters".
 */
import { KsqlException } from '../errors/index.js';
import { type SqlType, formatSqlType } from '../types/sql-type.js';
import type {
  AggregateFunction, ArgShape, FunctionDescription, FunctionKind, FunctionSignatureDoc, LambdaSignature, ResolvedAggregate,
  ResolvedFunction, ResolvedTableFunction, ScalarFunction, TableFunction,
} from './types.js';
import {
  type Bindings, type TypePattern, countGenerics, formatPattern, matchPattern, parsePattern, substitute, targetType,
} from './type-pattern.js';

// ---------------------------------------------------------------------------------------------
// Declarations

export interface ParamDecl { readonly name?: string; readonly type: string; readonly description?: string }
export type ParamSpec = string | ParamDecl;

/** What a computed return type (or `implFor`) gets to see about one resolved call. */
export interface CallContext {
  /** The arguments as the analyzer described them. */
  readonly args: readonly ArgShape[];
  /**
   * One entry per argument: the type the argument is converted to before `impl` (for untyped NULL
   * arguments the parameter type, or null when that is an unbound generic); lambda arguments give
   * their signature.
   */
  readonly argTypes: readonly (SqlType | LambdaSignature | null)[];
  /** Generic bindings, including those bound by lambda return types. */
  readonly bindings: ReadonlyMap<string, SqlType>;
}

export interface ImplContext extends CallContext {
  readonly returnType: SqlType;
}

export type ReturnSpec = string | ((ctx: CallContext) => SqlType);
export type NullPolicy = 'propagate' | 'pass';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Impl = (...args: any[]) => unknown;

export interface OverloadSpec {
  readonly params: readonly ParamSpec[];
  readonly returns: ReturnSpec;
  /** How the return type reads in DESCRIBE FUNCTION when `returns` is a function (default: 'ANY'). */
  readonly returnDoc?: string;
  readonly description?: string;
  readonly nulls?: NullPolicy;
  readonly impl?: Impl;
  readonly implFor?: (ctx: ImplContext) => Impl;
}

export interface ParamInfo {
  readonly name: string;
  readonly description: string;
  readonly pattern: TypePattern;
  readonly variadic: boolean;
}

/** The resolution-relevant part of a parsed overload (shared by scalar, aggregate and table functions). */
export interface OverloadCore {
  readonly params: readonly ParamInfo[];
  /** Index of the variadic parameter, or -1. */
  readonly variadicIndex: number;
  readonly returns: ReturnSpec;
  readonly returnPattern: TypePattern | null;
  readonly returnDoc: string;
  readonly description: string;
  readonly genericCount: number;
}

/** A parsed scalar overload. */
export interface Overload extends OverloadCore {
  readonly nulls: NullPolicy;
  readonly implFor: (ctx: ImplContext) => Impl;
}

/** The declaration fields every kind of overload shares. */
export interface OverloadCoreSpec {
  readonly params: readonly ParamSpec[];
  readonly returns: ReturnSpec;
  readonly returnDoc?: string;
  readonly description?: string;
}

const PARAM_RE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+)$/s;

/** Parses the shared part of an overload declaration. */
export function overloadCore(spec: OverloadCoreSpec): OverloadCore {
  let variadicIndex = -1;
  const params = spec.params.map((p, i): ParamInfo => {
    let name = '';
    let type: string;
    let description = '';
    if (typeof p === 'string') {
      const m = PARAM_RE.exec(p);
      if (m) { name = m[1]!; type = m[2]!; } else type = p;
    } else {
      name = p.name ?? '';
      type = p.type;
      description = p.description ?? '';
    }
    type = type.trim();
    const variadic = type.startsWith('...');
    if (variadic) {
      if (variadicIndex >= 0) throw new Error(`Only one variadic parameter allowed: ${spec.params.join(', ')}`);
      variadicIndex = i;
      type = type.slice(3);
    }
    return { name, description, pattern: parsePattern(type), variadic };
  });
  const returnPattern = typeof spec.returns === 'string' ? parsePattern(spec.returns) : null;
  return {
    params,
    variadicIndex,
    returns: spec.returns,
    returnPattern,
    returnDoc: spec.returnDoc ?? (returnPattern ? formatPattern(returnPattern) : 'ANY'),
    description: spec.description ?? '',
    genericCount: params.reduce((n, p) => n + countGenerics(p.pattern), 0),
  };
}

export function overload(spec: OverloadSpec): Overload {
  if (!spec.impl && !spec.implFor) throw new Error('An overload needs impl or implFor');
  const impl = spec.impl;
  return {
    ...overloadCore(spec),
    nulls: spec.nulls ?? 'propagate',
    implFor: spec.implFor ?? (() => impl!),
  };
}

export interface FunctionMeta {
  readonly category: string;
  readonly description: string;
  readonly author?: string;
  readonly version?: string;
  /** 'internal' for built-ins (default), the module path for user-defined functions. */
  readonly path?: string;
}

/** Builds a scalar function family. `name` is the declared name, used as written in error messages. */
export function scalar(name: string, meta: FunctionMeta, overloads: readonly Overload[]): ScalarFunctionImpl {
  return new ScalarFunctionImpl(name, meta, overloads);
}

// ---------------------------------------------------------------------------------------------
// Resolution

interface Candidate<O extends OverloadCore> {
  readonly overload: O;
  readonly bindings: Bindings;
  /** For each argument, the parameter it matched. */
  readonly paramFor: readonly ParamInfo[];
}

export function formatArgShape(a: ArgShape): string {
  switch (a.kind) {
    case 'value': return a.type === null ? 'null' : formatSqlType(a.type, { quoteFields: false });
    case 'lambda': return `LAMBDA`;
    case 'timeUnit': return a.unit;
  }
}

function isStringLiteral(a: ArgShape): boolean {
  return a.kind === 'value' && a.type?.base === 'STRING' && a.literal !== undefined && a.literal !== null;
}

function matchOverload<O extends OverloadCore>(o: O, args: readonly ArgShape[], allowCast: boolean): Candidate<O> | null {
  const n = o.params.length;
  const v = o.variadicIndex;
  if (v < 0 ? args.length !== n : args.length < n - 1) return null;
  const bindings: Bindings = new Map();
  const paramFor: ParamInfo[] = [];
  const after = v < 0 ? 0 : n - v - 1;
  for (let i = 0; i < args.length; i++) {
    let param: ParamInfo;
    if (v < 0 || i < v) param = o.params[i]!;
    else if (i >= args.length - after) param = o.params[n - (args.length - i)]!;
    else param = o.params[v]!;
    const arg = args[i]!;
    paramFor.push(param);
    const pat = param.pattern;
    if (arg.kind === 'lambda') {
      if (pat.kind !== 'lambda' || pat.params.length !== arg.arity) return null;
      continue;
    }
    if (pat.kind === 'lambda') return null;
    if (arg.kind === 'timeUnit') {
      // a bare time unit fits a TIMEUNIT parameter (and, for compatibility, ANY)
      if (pat.kind !== 'timeUnit' && pat.kind !== 'any') return null;
      continue;
    }
    if (pat.kind === 'timeUnit') return null;
    if (arg.type === null) continue;
    if (!matchPattern(pat, arg.type, bindings, allowCast, isStringLiteral(arg))) return null;
  }
  return { overload: o, bindings, paramFor };
}

/** Positive when `a` is preferred over `b`. */
function compareCandidates(a: OverloadCore, b: OverloadCore): number {
  const va = a.variadicIndex >= 0 ? 0 : 1;
  const vb = b.variadicIndex >= 0 ? 0 : 1;
  if (va !== vb) return va - vb;
  if (a.genericCount !== b.genericCount) return b.genericCount - a.genericCount;
  return a.params.length - b.params.length;
}

/** The outcome of resolving a call against a list of overloads. */
export interface ResolvedCall<O extends OverloadCore> {
  readonly overload: O;
  readonly returnType: SqlType;
  /** As in CallContext.argTypes: one entry per argument, null for time units and untyped NULLs of unbound generics. */
  readonly argTypes: readonly (SqlType | LambdaSignature | null)[];
  readonly bindings: ReadonlyMap<string, SqlType>;
  readonly context: CallContext;
}

/** Picks the overload for `args` (without typing lambdas); throws ksqlDB's messages. */
export function chooseOverload<O extends OverloadCore>(name: string, overloads: readonly O[], args: readonly ArgShape[]): Candidate<O> {
  for (const allowCast of [false, true]) {
    const found: Candidate<O>[] = [];
    for (const o of overloads) {
      const c = matchOverload(o, args, allowCast);
      if (c) found.push(c);
    }
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      found.sort((x, y) => compareCandidates(y.overload, x.overload));
      if (compareCandidates(found[0]!.overload, found[1]!.overload) > 0) return found[0]!;
      throw new KsqlException(
        `Function '${name}' cannot be resolved due to ambiguous method parameters (${args.map(formatArgShape).join(', ')}).`);
    }
  }
  throw noMatch(name, overloads, args);
}

/**
 * Resolves a call: chooses the overload, types lambda arguments in order (their parameters come from
 * generics bound so far, their bodies may bind more) and computes the return type.
 */
export function resolveCall<O extends OverloadCore>(name: string, overloads: readonly O[], args: readonly ArgShape[]): ResolvedCall<O> {
  const cand = chooseOverload(name, overloads, args);
  const { overload: o, bindings } = cand;
  const argTypes: (SqlType | LambdaSignature | null)[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const pat = cand.paramFor[i]!.pattern;
    if (arg.kind === 'lambda' && pat.kind === 'lambda') {
      const paramTypes = pat.params.map((p) => substitute(p, bindings));
      if (paramTypes.some((t) => t === null)) {
        throw new KsqlException(`Function '${name}' cannot resolve the lambda parameter types for parameters (${args.map(formatArgShape).join(', ')}).`);
      }
      const bodyType = arg.typeBody(paramTypes as SqlType[]);
      if (!matchPattern(pat.returns, bodyType, bindings, false)) {
        throw noMatch(name, overloads, args);
      }
      argTypes.push({ kind: 'lambda', paramTypes: paramTypes as SqlType[], returnType: bodyType });
    } else if (arg.kind === 'timeUnit') {
      argTypes.push(null);
    } else {
      argTypes.push(targetType(pat, arg.kind === 'value' ? arg.type : null, bindings));
    }
  }
  const context: CallContext = { args, argTypes, bindings };
  const returnType = typeof o.returns === 'function' ? o.returns(context) : substitute(o.returnPattern!, bindings);
  if (returnType === null) {
    throw new KsqlException(`Function '${name}' cannot resolve its return type ${o.returnDoc} for parameters (${args.map(formatArgShape).join(', ')}).`);
  }
  return { overload: o, returnType, argTypes, bindings, context };
}

/** ResolvedFunction.argTypes from a resolved call: unbound NULL arguments take the return type (any type does). */
function finalArgTypes(call: ResolvedCall<OverloadCore>, args: readonly ArgShape[]): (SqlType | LambdaSignature | 'timeUnit')[] {
  return call.argTypes.map((t, i) => (args[i]!.kind === 'timeUnit' ? 'timeUnit' as const : t ?? call.returnType));
}

export class ScalarFunctionImpl implements ScalarFunction {
  readonly description: FunctionDescription;
  readonly name: string;
  readonly overloads: readonly Overload[];

  constructor(name: string, meta: FunctionMeta, overloads: readonly Overload[]) {
    this.name = name;
    this.overloads = overloads;
    this.description = describe(name, 'SCALAR', meta, overloads);
  }

  resolve(args: readonly ArgShape[]): ResolvedFunction {
    const call = resolveCall(this.name, this.overloads, args);
    const o = call.overload;
    const impl = o.implFor({ ...call.context, returnType: call.returnType });
    return { returnType: call.returnType, argTypes: finalArgTypes(call, args), invoke: wrapInvoke(o, impl, args.length) };
  }
}

function noMatch(name: string, overloads: readonly OverloadCore[], args: readonly ArgShape[]): KsqlException {
  const alternatives = overloads.map((o) => formatSignature(name, o)).join('\n');
  return new KsqlException(
    `Function '${name}' does not accept parameters (${args.map(formatArgShape).join(', ')}).\n`
    + `Valid alternatives are:\n${alternatives}\n`
    + 'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;');
}

/** `explode(ARRAY<T> list)`, `concat(VARCHAR... inputs)`. */
export function formatSignature(name: string, o: OverloadCore): string {
  return `${name}(${o.params
    .map((p) => `${formatPattern(p.pattern)}${p.variadic ? '...' : ''}${p.name ? ' ' + p.name : ''}`)
    .join(', ')})`;
}

/** Adapts the flat argument list of the compiled call to the declared shape (variadic array, null policy). */
function wrapInvoke(o: OverloadCore & { readonly nulls: NullPolicy }, impl: Impl, argCount: number, nullResult: unknown = null): (...args: unknown[]) => unknown {
  const v = o.variadicIndex;
  const propagate = o.nulls === 'propagate';
  const checked: number[] = [];
  if (propagate) {
    const after = v < 0 ? 0 : o.params.length - v - 1;
    for (let i = 0; i < argCount; i++) {
      const isVariadicArg = v >= 0 && i >= v && i < argCount - after;
      const p = isVariadicArg ? null : (v < 0 || i < v ? o.params[i] : o.params[o.params.length - (argCount - i)]);
      if (p && p.pattern.kind !== 'lambda' && !isVariadicArg) checked.push(i);
    }
  }
  if (v < 0) {
    if (!propagate || checked.length === 0) return impl;
    if (checked.length === 1) {
      const c = checked[0]!;
      return (...args: unknown[]) => (args[c] === null || args[c] === undefined ? nullResult : impl(...args));
    }
    return (...args: unknown[]) => {
      for (let k = 0; k < checked.length; k++) { const a = args[checked[k]!]; if (a === null || a === undefined) return nullResult; }
      return impl(...args);
    };
  }
  const after = o.params.length - v - 1;
  return (...args: unknown[]) => {
    if (propagate) {
      for (let k = 0; k < checked.length; k++) { const a = args[checked[k]!]; if (a === null || a === undefined) return nullResult; }
    }
    const end = args.length - after;
    const shaped = args.slice(0, v);
    shaped.push(args.slice(v, end));
    for (let i = end; i < args.length; i++) shaped.push(args[i]);
    return impl(...shaped);
  };
}

function describe(name: string, kind: FunctionKind, meta: FunctionMeta, overloads: readonly OverloadCore[]): FunctionDescription {
  const signatures: FunctionSignatureDoc[] = overloads.map((o) => ({
    arguments: o.params.map((p) => ({
      name: p.name,
      // like ksqlDB's DescribeFunctionExecutor: a variadic parameter shows its element type
      type: formatPattern(p.pattern),
      description: p.description,
      isVariadic: p.variadic,
    })),
    returnType: o.returnDoc,
    description: o.description || meta.description,
  }));
  return {
    name: name.toUpperCase(),
    kind,
    category: meta.category,
    description: meta.description,
    author: meta.author ?? 'Confluent',
    version: meta.version ?? '',
    path: meta.path ?? 'internal',
    signatures,
  };
}

/** Builds a FunctionDescription for aggregate/table functions declared elsewhere. */
export function describeFunction(name: string, kind: FunctionKind, meta: FunctionMeta, overloads: readonly OverloadCore[]): FunctionDescription {
  return describe(name, kind, meta, overloads);
}


// ---------------------------------------------------------------------------------------------
// Aggregate functions (UDAF) and table functions (UDTF), resolved the same way.

/** The behaviour of one resolved aggregate (see ResolvedAggregate in types.ts for the lifecycle). */
export interface AggregateImpl<A = unknown> {
  initialize(): A;
  aggregate(args: readonly unknown[], acc: A): A;
  undo?(args: readonly unknown[], acc: A): A;
  merge(a: A, b: A): A;
  map(acc: A): unknown;
}

export interface AggregateContext extends ImplContext {
  /** The evaluated literal trailing arguments (e.g. TOPK's k). */
  readonly constantArgs: readonly unknown[];
  readonly aggregateType: SqlType;
}

export interface AggregateOverloadSpec extends OverloadCoreSpec {
  /** The accumulator type (pattern over the bound generics, or computed). */
  readonly aggregateType: ReturnSpec;
  readonly create: (ctx: AggregateContext) => AggregateImpl<any>;
}

export interface AggregateOverload extends OverloadCore {
  readonly aggregateType: ReturnSpec;
  readonly aggregatePattern: TypePattern | null;
  readonly create: (ctx: AggregateContext) => AggregateImpl<any>;
}

export function aggregateOverload(spec: AggregateOverloadSpec): AggregateOverload {
  return {
    ...overloadCore(spec),
    aggregateType: spec.aggregateType,
    aggregatePattern: typeof spec.aggregateType === 'string' ? parsePattern(spec.aggregateType) : null,
    create: spec.create,
  };
}

function valueArgTypes(name: string, types: readonly (SqlType | LambdaSignature | 'timeUnit')[]): SqlType[] {
  return types.map((t) => {
    if (t === 'timeUnit' || 'kind' in t) throw new KsqlException(`Function '${name}' does not accept lambda or time unit arguments.`);
    return t;
  });
}

export class AggregateFunctionImpl implements AggregateFunction {
  readonly description: FunctionDescription;
  constructor(readonly name: string, meta: FunctionMeta, readonly overloads: readonly AggregateOverload[]) {
    this.description = describe(name, 'AGGREGATE', meta, overloads);
  }

  resolve(args: readonly ArgShape[], constantArgs: readonly unknown[]): ResolvedAggregate {
    const call = resolveCall(this.name, this.overloads, args);
    const o = call.overload;
    const aggregateType = typeof o.aggregateType === 'function' ? o.aggregateType(call.context) : substitute(o.aggregatePattern!, call.bindings);
    if (aggregateType === null) throw new KsqlException(`Function '${this.name}' cannot resolve its aggregate type.`);
    const impl = o.create({ ...call.context, returnType: call.returnType, constantArgs, aggregateType });
    const resolved: ResolvedAggregate = {
      returnType: call.returnType,
      aggregateType,
      argTypes: valueArgTypes(this.name, finalArgTypes(call, args)),
      initialize: () => impl.initialize(),
      aggregate: (a, acc) => impl.aggregate(a, acc),
      merge: (a, b) => impl.merge(a, b),
      map: (acc) => impl.map(acc),
    };
    return impl.undo ? { ...resolved, undo: (a, acc) => impl.undo!(a, acc) } : resolved;
  }
}

/** Builds an aggregate function family. */
export function aggregate(name: string, meta: FunctionMeta, overloads: readonly AggregateOverload[]): AggregateFunctionImpl {
  return new AggregateFunctionImpl(name, meta, overloads);
}

export interface TableOverloadSpec extends OverloadCoreSpec {
  /** `returns` is the type of one produced row value. With 'propagate' (default) a NULL argument produces no rows. */
  readonly nulls?: NullPolicy;
  readonly impl?: (...args: any[]) => readonly unknown[];
  readonly implFor?: (ctx: ImplContext) => (...args: any[]) => readonly unknown[];
}

export interface TableOverload extends OverloadCore {
  readonly nulls: NullPolicy;
  readonly implFor: (ctx: ImplContext) => (...args: any[]) => readonly unknown[];
}

export function tableOverload(spec: TableOverloadSpec): TableOverload {
  if (!spec.impl && !spec.implFor) throw new Error('A table overload needs impl or implFor');
  const impl = spec.impl;
  return { ...overloadCore(spec), nulls: spec.nulls ?? 'propagate', implFor: spec.implFor ?? (() => impl!) };
}

export class TableFunctionImpl implements TableFunction {
  readonly description: FunctionDescription;
  constructor(readonly name: string, meta: FunctionMeta, readonly overloads: readonly TableOverload[]) {
    this.description = describe(name, 'TABLE', meta, overloads);
  }

  resolve(args: readonly ArgShape[]): ResolvedTableFunction {
    const call = resolveCall(this.name, this.overloads, args);
    const o = call.overload;
    const impl = o.implFor({ ...call.context, returnType: call.returnType });
    const invoke = wrapInvoke(o, impl, args.length, []) as (...a: unknown[]) => readonly unknown[];
    return { returnType: call.returnType, argTypes: valueArgTypes(this.name, finalArgTypes(call, args)), invoke };
  }
}

/** Builds a table function family. */
export function tableFunction(name: string, meta: FunctionMeta, overloads: readonly TableOverload[]): TableFunctionImpl {
  return new TableFunctionImpl(name, meta, overloads);
}
