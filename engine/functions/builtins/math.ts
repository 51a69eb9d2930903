/**
 * Mathematical functions (ksqlDB udf/math). Functions ksqlDB declares for INT, BIGINT and DOUBLE with
 * a DOUBLE result are declared once on DOUBLE here: implicit widening gives the same overload choice
 * and result.
 */
import { KsqlException } from '../../errors/index.js';
import { Decimal, type RoundingMode } from '../../types/decimal.js';
import { type Long, doubleToLong, longNeg, normalizeLong, toBigInt } from '../../types/long.js';
import { type DecimalType, type SqlType, SqlTypes } from '../../types/sql-type.js';
import { type CallContext, overload, scalar } from '../declare.js';
import { compareValues } from '../compare.js';
import { preciseLn } from '../precise-math.js';
import { widenDecimal } from '../decimal-types.js';
import type { ScalarFunction } from '../types.js';

const CAT = 'MATHEMATICAL';

function decimalArg(ctx: CallContext, i = 0): DecimalType {
  const t = ctx.argTypes[i] as SqlType | null;
  if (!t || t.base !== 'DECIMAL') throw new KsqlException('Expected a DECIMAL argument');
  return t;
}

const sameDecimal = (ctx: CallContext): SqlType => decimalArg(ctx);

function unary(name: string, description: string, fn: (x: number) => number): ScalarFunction {
  return scalar(name, { category: CAT, description }, [
    overload({ params: ['value: DOUBLE'], returns: 'DOUBLE', impl: fn }),
  ]);
}

/** Java Math.round(double): floor(x + 0.5) (JS Math.round rounds halves the same way), saturating to the long range. */
function javaRound(d: number): Long {
  return doubleToLong(Math.round(d));
}

const truncToLong = doubleToLong;

/**
 * ksqlDB rounds halves towards positive infinity (HALF_UP for positives, HALF_DOWN for negatives),
 * i.e. floor(v * 10^places + 1/2).
 */
export function roundDecimal(v: Decimal, places: number): Decimal {
  if (places >= v.scale) return v.setScale(places);
  const divisor = 10n ** BigInt(v.scale - places);
  let q = v.unscaled / divisor;
  let r = v.unscaled % divisor;
  if (r < 0n) { q -= 1n; r += divisor; }
  return new Decimal(2n * r >= divisor ? q + 1n : q, places);
}

function roundDouble(d: number, places: number): number {
  if (!Number.isFinite(d)) return d;
  return roundDecimal(Decimal.fromNumber(d), places).toNumber();
}

function setScaleWith(v: Decimal, places: number, mode: RoundingMode): Decimal {
  return v.setScale(places, mode);
}

/** Java Math.signum as an int. */
function sign(d: number): number {
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

function seriesError(msg: string): KsqlException {
  return new KsqlException(msg);
}

function generateSeries(start: number | bigint, end: number | bigint, step: number): (number | bigint)[] {
  if (step === 0) throw seriesError('GENERATE_SERIES step cannot be zero');
  const s = toBigInt(start);
  const e = toBigInt(end);
  const st = BigInt(step);
  if ((e > s && st < 0n) || (e < s && st > 0n)) throw seriesError('GENERATE_SERIES step has wrong sign');
  const out: (number | bigint)[] = [];
  const count = (e - s) / st + 1n;
  if (count > 10_000_000n) throw seriesError('GENERATE_SERIES would produce too many values');
  for (let v = s, i = 0n; i < count; i++, v += st) out.push(normalizeLong(v));
  return out;
}

/** The widest DECIMAL that holds every DECIMAL argument (used by GREATEST/LEAST). */
function widestDecimal(ctx: CallContext): SqlType {
  let widest: SqlType | null = null;
  for (const t of ctx.argTypes) {
    if (t && 'base' in t && t.base === 'DECIMAL') widest = widest ? widenDecimal(widest, t) : t;
  }
  if (!widest) throw new KsqlException('Expected DECIMAL arguments');
  return widest;
}

function extremum(name: 'greatest' | 'least'): ScalarFunction {
  const want = name === 'greatest' ? 1 : -1;
  const pick = (first: unknown, rest: unknown[]): unknown => {
    let best: unknown = first;
    for (const v of rest) {
      if (v === null || v === undefined) continue;
      if (best === null || best === undefined || compareValues(v, best) * want > 0) best = v;
    }
    return best ?? null;
  };
  const types = ['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'];
  return scalar(name, {
    category: CAT,
    description: `Returns the ${name === 'greatest' ? 'highest' : 'lowest'} non-null value among a variable number of comparable columns.`,
  }, [
    ...types.map((t) => overload({ params: [`val: ${t}`, `vals: ...${t}`], returns: t, nulls: 'pass', impl: pick })),
    overload({ params: ['val: DECIMAL', 'vals: ...DECIMAL'], returns: widestDecimal, returnDoc: 'DECIMAL', nulls: 'pass', impl: pick }),
  ]);
}

export const mathFunctions: readonly ScalarFunction[] = [
  scalar('abs', { category: CAT, description: 'Returns the absolute value of its argument.' }, [
    overload({ params: ['val: INTEGER'], returns: 'INTEGER', impl: (v: number) => (v < 0 ? -v | 0 : v) }),
    overload({ params: ['val: BIGINT'], returns: 'BIGINT', impl: (v: Long) => (v < 0 ? longNeg(v) : v) }),
    overload({ params: ['val: DOUBLE'], returns: 'DOUBLE', impl: (v: number) => Math.abs(v) }),
    overload({ params: ['val: DECIMAL'], returns: sameDecimal, returnDoc: 'DECIMAL', impl: (v: Decimal) => v.abs() }),
  ]),
  unary('acos', 'Returns the inverse (arc) cosine of a value, in radians.', Math.acos),
  unary('asin', 'Returns the inverse (arc) sine of a value, in radians.', Math.asin),
  unary('atan', 'Returns the inverse (arc) tangent of a value, in radians.', Math.atan),
  scalar('atan2', { category: CAT, description: 'Returns the angle theta from the conversion of rectangular coordinates (x, y) to polar coordinates.' }, [
    overload({ params: ['y: DOUBLE', 'x: DOUBLE'], returns: 'DOUBLE', impl: Math.atan2 }),
  ]),
  unary('cbrt', 'Returns the cube root of a value.', Math.cbrt),
  scalar('ceil', { category: CAT, description: 'Returns the smallest integer value greater than or equal to the argument.' }, [
    overload({ params: ['val: INTEGER'], returns: 'INTEGER', impl: (v: number) => v }),
    overload({ params: ['val: BIGINT'], returns: 'BIGINT', impl: (v: Long) => v }),
    overload({ params: ['val: DOUBLE'], returns: 'DOUBLE', impl: Math.ceil }),
    overload({
      params: ['val: DECIMAL'], returns: sameDecimal, returnDoc: 'DECIMAL',
      impl: (v: Decimal) => setScaleWith(v, 0, 'CEILING').setScale(v.scale),
    }),
  ]),
  unary('cos', 'Returns the cosine of a value (radians).', Math.cos),
  unary('cosh', 'Returns the hyperbolic cosine of a value.', Math.cosh),
  unary('cot', 'Returns the cotangent of a value (radians).', (x) => 1 / Math.tan(x)),
  unary('degrees', 'Converts radians to degrees.', (x) => x * (180 / Math.PI)),
  unary('exp', 'Returns Euler\'s number e raised to the power of the argument.', Math.exp),
  scalar('floor', { category: CAT, description: 'Returns the largest integer value less than or equal to the argument.' }, [
    overload({ params: ['val: INTEGER'], returns: 'INTEGER', impl: (v: number) => v }),
    overload({ params: ['val: BIGINT'], returns: 'BIGINT', impl: (v: Long) => v }),
    overload({ params: ['val: DOUBLE'], returns: 'DOUBLE', impl: Math.floor }),
    overload({
      params: ['val: DECIMAL'], returns: sameDecimal, returnDoc: 'DECIMAL',
      impl: (v: Decimal) => setScaleWith(v, 0, 'FLOOR').setScale(v.scale),
    }),
  ]),
  extremum('greatest'),
  extremum('least'),
  unary('ln', 'Returns the natural logarithm of a value.', preciseLn),
  scalar('log', { category: CAT, description: 'Returns the logarithm of a value, in base e or in the given base.' }, [
    overload({ params: ['value: DOUBLE'], returns: 'DOUBLE', impl: preciseLn }),
    overload({
      params: ['base: DOUBLE', 'value: DOUBLE'], returns: 'DOUBLE',
      // ksqlDB: a base ≤ 0 or equal to 1, or a negative value, gives NaN (not ±Infinity)
      impl: (base: number, value: number) => (base <= 0 || base === 1 || value < 0 ? NaN : preciseLn(value) / preciseLn(base)),
    }),
  ]),
  scalar('pi', { category: CAT, description: 'Returns the value of pi.' }, [
    overload({ params: [], returns: 'DOUBLE', impl: () => Math.PI }),
  ]),
  scalar('power', { category: CAT, description: 'Returns the base raised to the power of the exponent.' }, [
    overload({ params: ['base: DOUBLE', 'exponent: DOUBLE'], returns: 'DOUBLE', impl: Math.pow }),
  ]),
  unary('radians', 'Converts degrees to radians.', (x) => x * (Math.PI / 180)),
  scalar('random', { category: CAT, description: 'Returns a random DOUBLE between 0.0 and 1.0.' }, [
    overload({ params: [], returns: 'DOUBLE', impl: () => Math.random() }),
  ]),
  scalar('round', {
    category: CAT,
    description: 'Rounds a value to the given number of decimal places (default 0); halves round towards positive infinity.',
  }, [
    overload({ params: ['val: INTEGER'], returns: 'INTEGER', impl: (v: number) => v }),
    overload({ params: ['val: BIGINT'], returns: 'BIGINT', impl: (v: Long) => v }),
    overload({ params: ['val: DOUBLE'], returns: 'BIGINT', impl: javaRound }),
    overload({
      params: ['val: DOUBLE', 'decimalPlaces: INTEGER'], returns: 'DOUBLE',
      impl: (v: number, n: number) => roundDouble(v, n),
    }),
    overload({
      params: ['val: DECIMAL'], returnDoc: 'DECIMAL',
      returns: (ctx) => { const t = decimalArg(ctx); return SqlTypes.decimal(t.precision - t.scale + 1, 0); },
      impl: (v: Decimal) => roundDecimal(v, 0),
    }),
    overload({
      params: ['val: DECIMAL', 'decimalPlaces: INTEGER'], returnDoc: 'DECIMAL',
      returns: (ctx) => { const t = decimalArg(ctx); return SqlTypes.decimal(t.precision + 1, t.scale); },
      impl: (v: Decimal, n: number) => roundDecimal(v, n).setScale(v.scale),
    }),
  ]),
  scalar('sign', { category: CAT, description: 'Returns the sign of a value: -1, 0 or 1.' }, [
    overload({ params: ['val: INTEGER'], returns: 'INTEGER', impl: (v: number) => sign(v) }),
    overload({ params: ['val: BIGINT'], returns: 'INTEGER', impl: (v: Long) => (v > 0 ? 1 : v < 0 ? -1 : 0) }),
    overload({ params: ['val: DOUBLE'], returns: 'INTEGER', impl: (v: number) => sign(v) }),
    overload({ params: ['val: DECIMAL'], returns: 'INTEGER', impl: (v: Decimal) => v.signum() }),
  ]),
  unary('sin', 'Returns the sine of a value (radians).', Math.sin),
  unary('sinh', 'Returns the hyperbolic sine of a value.', Math.sinh),
  unary('sqrt', 'Returns the square root of a value.', Math.sqrt),
  unary('tan', 'Returns the tangent of a value (radians).', Math.tan),
  unary('tanh', 'Returns the hyperbolic tangent of a value.', Math.tanh),
  scalar('trunc', { category: CAT, description: 'Truncates a value towards zero, optionally to the given number of decimal places.' }, [
    overload({ params: ['val: INTEGER'], returns: 'INTEGER', impl: (v: number) => v }),
    overload({ params: ['val: BIGINT'], returns: 'BIGINT', impl: (v: Long) => v }),
    overload({ params: ['val: DOUBLE'], returns: 'BIGINT', impl: truncToLong }),
    overload({
      params: ['val: DOUBLE', 'decimalPlaces: INTEGER'], returns: 'DOUBLE',
      impl: (v: number, n: number) => (Number.isFinite(v) ? Decimal.fromNumber(v).setScale(n, 'DOWN').toNumber() : v),
    }),
    overload({
      params: ['val: DECIMAL'], returnDoc: 'DECIMAL',
      returns: (ctx) => { const t = decimalArg(ctx); return SqlTypes.decimal(Math.max(t.precision - t.scale, 1), 0); },
      impl: (v: Decimal) => v.setScale(0, 'DOWN'),
    }),
    overload({
      params: ['val: DECIMAL', 'decimalPlaces: INTEGER'], returnDoc: 'DECIMAL',
      returns: (ctx) => decimalArg(ctx),
      impl: (v: Decimal, n: number) => v.setScale(n, 'DOWN').setScale(v.scale),
    }),
  ]),
  scalar('generate_series', { category: CAT, description: 'Returns an array of values from start to end (inclusive), with an optional step.' }, [
    overload({ params: ['start: INTEGER', 'end: INTEGER'], returns: 'ARRAY<INTEGER>', impl: (s: number, e: number) => generateSeries(s, e, s <= e ? 1 : -1) }),
    overload({ params: ['start: INTEGER', 'end: INTEGER', 'step: INTEGER'], returns: 'ARRAY<INTEGER>', impl: (s: number, e: number, st: number) => generateSeries(s, e, st) }),
    overload({ params: ['start: BIGINT', 'end: BIGINT'], returns: 'ARRAY<BIGINT>', impl: (s: Long, e: Long) => generateSeries(s, e, s <= e ? 1 : -1) }),
    overload({ params: ['start: BIGINT', 'end: BIGINT', 'step: INTEGER'], returns: 'ARRAY<BIGINT>', impl: (s: Long, e: Long, st: number) => generateSeries(s, e, st) }),
  ]),
  scalar('as_value', { category: 'OTHER', description: 'Copies a (key) column into the value.' }, [
    overload({ params: ['source: T'], returns: 'T', nulls: 'pass', impl: (v: unknown) => v }),
  ]),
];
