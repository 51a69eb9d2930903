/**
 * BIGINT values: a JS number while the value is a safe integer, a `bigint` beyond ±(2^53 − 1).
 *
 * Why: nearly every BIGINT in practice (ids, epoch millis) is a safe integer, and plain numbers keep
 * the hot path fast; the rare 64-bit values stay exact as bigints. `normalizeLong` keeps one
 * representation per value so that `===` works, and `<`/`>` compare numbers and bigints correctly.
 * Arithmetic wraps at 64 bits like Java's `long`.
 */
export type Long = number | bigint;

export const LONG_MAX = 9223372036854775807n;
export const LONG_MIN = -9223372036854775808n;

export function normalizeLong(v: bigint): Long {
  const w = BigInt.asIntN(64, v);
  return w >= -9007199254740991n && w <= 9007199254740991n ? Number(w) : w;
}

export function toBigInt(v: Long): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

export function longAdd(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normalizeLong(toBigInt(a) + toBigInt(b));
}

export function longSub(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normalizeLong(toBigInt(a) - toBigInt(b));
}

export function longMul(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normalizeLong(toBigInt(a) * toBigInt(b));
}

/** Java long division truncates toward zero; division by zero throws ArithmeticException ("/ by zero"). */
export function longDiv(a: Long, b: Long): Long {
  if (b === 0) throw new RangeError('/ by zero');
  if (typeof a === 'number' && typeof b === 'number') return Math.trunc(a / b);
  return normalizeLong(toBigInt(a) / toBigInt(b));
}

export function longMod(a: Long, b: Long): Long {
  if (b === 0) throw new RangeError('/ by zero');
  if (typeof a === 'number' && typeof b === 'number') return a % b;
  return normalizeLong(toBigInt(a) % toBigInt(b));
}

export function longNeg(a: Long): Long {
  return typeof a === 'number' ? (a === 0 ? 0 : -a) : normalizeLong(-a);
}

/** Parses an integer string exactly; returns null when it is not a valid 64-bit integer. */
export function parseLong(text: string): Long | null {
  if (!/^[+-]?\d+$/.test(text.trim())) return null;
  const v = BigInt(text.trim());
  if (v > LONG_MAX || v < LONG_MIN) return null;
  return normalizeLong(v);
}

export function longToNumber(v: Long): number {
  return typeof v === 'number' ? v : Number(v);
}

/** Java `(int)` narrowing of a long. */
export function longToInt(v: Long): number {
  return typeof v === 'number' ? Number(BigInt.asIntN(32, BigInt(v))) : Number(BigInt.asIntN(32, v));
}

/** Java's `(long) d` narrowing: truncates, saturates at the long range, NaN → 0. */
export function doubleToLong(d: number): Long {
  if (Number.isNaN(d)) return 0;
  const t = Math.trunc(d);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  if (t >= 9223372036854775807) return normalizeLong(LONG_MAX);
  if (t <= -9223372036854775808) return normalizeLong(LONG_MIN);
  return normalizeLong(BigInt(t));
}
