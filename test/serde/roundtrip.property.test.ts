import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSerde, parseJsonExact, JsonNumber } from '../../engine/serde/index.js';
import { Decimal } from '../../engine/types/decimal.js';
import { SqlTypes as T, type SqlType } from '../../engine/types/sql-type.js';
import { anyString, anyType, columnsOf, primitiveType, rowOf, valueOf } from './arbitraries.js';

const RUNS = { numRuns: 300 };

describe('round trips: deserialize(serialize(row)) = row', () => {
  it('JSON values, wrapped, any schema', () => {
    fc.assert(fc.property(columnsOf(anyType).chain((cols) => fc.tuple(fc.constant(cols), rowOf(cols))), ([cols, row]) => {
      const s = createSerde(cols, { format: 'JSON' }, 'value');
      expect(s.deserialize(s.serialize(row))).toEqual(row);
    }), RUNS);
  });

  it('JSON single column unwrapped (keys by default): null value ↔ null bytes', () => {
    fc.assert(fc.property(anyType.chain((t) => fc.tuple(fc.constant(t), valueOf(t))), ([type, v]) => {
      const s = createSerde([{ name: 'K', type }], { format: 'JSON' }, 'key');
      const bytes = s.serialize([v]);
      expect(s.deserialize(bytes)).toEqual(v === null ? null : [v]);
    }), RUNS);
  });

  it('JSON multi-column keys', () => {
    fc.assert(fc.property(columnsOf(anyType, 2, 4).chain((cols) => fc.tuple(fc.constant(cols), rowOf(cols))), ([cols, row]) => {
      const s = createSerde(cols, { format: 'JSON' }, 'key');
      expect(s.deserialize(s.serialize(row))).toEqual(row);
    }), RUNS);
  });

  it('DELIMITED, primitive columns, any delimiter (empty strings and bytes read back as null)', () => {
    const delimiter = fc.constantFrom(',', '|', ';', '$', 'TAB', 'SPACE', '-', '"'.replace('"', '#'));
    fc.assert(fc.property(
      columnsOf(primitiveType).chain((cols) => fc.tuple(fc.constant(cols), rowOf(cols), delimiter)),
      ([cols, row, d]) => {
        const s = createSerde(cols, { format: 'DELIMITED', properties: { delimiter: d } }, 'value');
        const expected = row.map((v) => (v === '' || (Buffer.isBuffer(v) && v.length === 0) ? null : v));
        expect(s.deserialize(s.serialize(row))).toEqual(expected);
      },
    ), RUNS);
  });

  it('KAFKA, single supported column', () => {
    const kafkaType = fc.constantFrom<SqlType>(T.INTEGER, T.BIGINT, T.DOUBLE, T.STRING, T.BYTES);
    fc.assert(fc.property(kafkaType.chain((t) => fc.tuple(fc.constant(t), valueOf(t))), ([type, v]) => {
      const s = createSerde([{ name: 'V', type }], { format: 'KAFKA' }, 'value');
      expect(s.deserialize(s.serialize([v]))).toEqual(v === null ? null : [v]);
    }), RUNS);
  });
});

describe('parseJsonExact', () => {
  const plain = (v: unknown): unknown => {
    if (v instanceof JsonNumber) return v.toNumber();
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, plain(e)]));
    return v;
  };

  it('accepts what JSON.parse accepts and gives the same structure', () => {
    fc.assert(fc.property(fc.json(), (text) => {
      expect(plain(parseJsonExact(text))).toEqual(JSON.parse(text));
    }), { numRuns: 500 });
  });

  it('rejects what JSON.parse rejects', () => {
    const bad = ['', '{', '[1,]', '{"a":1,}', '01', '1.', '.5', '-', '+1', 'nul', 'tru', '"a', '"\\x"', '"\u0001"', '[1 2]', '{"a" 1}', 'NaN', '1 2', "'a'"];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(() => parseJsonExact(text), text).toThrow(SyntaxError);
    }
  });

  it('keeps number text exactly', () => {
    const v = parseJsonExact('{"a":1.10,"b":12345678901234567890,"c":[-0.0,1e-7,2E+3]}') as Record<string, unknown>;
    expect(v['a']).toEqual(new JsonNumber('1.10'));
    expect((v['a'] as JsonNumber).toDecimal().scale).toBe(2);
    expect((v['b'] as JsonNumber).toBigInt()).toBe(12345678901234567890n);
    expect((v['c'] as JsonNumber[]).map((n) => n.text)).toEqual(['-0.0', '1e-7', '2E+3']);
    expect((v['c'] as JsonNumber[]).map((n) => n.isIntegral)).toEqual([false, false, false]);
    expect(new JsonNumber('10.0').toJacksonText()).toBe('1E+1');
  });

  it('JsonNumber.toDecimal agrees with Decimal.parse', () => {
    fc.assert(fc.property(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat(12), fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
      fc.constantFrom('e', 'E'),
      (u, frac, exp, letter) => {
        const digits = (u < 0n ? -u : u).toString().padStart(frac + 1, '0');
        let text = (u < 0n ? '-' : '') + (frac > 0 ? digits.slice(0, -frac) + '.' + digits.slice(-frac) : digits);
        if (exp !== undefined) text += letter + (exp >= 0 && exp % 2 === 0 ? '+' : '') + exp;
        const n = parseJsonExact(text) as JsonNumber;
        const a = n.toDecimal();
        const b = Decimal.parse(text);
        expect([a.unscaled, a.scale]).toEqual([b.unscaled, b.scale]);
      },
    ), RUNS);
  });

  it('decodes strings like JSON.parse', () => {
    fc.assert(fc.property(anyString, (s) => {
      const text = JSON.stringify(s);
      expect(parseJsonExact(text)).toBe(JSON.parse(text));
    }), RUNS);
    expect(parseJsonExact('"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t"')).toBe('é😀/\b\f\n\r\t');
  });

  it('a __proto__ key is an own property', () => {
    const v = parseJsonExact('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});
