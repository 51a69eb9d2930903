/** Test helpers: resolve and invoke a built-in the way the analyzer and compiler will. */
import { castValue } from '../../engine/functions/cast.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import type { ArgShape, LambdaSignature, ResolvedFunction } from '../../engine/functions/types.js';
import { Decimal } from '../../engine/types/decimal.js';
import { type SqlType, SqlTypes } from '../../engine/types/sql-type.js';

export const registry = createFunctionRegistry();

export interface ValueArg { readonly kind: 'value'; readonly type: SqlType | null; readonly value: unknown; readonly literal?: boolean }
export interface LambdaArg {
  readonly kind: 'lambda';
  readonly arity: number;
  readonly fn: (...xs: unknown[]) => unknown;
  readonly body: (p: readonly SqlType[]) => SqlType;
}
export type Arg = ValueArg | LambdaArg;

const T = SqlTypes;
export const int = (v: number | null): ValueArg => ({ kind: 'value', type: T.INTEGER, value: v });
export const big = (v: number | bigint | null): ValueArg => ({ kind: 'value', type: T.BIGINT, value: v });
export const dbl = (v: number | null): ValueArg => ({ kind: 'value', type: T.DOUBLE, value: v });
export const str = (v: string | null): ValueArg => ({ kind: 'value', type: T.STRING, value: v });
export const strLit = (v: string): ValueArg => ({ kind: 'value', type: T.STRING, value: v, literal: true });
export const bool = (v: boolean | null): ValueArg => ({ kind: 'value', type: T.BOOLEAN, value: v });
export const bytes = (b64: string | null): ValueArg => ({ kind: 'value', type: T.BYTES, value: b64 === null ? null : Buffer.from(b64, 'base64') });
export const dec = (v: string | null, p: number, s: number): ValueArg => ({ kind: 'value', type: T.decimal(p, s), value: v === null ? null : Decimal.parse(v) });
export const nul = (): ValueArg => ({ kind: 'value', type: null, value: null });
export const typed = (type: SqlType, value: unknown): ValueArg => ({ kind: 'value', type, value });
export const arr = (element: SqlType, values: unknown[] | null): ValueArg => ({ kind: 'value', type: T.array(element), value: values });
export const map = (k: SqlType, v: SqlType, obj: Record<string, unknown> | null): ValueArg =>
  ({ kind: 'value', type: T.map(k, v), value: obj === null ? null : new Map(Object.entries(obj)) });
export const lam = (arity: number, fn: (...xs: any[]) => unknown, body: (p: readonly SqlType[]) => SqlType): LambdaArg =>
  ({ kind: 'lambda', arity, fn, body });

export function shapes(args: readonly Arg[]): ArgShape[] {
  return args.map((a): ArgShape => (a.kind === 'lambda'
    ? { kind: 'lambda', arity: a.arity, typeBody: a.body }
    : a.literal ? { kind: 'value', type: a.type, literal: a.value } : { kind: 'value', type: a.type }));
}

export function resolve(name: string, ...args: Arg[]): ResolvedFunction {
  const fn = registry.scalar(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.resolve(shapes(args));
}

/** Resolves, converts the arguments to the parameter types, invokes. Errors thrown by the function become null (as at runtime) unless `raw`. */
export function call(name: string, ...args: Arg[]): unknown {
  const r = resolve(name, ...args);
  const values = args.map((a, i) => {
    if (a.kind === 'lambda') return a.fn;
    const target = r.argTypes[i] as SqlType | LambdaSignature | 'timeUnit';
    if (a.type === null || typeof target === 'string' || 'kind' in target) return a.value;
    return castValue(a.value, a.type, target as SqlType);
  });
  return r.invoke(...values);
}

export function callOrError(name: string, ...args: Arg[]): unknown {
  try { return call(name, ...args); } catch (e) { return e instanceof Error ? `ERROR: ${e.message}` : 'ERROR'; }
}

/** Decimal → string for comparisons. */
export function plain(v: unknown): unknown {
  if (v instanceof Decimal) return v.toPlainString();
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return v;
}
