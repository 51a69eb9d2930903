/**
 * Round trips of the schema-registry formats over generated schemas and values, through a fresh
 * in-memory registry: deserialize(serialize(row)) = row (Protobuf: up to proto3's defaults), and
 * the inferred SQL type of the registered schema equals the columns' type.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSerde, schemaFormat, unframe, type FormatName } from '../../engine/serde/index.js';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { SqlTypes as T, type SqlType } from '../../engine/types/sql-type.js';
import { anyString, anyType, columnsOf, primitiveType, rowOf, valueOf } from './arbitraries.js';

const RUNS = { numRuns: 200 };

function roundTrip(format: FormatName, cols: { name: string; type: SqlType }[], row: unknown[], role: 'key' | 'value' = 'value', properties: Record<string, string> = {}) {
  const schemaRegistry = new InMemorySchemaRegistry();
  const s = createSerde(cols, { format, properties }, role, { topic: 't', schemaRegistry });
  const bytes = s.serialize(row);
  return { back: s.deserialize(bytes), bytes, schemaRegistry };
}

describe('AVRO round trips', () => {
  it('wrapped rows of any schema; the registered schema infers the same types', () => {
    fc.assert(fc.property(columnsOf(anyType).chain((cols) => fc.tuple(fc.constant(cols), rowOf(cols))), ([cols, row]) => {
      const { back, bytes, schemaRegistry } = roundTrip('AVRO', cols, row);
      expect(back).toEqual(row);
      const def = schemaRegistry.getById(unframe(bytes!).id)!;
      expect(schemaFormat('AVRO')!.toSqlType(def, schemaRegistry, {})).toEqual(T.struct(cols));
    }), RUNS);
  });

  it('single unwrapped key column; null is a tombstone', () => {
    fc.assert(fc.property(anyType.chain((t) => fc.tuple(fc.constant(t), valueOf(t))), ([type, v]) => {
      const { back } = roundTrip('AVRO', [{ name: 'K', type }], [v], 'key');
      expect(back).toEqual(v === null ? null : [v]);
    }), RUNS);
  });
});

describe('JSON_SR round trips', () => {
  it('wrapped rows of any schema; the registered schema infers the same types', () => {
    fc.assert(fc.property(columnsOf(anyType).chain((cols) => fc.tuple(fc.constant(cols), rowOf(cols))), ([cols, row]) => {
      const { back, bytes, schemaRegistry } = roundTrip('JSON_SR', cols, row);
      expect(back).toEqual(row);
      const def = schemaRegistry.getById(unframe(bytes!).id)!;
      expect(schemaFormat('JSON_SR')!.toSqlType(def, schemaRegistry, {})).toEqual(T.struct(cols));
    }), RUNS);
  });
});

/**
 * Protobuf field names start with a letter: protobufjs names the synthetic oneof of an `optional`
 * field `_<name>`, which would collide with a field called `_<name>`.
 */
const protoName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,6}$/);

/** Types Protobuf can carry: no collection directly inside another collection. */
const protoType: fc.Arbitrary<SqlType> = fc.letrec<{ type: SqlType; elem: SqlType }>((tie) => ({
  elem: fc.oneof({ depthSize: 'small' }, primitiveType, tie('type').filter((t) => t.base === 'STRUCT')),
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitiveType,
    tie('elem').map((e) => T.array(e)),
    tie('elem').map((v) => T.map(T.STRING, v)),
    fc.uniqueArray(fc.tuple(protoName, tie('type')), { minLength: 1, maxLength: 3, selector: ([n]) => n })
      .map((fs) => T.struct(fs.map(([n, t]) => ({ name: n, type: t })))),
  ),
})).type;

/** Protobuf values: collections hold no nulls (proto3 has no null elements). */
function protoValue(type: SqlType): fc.Arbitrary<unknown> {
  const inner = (t: SqlType): fc.Arbitrary<unknown> => {
    switch (t.base) {
      case 'ARRAY': return fc.array(inner(t.element), { maxLength: 3 });
      // protobufjs decodes maps into plain objects, where a `__proto__` key is lost.
      case 'MAP': return fc.uniqueArray(fc.tuple(anyString.filter((k) => k !== '__proto__'), inner(t.value)), { maxLength: 3, selector: ([k]) => k })
        .map((es) => new Map(es));
      case 'STRUCT': return fc.tuple(...t.fields.map((f) => protoValue(f.type)))
        .map((vs) => Object.fromEntries(t.fields.map((f, i) => [f.name, vs[i]])));
      default: return valueOf(t).filter((v) => v !== null);
    }
  };
  return fc.option(inner(type), { nil: null, freq: 6 });
}

/** What proto3 gives back with OPTIONAL scalars: null collections read as empty. */
function protoExpected(v: unknown, type: SqlType): unknown {
  switch (type.base) {
    case 'ARRAY': return v === null ? [] : (v as unknown[]).map((x) => protoExpected(x, type.element));
    case 'MAP': return v === null ? new Map() : new Map([...(v as Map<unknown, unknown>)].map(([k, x]) => [k, protoExpected(x, type.value)]));
    case 'STRUCT': return v === null ? null : Object.fromEntries(type.fields.map((f) => [f.name, protoExpected((v as Record<string, unknown>)[f.name], f.type)]));
    default: return v;
  }
}

for (const format of ['PROTOBUF', 'PROTOBUF_NOSR'] as const) {
  describe(`${format} round trips`, () => {
    it('rows with OPTIONAL nullable representation (nulls kept, null collections read as empty)', () => {
      const protoColumns = fc.uniqueArray(fc.tuple(protoName, protoType), { minLength: 1, maxLength: 5, selector: ([n]) => n })
        .map((cs) => cs.map(([name, type]) => ({ name, type })));
      const rows = protoColumns.chain((cols) => fc.tuple(fc.constant(cols), fc.tuple(...cols.map((c) => protoValue(c.type)))));
      fc.assert(fc.property(rows, ([cols, row]) => {
        const { back } = roundTrip(format, cols, row, 'value', { nullableRepresentation: 'OPTIONAL' });
        expect(back).toEqual(cols.map((c, i) => protoExpected(row[i], c.type)));
      }), RUNS);
    });
  });
}
