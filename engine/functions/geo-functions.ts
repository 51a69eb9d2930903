/** Declaration of GEO_DISTANCE; implementation in geo.ts. */
import { overload, scalar } from './declare.js';
import type { ScalarFunction } from './types.js';
import { geoDistance } from './geo.js';

type D = number | null;

export const geoFunctions: readonly ScalarFunction[] = [
  scalar('geo_distance', { category: 'MATHEMATICAL', description: 'Compute the distance between two points on the surface of the earth, according to the Haversine formula for "great circle distance".' }, [
    overload({
      params: ['lat1: DOUBLE', 'lon1: DOUBLE', 'lat2: DOUBLE', 'lon2: DOUBLE'], returns: 'DOUBLE',
      impl: (a: number, b: number, c: number, d: number) => geoDistance(a, b, c, d),
    }),
    overload({
      params: ['lat1: DOUBLE', 'lon1: DOUBLE', 'lat2: DOUBLE', 'lon2: DOUBLE', 'units: STRING'], returns: 'DOUBLE', nulls: 'pass',
      // NULL units mean kilometres (geodistance.json: "geo distance with radius", row 1)
      impl: (a: D, b: D, c: D, d: D, units: string | null) =>
        (a === null || b === null || c === null || d === null ? null : geoDistance(a, b, c, d, units)),
    }),
  ]),
];

