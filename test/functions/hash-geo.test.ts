import { describe, expect, it } from 'vitest';
import { md5 } from '../../engine/functions/hash.js';
import { geoDistance } from '../../engine/functions/geo.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import type { ArgShape } from '../../engine/functions/types.js';
import { SqlTypes } from '../../engine/types/sql-type.js';

const registry = createFunctionRegistry();
const { DOUBLE, STRING, INTEGER } = SqlTypes;

describe('md5.json: md5 to hex string', () => {
  it.each([
    ['r1', '7c92cf1eee8d99cc85f8355a3d6e4b86'],
    ['r2', 'd279186428a75016b17e4df5ea43d080'],
    ['r3', '9d3e622df914d8de7f747b7b8b143c52'],
    [null, null],
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    [' ', '7215ee9c7d9dc229d2921a40e899ec5f'],
    ['  ', '23b58def11b45727d3351702515f86af'],
  ])('MD5(%j) = %s', (input, out) => {
    expect(registry.scalar('MD5')!.resolve([{ kind: 'value', type: STRING }]).invoke(input)).toBe(out);
  });
  it('hashes the UTF-8 bytes, lone surrogates as "?" like String.getBytes', () => {
    expect(md5('a\ud800')).toBe(md5('a?'));
    expect(md5('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});

describe('geodistance.json', () => {
  const rows: [number, number, number, number, string | null, number][] = [
    [37.4439, -122.1663, 51.5257, -0.1122, null, 8634.659796579544],
    [37.4439, -122.1663, 51.5257, -0.1122, 'KM', 8634.659796579544],
    [37.4439, -122.1663, 51.5257, -0.1122, 'MI', 5365.659729188262],
    [51.5257, -0.1122, -33.9323, 18.4197, null, 9673.40421197142],
    [51.5257, -0.1122, -33.9323, 18.4197, 'KM', 9673.40421197142],
    [51.5257, -0.1122, -33.9323, 18.4197, 'MI', 6011.1453892944355],
    [-33.9323, 18.4197, -33.8666, 151.1, null, 11005.23304055582],
    [-33.9323, 18.4197, -33.8666, 151.1, 'KM', 11005.23304055582],
    [-33.9323, 18.4197, -33.8666, 151.1, 'MI', 6838.756491533589],
  ];
  it.each(rows)('geo distance with radius (%s, %s) → (%s, %s) in %s', (a, b, c, d, units, out) => {
    const f = registry.scalar('GEO_DISTANCE')!.resolve([DOUBLE, DOUBLE, DOUBLE, DOUBLE, STRING].map((type) => ({ kind: 'value', type }) as ArgShape));
    expect(f.invoke(a, b, c, d, units)).toBe(out);
  });
  it.each(rows.filter((r) => r[4] === null))('geo distance without radius (%s, %s) → (%s, %s)', (a, b, c, d, _u, out) => {
    const f = registry.scalar('GEO_DISTANCE')!.resolve([DOUBLE, DOUBLE, DOUBLE, DOUBLE].map((type) => ({ kind: 'value', type }) as ArgShape));
    expect(f.invoke(a, b, c, d)).toBe(out);
  });
  it('rounds like ksqlDB (2·asin(√a), not atan2) for the udf-implicit-cast.json inputs', () => {
    // 51 and 0 arrive as doubles whether written as INT, BIGINT, DECIMAL or DOUBLE.
    expect(geoDistance(37.4439, -122.1663, 51, 0)).toBe(8682.459061368269);
  });

  it('validates input', () => {
    expect(() => geoDistance(91, 0, 0, 0)).toThrow(/latitude/);
    expect(() => geoDistance(0, 181, 0, 0)).toThrow(/longitude/);
    expect(() => geoDistance(0, 0, 0, 0, 'parsecs')).toThrow(/units/);
    expect(geoDistance(0, 0, 0, 0)).toBe(0);
    expect(geoDistance(0, 0, 0, 1, 'miles')).toBeCloseTo(69.0976, 4);
    const f = registry.scalar('GEO_DISTANCE')!.resolve([INTEGER, DOUBLE, DOUBLE, DOUBLE].map((type) => ({ kind: 'value', type }) as ArgShape));
    expect(f.argTypes[0]).toEqual(DOUBLE);
    expect(f.invoke(null, 0, 0, 0)).toBeNull();
  });
});
