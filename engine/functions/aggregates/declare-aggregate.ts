/**
 * The declaration DSL for aggregate functions (UDAFs), on top of the scalar overload resolution in
 * declare.ts, so that aggregates resolve and fail with the same messages as scalars
 * ("Function 'X' does not accept parameters (...)").
 *
 * An overload lists every parameter, the per-record ("column") ones first and then `literals`
 * trailing init parameters that must be literal constants (TOPK's k, LATEST_BY_OFFSET's n and
 * ignoreNulls), as ksqlDB's `@UdafFactory` parameters. `create` builds the accumulator logic once
 * per call site from the resolved argument types and the literal values.
 *
 * Accumulators live in state stores and are encoded with the state codec, so they must be plain
 * values (numbers, bigint, strings, arrays, plain objects, Map, Decimal, Buffer). `aggregate`,
 * `undo` and `merge` must not mutate their input accumulator: the previous value is still needed
 * for the old row sent downstream (HAVING, table retraction).
 */
import { KsqlException } from '../../errors/index.js';
import type { SqlType } from '../../types/sql-type.js';
import { describeFunction, overloadCore, resolveCall, type FunctionMeta, type ImplContext, type OverloadCore, type ParamSpec, type ReturnSpec } from '../declare.js';
import type { AggregateFunction, ArgShape, FunctionDescription, ResolvedAggregate } from '../types.js';
import { parsePattern, substitute } from '../type-pattern.js';

export interface AggregateImpl<A = unknown> {
  initialize(): A;
  aggregate(args: readonly unknown[], acc: A): A;
  undo?(args: readonly unknown[], acc: A): A;
  merge(a: A, b: A): A;
  map(acc: A): unknown;
}

export interface AggregateCreateContext extends ImplContext {
  /** Values of the literal init parameters, in order. */
  readonly literals: readonly unknown[];
  /** Types of the column arguments, after implicit casts. */
  readonly columnTypes: readonly SqlType[];
  readonly config: Readonly<Record<string, unknown>>;
}

export interface AggregateOverloadSpec {
  readonly params: readonly ParamSpec[];
  /** How many trailing parameters are literal init arguments (default 0). */
  readonly literals?: number;
  readonly returns: ReturnSpec;
  /** The accumulator's SQL type (checked against the value format of internal topics); defaults to the return type. */
  readonly aggregateType?: ReturnSpec;
  readonly description?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly create: (ctx: AggregateCreateContext) => AggregateImpl<any>;
}

export interface ResolveOptions {
  readonly config?: Readonly<Record<string, unknown>>;
  /** The argument as written, for "must be a literal constant" messages. */
  readonly argText?: (index: number) => string;
}

interface AggOverload extends OverloadCore {
  readonly spec: AggregateOverloadSpec;
  readonly literals: number;
}

class AggregateFunctionImpl implements AggregateFunction {
  readonly description: FunctionDescription;
  private readonly overloads: readonly AggOverload[];

  constructor(readonly name: string, meta: FunctionMeta, specs: readonly AggregateOverloadSpec[]) {
    this.overloads = specs.map((spec) => ({ ...overloadCore(spec), spec, literals: spec.literals ?? 0 }));
    this.description = describeFunction(name, 'AGGREGATE', meta, this.overloads);
  }

  resolve(args: readonly ArgShape[], constantArgs: readonly unknown[], options: ResolveOptions = {}): ResolvedAggregate & { readonly columnArgCount: number } {
    const call = resolveCall(this.name, this.overloads, args);
    const variant = call.overload;
    const nCols = args.length - variant.literals;
    const literals: unknown[] = [];
    for (let i = nCols; i < args.length; i++) {
      const a = args[i]!;
      const value = constantArgs[i] !== undefined ? constantArgs[i] : a.kind === 'value' ? a.literal : undefined;
      if (value === undefined) {
        const text = options.argText ? options.argText(i) : `argument ${i + 1}`;
        throw new KsqlException(`Parameter ${i + 1} passed to function ${this.name.toUpperCase()} must be a literal constant, but was expression: '${text}'`);
      }
      literals.push(value);
    }
    const ctx: ImplContext = { ...call.context, returnType: call.returnType };
    const columnTypes = call.argTypes.slice(0, nCols).map((t) => (t ?? call.returnType) as SqlType);
    const impl = variant.spec.create({ ...ctx, literals, columnTypes, config: options.config ?? {} });
    const aggSpec = variant.spec.aggregateType;
    const aggregateType = aggSpec === undefined ? call.returnType : typeof aggSpec === 'function' ? aggSpec(call.context) : parseReturn(aggSpec, ctx);
    return {
      returnType: call.returnType,
      aggregateType,
      argTypes: columnTypes,
      columnArgCount: nCols,
      initialize: () => impl.initialize(),
      aggregate: (a, acc) => impl.aggregate(a, acc),
      ...(impl.undo ? { undo: (a: readonly unknown[], acc: unknown) => impl.undo!(a, acc) } : {}),
      merge: (a, b) => impl.merge(a, b),
      map: (acc) => impl.map(acc),
    };
  }
}

function parseReturn(pattern: string, ctx: ImplContext): SqlType {
  const t = substitute(parsePattern(pattern), ctx.bindings as Map<string, SqlType>);
  if (!t) throw new Error(`Cannot resolve aggregate type ${pattern}`);
  return t;
}

/** Declares an aggregate function family. */
export function aggregate(name: string, meta: FunctionMeta, overloads: readonly AggregateOverloadSpec[]): AggregateFunction {
  return new AggregateFunctionImpl(name, meta, overloads);
}
