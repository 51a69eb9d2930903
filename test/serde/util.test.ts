import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, ensureFit } from '../../engine/serde/util.js';
import { Decimal } from '../../engine/types/decimal.js';
import { SqlTypes as T } from '../../engine/types/sql-type.js';

/** Straightforward reference: DecimalUtil.ensureMax, then setScale(scale, UNNECESSARY). */
function reference(value: Decimal, precision: number, scale: number): string {
  const digits = precision - scale;
  if (value.abs().toBigInt() >= 10n ** BigInt(digits)) return 'overflow';
  const r = value.setScale(scale, 'DOWN');
  if (r.compareTo(value) !== 0) return 'rounding';
  return r.toPlainString() + '@' + r.scale;
}

function actual(value: Decimal, precision: number, scale: number): string {
  try {
    const r = ensureFit(value, T.decimal(precision, scale));
    return r.toPlainString() + '@' + r.scale;
  } catch (e) {
    const m = (e as Error).message;
    return m.startsWith('Numeric field overflow') ? 'overflow' : m.startsWith('Cannot fit decimal') ? 'rounding' : m;
  }
}

describe('ensureFit', () => {
  it('matches the reference definition', () => {
    fc.assert(fc.property(
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: -4, max: 10 }),
      fc.integer({ min: 1, max: 12 }).chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: p }))),
      (u, s, [p, ts]) => {
        const v = new Decimal(u, s);
        expect(actual(v, p, ts)).toBe(reference(v, p, ts));
      },
    ), { numRuns: 2000 });
  });

  it('messages', () => {
    expect(() => ensureFit(Decimal.parse('123.4'), T.decimal(4, 2))).toThrow(
      'Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 123.4');
    expect(() => ensureFit(Decimal.parse('1.234'), T.decimal(4, 2))).toThrow(
      "Cannot fit decimal '1.234' into DECIMAL(4, 2) without rounding. (Requires 4,3)");
    expect(ensureFit(Decimal.parse('1.200'), T.decimal(4, 2)).toPlainString()).toBe('1.20');
  });
});

describe('decodeBase64', () => {
  it('is strict about the alphabet, lenient about padding', () => {
    expect(decodeBase64('ew==')).toEqual(Buffer.from('{'));
    expect(decodeBase64('ew')).toEqual(Buffer.from('{'));
    expect(() => decodeBase64('e w=')).toThrow();
    expect(() => decodeBase64('a')).toThrow();
    expect(() => decodeBase64('ab-_')).toThrow();
  });
});
