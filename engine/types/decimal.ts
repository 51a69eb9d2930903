/**
 * Exact decimals with a scale, following Java's BigDecimal where ksqlDB's results depend on it
 * (scale-sensitive equality in output, HALF_UP rounding, plain toString).
 * Hand-written on BigInt because the semantics we need (unscaled value + scale, Java rounding and
 * formatting) are a few dozen lines, and general decimal libraries normalise the scale away.
 */
export type RoundingMode = 'HALF_UP' | 'HALF_EVEN' | 'DOWN' | 'UP' | 'FLOOR' | 'CEILING';

export class Decimal {
  /** value = unscaled × 10^-scale */
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** Parses `-12.340`, `1E+3`, `.5`; the scale is kept as written (Java `new BigDecimal(text)`). */
  static parse(text: string): Decimal {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new SyntaxError(`Invalid decimal: ${text}`);
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    const exp = m[4] ? Number(m[4]) : 0;
    let unscaled = BigInt((intPart + frac) || '0');
    if (m[1] === '-') unscaled = -unscaled;
    return new Decimal(unscaled, frac.length - exp);
  }

  static fromNumber(n: number): Decimal {
    // Java BigDecimal.valueOf(double) uses Double.toString; the shortest repr is what JS gives.
    return Decimal.parse(String(n));
  }

  static fromLong(v: number | bigint): Decimal {
    return new Decimal(BigInt(v), 0);
  }

  /** Number of digits of the unscaled value (Java: precision of 0 is 1). */
  precision(): number {
    const u = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    return u === 0n ? 1 : u.toString().length;
  }

  signum(): number {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  setScale(scale: number, mode: RoundingMode = 'HALF_UP'): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    return new Decimal(divideRounded(this.unscaled, 10n ** BigInt(this.scale - scale), mode), scale);
  }

  negate(): Decimal { return new Decimal(-this.unscaled, this.scale); }
  abs(): Decimal { return this.unscaled < 0n ? this.negate() : this; }

  add(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled + o.setScale(s).unscaled, s);
  }

  subtract(o: Decimal): Decimal { return this.add(o.negate()); }

  multiply(o: Decimal): Decimal { return new Decimal(this.unscaled * o.unscaled, this.scale + o.scale); }

  /** Division to a given result scale, rounded. Throws RangeError on division by zero. */
  divide(o: Decimal, scale: number, mode: RoundingMode = 'HALF_UP'): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    // (a/10^sa) / (b/10^sb) = (a * 10^(scale + sb - sa)) / b, at `scale`
    const shift = scale + o.scale - this.scale;
    const num = shift >= 0 ? this.unscaled * 10n ** BigInt(shift) : this.unscaled;
    const den = shift >= 0 ? o.unscaled : o.unscaled * 10n ** BigInt(-shift);
    return new Decimal(divideRounded(num, den, mode), scale);
  }

  /** Remainder with the sign of the dividend (Java BigDecimal.remainder). */
  remainder(o: Decimal): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled % o.setScale(s).unscaled, s);
  }

  compareTo(o: Decimal): number {
    const s = Math.max(this.scale, o.scale);
    const a = this.setScale(s).unscaled;
    const b = o.setScale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Scale-sensitive equality, like Java `BigDecimal.equals` (1.0 ≠ 1.00). */
  equals(o: Decimal): boolean { return this.scale === o.scale && this.unscaled === o.unscaled; }

  toNumber(): number { return Number(this.toPlainString()); }

  /** Truncates toward zero. */
  toBigInt(): bigint {
    if (this.scale <= 0) return this.unscaled * 10n ** BigInt(-this.scale);
    return this.unscaled / 10n ** BigInt(this.scale);
  }

  /** Plain notation with exactly `scale` fraction digits (Java `toPlainString`). */
  toPlainString(): string {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale <= 0) return (neg ? '-' : '') + digits + '0'.repeat(-this.scale);
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
    const cut = digits.length - this.scale;
    return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
  }

  toString(): string { return this.toPlainString(); }
  toJSON(): string { return this.toPlainString(); }
}

function divideRounded(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  const sign = (num < 0n) !== (den < 0n) ? -1n : 1n;
  const twiceR = (r < 0n ? -r : r) * 2n;
  const absDen = den < 0n ? -den : den;
  let up: boolean;
  switch (mode) {
    case 'DOWN': up = false; break;
    case 'UP': up = true; break;
    case 'FLOOR': up = sign < 0n; break;
    case 'CEILING': up = sign > 0n; break;
    case 'HALF_UP': up = twiceR >= absDen; break;
    case 'HALF_EVEN': up = twiceR > absDen || (twiceR === absDen && (q & 1n) !== 0n); break;
  }
  return up ? q + sign : q;
}

export function isDecimal(v: unknown): v is Decimal {
  return v instanceof Decimal;
}
