/** fast-check generators for SQL types and runtime values (representation of sql-type.ts). */
import fc from 'fast-check';
import { Decimal } from '../../engine/types/decimal.js';
import { normalizeLong } from '../../engine/types/long.js';
import { SqlTypes as T, type SqlType } from '../../engine/types/sql-type.js';

const specials = fc.constantFrom(',', '"', '\n', '\r', ' ', '\t', '#', '-', '|', ';', '\\', '!', '.', 'é', '\u2028', '{');
export const anyString = fc.string({ unit: fc.oneof(specials, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 });

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);

export const primitiveType: fc.Arbitrary<SqlType> = fc.oneof(
  fc.constantFrom(T.BOOLEAN, T.INTEGER, T.BIGINT, T.DOUBLE, T.STRING, T.BYTES, T.TIMESTAMP, T.DATE, T.TIME),
  fc.integer({ min: 1, max: 30 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => T.decimal(p, s))),
);

export const anyType: fc.Arbitrary<SqlType> = fc.letrec<{ type: SqlType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitiveType,
    tie('type').map((e) => T.array(e)),
    tie('type').map((v) => T.map(T.STRING, v)),
    fc.uniqueArray(fc.tuple(name, tie('type')), { minLength: 1, maxLength: 4, selector: ([n]) => n })
      .map((fs) => T.struct(fs.map(([n, t]) => ({ name: n, type: t })))),
  ),
})).type;

/** Column lists with unique names. */
export function columnsOf(type: fc.Arbitrary<SqlType>, min = 1, max = 5): fc.Arbitrary<{ name: string; type: SqlType }[]> {
  return fc.uniqueArray(fc.tuple(name, type), { minLength: min, maxLength: max, selector: ([n]) => n })
    .map((cs) => cs.map(([n, t]) => ({ name: n, type: t })));
}

export function valueOf(type: SqlType): fc.Arbitrary<unknown> {
  const v: fc.Arbitrary<unknown> = (() => {
    switch (type.base) {
      case 'BOOLEAN': return fc.boolean();
      case 'INTEGER': return fc.integer({ min: -2147483648, max: 2147483647 });
      case 'BIGINT': return fc.oneof(
        fc.bigInt({ min: -9223372036854775808n, max: 9223372036854775807n }).map(normalizeLong),
        fc.integer().map((i) => i),
      );
      case 'DOUBLE': return fc.double();
      case 'DECIMAL': {
        const bound = 10n ** BigInt(type.precision) - 1n;
        return fc.bigInt({ min: -bound, max: bound }).map((u) => new Decimal(u, type.scale));
      }
      case 'STRING': return anyString;
      case 'BYTES': return fc.uint8Array({ maxLength: 10 }).map((a) => Buffer.from(a));
      case 'TIMESTAMP': return fc.integer({ min: -(2 ** 47), max: 2 ** 47 }).map((i) => i * 3);
      case 'DATE': return fc.integer({ min: -1_000_000, max: 1_000_000 });
      case 'TIME': return fc.integer({ min: 0, max: 86_399_999 });
      case 'ARRAY': return fc.array(valueOf(type.element), { maxLength: 4 });
      case 'MAP': return fc.uniqueArray(fc.tuple(anyString, valueOf(type.value)), { maxLength: 4, selector: ([k]) => k })
        .map((es) => new Map(es));
      case 'STRUCT': return fc.tuple(...type.fields.map((f) => valueOf(f.type)))
        .map((vs) => Object.fromEntries(type.fields.map((f, i) => [f.name, vs[i]])));
    }
  })();
  return fc.option(v, { nil: null, freq: 6 });
}

export function rowOf(columns: readonly { type: SqlType }[]): fc.Arbitrary<unknown[]> {
  return fc.tuple(...columns.map((c) => valueOf(c.type)));
}
