/**
 * The function registry contract shared by the analyzer (type resolution), the expression
 * compiler (invocation) and SHOW FUNCTIONS / DESCRIBE FUNCTION.
 *
 * Resolution follows ksqlDB's UdfIndex: exact matches first, then implicit widening
 * (INTEGER → BIGINT → DECIMAL → DOUBLE; NULL literals match any parameter), generics (`T`, `ARRAY<T>`,
 * `MAP<K, V>`) bound from the arguments, variadic tails, and lambda parameters typed from the bound
 * generics. Lambdas are typed by calling back into the analyzer (`LambdaArg.typeBody`).
 */
import type { SqlType } from '../types/sql-type.js';

export type FunctionKind = 'SCALAR' | 'AGGREGATE' | 'TABLE';

/** What the analyzer knows about one argument at resolution time. */
export type ArgShape =
  /** `type` is null for an untyped NULL literal. `literal` carries the value of constant arguments (some functions need it, e.g. DECIMAL precision). */
  | { readonly kind: 'value'; readonly type: SqlType | null; readonly literal?: unknown }
  /** A lambda of `arity` parameters; `typeBody` types its body given the parameter types. */
  | { readonly kind: 'lambda'; readonly arity: number; readonly typeBody: (paramTypes: readonly SqlType[]) => SqlType }
  /** A bare time unit such as `SECONDS` (TIMESTAMPADD and friends); passed to the implementation as its name. */
  | { readonly kind: 'timeUnit'; readonly unit: string };

/** A chosen overload. */
export interface ResolvedFunction {
  readonly returnType: SqlType;
  /**
   * The type each argument must be converted to before `invoke` (implicit casts the compiler inserts),
   * one entry per argument; for lambda arguments, the lambda's parameter types followed by nothing else.
   */
  readonly argTypes: readonly (SqlType | LambdaSignature | 'timeUnit')[];
  /**
   * The implementation. Arguments arrive already converted; lambdas arrive as plain JS functions.
   * Returns the SQL value (null for NULL). Throwing is allowed: the caller logs the error to the
   * processing log and uses null, as ksqlDB does.
   */
  readonly invoke: (...args: unknown[]) => unknown;
}

export interface LambdaSignature {
  readonly kind: 'lambda';
  readonly paramTypes: readonly SqlType[];
  readonly returnType: SqlType;
}

/** One overload as shown by DESCRIBE FUNCTION. */
export interface FunctionSignatureDoc {
  readonly arguments: readonly { readonly name: string; readonly type: string; readonly description: string; readonly isVariadic: boolean }[];
  readonly returnType: string;
  readonly description: string;
}

export interface FunctionDescription {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly category: string;
  readonly description: string;
  readonly author: string;
  readonly version: string;
  /** 'internal' for built-ins, the module path for user-defined functions. */
  readonly path: string;
  readonly signatures: readonly FunctionSignatureDoc[];
}

/** A scalar function family (all overloads of one name). */
export interface ScalarFunction {
  readonly description: FunctionDescription;
  /**
   * Chooses the overload for these arguments, or throws a KsqlException with ksqlDB's message
   * (e.g. "Function 'X' does not accept parameters (STRING, INTEGER).").
   */
  resolve(args: readonly ArgShape[]): ResolvedFunction;
}

/** Aggregate state lives in state stores, so accumulators must be serialisable with the given type. */
export interface ResolvedAggregate<A = unknown> {
  readonly returnType: SqlType;
  /** The SQL type of the accumulator (used to serialise it into the state store). */
  readonly aggregateType: SqlType;
  readonly argTypes: readonly SqlType[];
  initialize(): A;
  /** Folds one input (the evaluated arguments, one per non-constant parameter) into the accumulator. */
  aggregate(args: readonly unknown[], acc: A): A;
  /** Removes one input previously folded (aggregations over tables). Absent when the function cannot undo. */
  undo?(args: readonly unknown[], acc: A): A;
  /** Combines two session accumulators when session windows merge. */
  merge(a: A, b: A): A;
  /** The result exposed for an accumulator. */
  map(acc: A): unknown;
}

export interface AggregateFunction {
  readonly description: FunctionDescription;
  /**
   * `constantArgs` holds, per argument, its value when the argument is a literal (undefined
   * otherwise); trailing init parameters (TOPK's k) must be literals. `options.config` carries the
   * query's properties (e.g. `ksql.functions.collect_list.limit`), `options.argText` the arguments
   * as written, for error messages.
   */
  resolve(
    args: readonly ArgShape[],
    constantArgs: readonly unknown[],
    options?: { readonly config?: Readonly<Record<string, unknown>>; readonly argText?: (index: number) => string },
  ): ResolvedAggregate & {
    /**
     * The first `columnArgCount` arguments are evaluated per record; the rest are literal init
     * args. Absent: every argument is evaluated per record.
     */
    readonly columnArgCount?: number;
  };
}

export interface ResolvedTableFunction {
  readonly returnType: SqlType;
  readonly argTypes: readonly SqlType[];
  /** One output value per produced row. */
  invoke(...args: unknown[]): readonly unknown[];
}

export interface TableFunction {
  readonly description: FunctionDescription;
  resolve(args: readonly ArgShape[]): ResolvedTableFunction;
}

export interface FunctionRegistry {
  scalar(name: string): ScalarFunction | undefined;
  aggregate(name: string): AggregateFunction | undefined;
  table(name: string): TableFunction | undefined;
  /** Every function, for SHOW FUNCTIONS (sorted by name). */
  list(): readonly FunctionDescription[];
  registerScalar(fn: ScalarFunction): void;
  registerAggregate(fn: AggregateFunction): void;
  registerTable(fn: TableFunction): void;
}
