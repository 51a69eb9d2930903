import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOrderedKey, decodeValue, encodeOrderedKey, encodeValue } from '../../engine/state/codec.js';
import { Decimal } from '../../engine/types/decimal.js';
import { normalizeLong } from '../../engine/types/long.js';
import { sameValue } from './helpers.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const long = fc.oneof(fc.maxSafeInteger(), fc.bigInt(INT64_MIN, INT64_MAX).map(normalizeLong));
const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: -20, max: 40 }))
  .map(([u, s]) => new Decimal(u, s));
const str = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', minLength: 50, maxLength: 3000 }));
const bytes = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));
const scalar = fc.oneof(
  fc.constant(null), fc.boolean(), fc.double(), fc.integer(), long, fc.bigInt(), str, bytes, decimal,
);

const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((es) => new Map(es)),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '')), tie('value'), { maxKeys: 5 }),
  ),
}));

describe('value codec', () => {
  it('round-trips every engine value exactly', () => {
    fc.assert(fc.property(value, (v) => {
      const back = decodeValue(encodeValue(v));
      expect(sameValue(back, v)).toBe(true);
    }), { numRuns: 2000 });
  });

  it('keeps struct field order, -0, NaN, huge bigints and decimal scale', () => {
    const v = { b: 1, a: [-0, NaN, Infinity, 2 ** 53 - 1, -(2 ** 53) + 1, 1.5], big: -(2n ** 200n), d: Decimal.parse('1.50') };
    const back = decodeValue(encodeValue(v)) as typeof v;
    expect(Object.keys(back)).toEqual(['b', 'a', 'big', 'd']);
    expect(sameValue(back, v)).toBe(true);
    expect((back.d as Decimal).scale).toBe(2);
  });

  it('is compact for accumulators', () => {
    // tag+count, 3 as a varint (2), 1234.5 as a float64 (9), 'x' (3)
    expect(encodeValue([3, 1234.5, 'x']).length).toBe(16);
    expect(encodeValue(1_700_000_000_000).length).toBe(7); // epoch millis as a varint
  });

  it('rejects values outside the engine representation', () => {
    expect(() => encodeValue(new Date())).toThrow(TypeError);
    expect(() => encodeValue(new Set([1]))).toThrow(TypeError);
    expect(() => encodeValue(() => 1)).toThrow(TypeError);
    expect(() => decodeValue(Buffer.from([0xee]))).toThrow(RangeError);
    expect(() => decodeValue(Buffer.from([8, 5, 0x61]))).toThrow(RangeError); // truncated string
  });
});

const cmpBytes = (a: Buffer, b: Buffer): number => Math.sign(Buffer.compare(a, b));
const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

function cmpDouble(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  if (a === 0 && b === 0) return sign((Object.is(a, -0) ? 0 : 1) - (Object.is(b, -0) ? 0 : 1));
  return sign(a - b);
}
const cmpLong = (a: number | bigint, b: number | bigint): number => { const x = BigInt(a), y = BigInt(b); return x < y ? -1 : x > y ? 1 : 0; };
const cmpStr = (a: string, b: string): number => cmpBytes(Buffer.from(a), Buffer.from(b));

function checkOrder<T>(arb: fc.Arbitrary<T>, cmp: (a: T, b: T) => number, runs = 1000): void {
  fc.assert(fc.property(arb, arb, (a, b) => {
    const ea = encodeOrderedKey(a), eb = encodeOrderedKey(b);
    expect(cmpBytes(ea, eb)).toBe(cmp(a, b));
    expect(sameValue(decodeOrderedKey(ea), a)).toBe(true);
  }), { numRuns: runs });
}

function lexicographic<T>(cmp: (a: T, b: T) => number) {
  return (a: readonly T[], b: readonly T[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) { const c = cmp(a[i]!, b[i]!); if (c !== 0) return c; }
    return sign(a.length - b.length);
  };
}

describe('ordered key codec', () => {
  it('orders doubles numerically (-0 < +0, NaN last)', () => checkOrder(fc.double(), cmpDouble));
  it('orders BIGINT values (number or bigint) by exact value', () => checkOrder(long, cmpLong));
  it('orders strings by UTF-8 bytes, including embedded NULs', () =>
    checkOrder(fc.oneof(str, fc.string({ unit: fc.constantFrom('\0', 'a', '\u00ff', '\u{1F600}') })), cmpStr));
  it('orders bytes lexicographically', () => checkOrder(bytes, (a, b) => cmpBytes(a, b)));
  it('orders decimals of one scale numerically', () =>
    checkOrder(fc.bigInt({ min: -(10n ** 60n), max: 10n ** 60n }).map((u) => new Decimal(u, 3)), (a, b) => a.compareTo(b)));
  it('orders tuples lexicographically (encodings are prefix-free)', () => {
    checkOrder(fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('\0', 'a', 'b') }), fc.integer({ min: -3, max: 3 })), { maxLength: 4 }),
      lexicographic<[string, number]>((a, b) => cmpStr(a[0], b[0]) || cmpLong(a[1], b[1])));
    checkOrder(fc.array(bytes, { maxLength: 4 }), lexicographic((a: Buffer, b: Buffer) => cmpBytes(a, b)));
  });
  it('sorts null < false < true < numbers < decimals < strings < bytes < arrays < structs < maps', () => {
    const ladder = [null, false, true, -Infinity, 0, NaN, new Decimal(1n, 0), '', 'a', Buffer.alloc(0), [], [1], {}, { a: 1 }, new Map()];
    const enc = ladder.map(encodeOrderedKey);
    for (let i = 1; i < enc.length; i++) expect(cmpBytes(enc[i - 1]!, enc[i]!)).toBe(-1);
  });
  it('round-trips structs and maps', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), long, fc.constant(null))),
      fc.array(fc.tuple(fc.string(), long), { maxLength: 4 }), (obj, entries) => {
        expect(sameValue(decodeOrderedKey(encodeOrderedKey(obj)), obj)).toBe(true);
        const m = new Map(entries);
        expect(sameValue(decodeOrderedKey(encodeOrderedKey(m)), m)).toBe(true);
      }));
  });
});
