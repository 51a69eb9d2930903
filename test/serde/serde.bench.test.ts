/**
 * Micro-benchmark of the serdes (prints figures; asserts nothing about speed). Compares the JSON
 * fast path (JSON.parse) with the exact path (parseJsonExact, used for DECIMAL schemas and long
 * digit runs), against the bare JSON.parse / JSON.stringify loop.
 */
import { describe, expect, it } from 'vitest';
import { createSerde, parseJsonExact } from '../../engine/serde/index.js';
import { Decimal } from '../../engine/types/decimal.js';
import { SqlTypes as T } from '../../engine/types/sql-type.js';

/** Runs `fn` in several rounds and reports the best round (the machine may be shared). */
function bench(name: string, n: number, fn: (i: number) => unknown): number {
  let sink: unknown;
  let best = Infinity;
  for (let i = 0; i < 5_000; i++) sink = fn(i);
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink = fn(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n);
  }
  console.log(`${name.padEnd(58)} ${best.toFixed(0).padStart(6)} ns/op ${(1e6 / best).toFixed(0).padStart(6)} k ops/s`);
  if (sink === Symbol.for('never')) console.log(sink);
  return best;
}

/** SERDE_BENCH_ROUNDS=20 for steadier figures; the default keeps the test suite quick. */
const ROUNDS = Number(process.env['SERDE_BENCH_ROUNDS'] ?? 3);

const orderColumns = [
  { name: 'ORDERTIME', type: T.BIGINT }, { name: 'ORDERID', type: T.BIGINT }, { name: 'ITEMID', type: T.STRING },
  { name: 'ORDERUNITS', type: T.DOUBLE }, { name: 'ARRAYCOL', type: T.array(T.DOUBLE) },
  { name: 'MAPCOL', type: T.map(T.STRING, T.DOUBLE) },
  { name: 'ADDRESS', type: T.struct([
    { name: 'NUMBER', type: T.BIGINT }, { name: 'STREET', type: T.STRING }, { name: 'CITY', type: T.STRING },
    { name: 'STATE', type: T.STRING }, { name: 'ZIPCODE', type: T.BIGINT },
  ]) },
];
const orderText = '{"ORDERTIME":1528224275715,"ORDERID":1,"ITEMID":"Item_6","ORDERUNITS":2.5,'
  + '"ARRAYCOL":[6.27276558443913,8.720822816653817,4.904955205],'
  + '"MAPCOL":{"key3":3.8688222734507915,"key2":5.878674158377773,"key1":2.706938954083115},'
  + '"ADDRESS":{"NUMBER":376,"STREET":"STREET_4","CITY":"CITY_0","STATE":"STATE_1","ZIPCODE":621}}';
const orderLower = orderText.replace(/"([A-Z]+)":/g, (_, k: string) => `"${k.toLowerCase()}":`);

describe('serde micro-benchmark', () => {
  it('prints figures', () => {
    const N = 10_000;
    const bytes = Buffer.from(orderText);
    const lower = Buffer.from(orderLower);
    const json = createSerde(orderColumns, { format: 'JSON' }, 'value');
    const row = json.deserialize(bytes)!;
    const obj = JSON.parse(orderText) as unknown;
    console.log(`\nJSON value, 7 columns incl. array/map/struct, ${bytes.length} bytes`);
    const base = bench('baseline: JSON.parse(buf.toString())', N, () => JSON.parse(bytes.toString('utf8')));
    bench('baseline: parseJsonExact(buf.toString())', N, () => parseJsonExact(bytes.toString('utf8')));
    const fast = bench('deserialize, fast path (JSON.parse + coercion)', N, () => json.deserialize(bytes));
    bench('deserialize, fast path, lower-case field names', N, () => json.deserialize(lower));

    const withDecimal = createSerde([...orderColumns, { name: 'PRICE', type: T.decimal(10, 2) }], { format: 'JSON' }, 'value');
    const decBytes = Buffer.from(orderText.slice(0, -1) + ',"PRICE":12.50}');
    const exact = bench('deserialize, exact path (schema has DECIMAL)', N, () => withDecimal.deserialize(decBytes));
    const bigBytes = Buffer.from(orderText.replace('"ORDERID":1', '"ORDERID":9223372036854775807'));
    bench('deserialize, BIGINT > 2^53 in every document (exact)', N, () => json.deserialize(bigBytes));

    const sBase = bench('baseline: Buffer.from(JSON.stringify(obj))', N, () => Buffer.from(JSON.stringify(obj)));
    const ser = bench('serialize (Java doubles, schema order)', N, () => json.serialize(row));
    const decRow = [...row, new Decimal(1250n, 2)];
    bench('serialize with DECIMAL', N, () => withDecimal.serialize(decRow));

    const flatCols = [
      { name: 'ID', type: T.BIGINT }, { name: 'NAME', type: T.STRING }, { name: 'VALUE', type: T.INTEGER }, { name: 'PRICE', type: T.DOUBLE },
    ];
    const flatText = '{"ID":123456,"NAME":"widget","VALUE":42,"PRICE":19.99}';
    const flat = createSerde(flatCols, { format: 'JSON' }, 'value');
    const flatBytes = Buffer.from(flatText);
    console.log(`\nJSON value, 4 flat columns, ${flatBytes.length} bytes`);
    bench('baseline: JSON.parse(buf.toString())', N, () => JSON.parse(flatBytes.toString('utf8')));
    bench('deserialize, fast path', N, () => flat.deserialize(flatBytes));
    bench('baseline: parseJsonExact(buf.toString())', N, () => parseJsonExact(flatBytes.toString('utf8')));
    const flatRow = flat.deserialize(flatBytes)!;
    bench('serialize', N, () => flat.serialize(flatRow));

    const delim = createSerde(flatCols, { format: 'DELIMITED' }, 'value');
    const delimBytes = Buffer.from('123456,widget,42,19.99');
    console.log('\nDELIMITED, 4 columns');
    bench('deserialize', N, () => delim.deserialize(delimBytes));
    bench('serialize', N, () => delim.serialize(flatRow));

    console.log('\nKAFKA');
    const kLong = createSerde([{ name: 'K', type: T.BIGINT }], { format: 'KAFKA' }, 'key');
    const kStr = createSerde([{ name: 'K', type: T.STRING }], { format: 'KAFKA' }, 'key');
    const lb = kLong.serialize([1528224275715])!;
    const sb = kStr.serialize(['user_1234'])!;
    bench('BIGINT deserialize', N, () => kLong.deserialize(lb));
    bench('BIGINT serialize', N, () => kLong.serialize([1528224275715]));
    bench('STRING deserialize', N, () => kStr.deserialize(sb));
    bench('STRING serialize', N, () => kStr.serialize(['user_1234']));

    console.log(`\nratios: fast/JSON.parse ${(fast / base).toFixed(2)}, exact/fast ${(exact / fast).toFixed(2)}, serialize/JSON.stringify ${(ser / sBase).toFixed(2)}`);
    expect(fast).toBeGreaterThan(0);
  });
});
