/** GEO_DISTANCE (ksqlDB udf/geo/GeoDistance): great-circle distance by the haversine formula. */
import { KsqlException } from '../errors/index.js';

/** ksqlDB's GeoDistance constants. */
export const EARTH_RADIUS_KM = 6371;
export const EARTH_RADIUS_MILES = 3959;

function radius(units: string | null): number {
  const u = units === null ? 'km' : units.toLowerCase();
  switch (u) {
    case 'km': case 'kilometer': case 'kilometers': case 'kilometre': case 'kilometres': return EARTH_RADIUS_KM;
    case 'mi': case 'mile': case 'miles': return EARTH_RADIUS_MILES;
    default:
      throw new KsqlException(`GeoDistance function units parameter must be one of: KM, MI. Unknown value: ${units}`);
  }
}

/**
 * `angdeg / 180.0 * PI` (Java 8's Math.toRadians; Java 9+ multiplies by a constant, which differs in
 * the last bits). The conformance values (geodistance.json) match this form exactly.
 */
const toRadians = (deg: number): number => deg / 180 * Math.PI;

/** GEO_DISTANCE(lat1, lon1, lat2, lon2[, units]): in km (default) or miles; NULL units mean km. */
export function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number, units: string | null = null): number {
  if (lat1 < -90 || lat1 > 90 || lat2 < -90 || lat2 > 90) {
    throw new KsqlException('valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees');
  }
  if (lon1 < -180 || lon1 > 180 || lon2 < -180 || lon2 > 180) {
    throw new KsqlException('valid longitude values for GeoDistance function are in the range of -180 to +180 decimal degrees');
  }
  const r = radius(units);
  // ksqlDB's GeoDistance term for term: haversin(Δlat) + haversin(Δlon)·cos(lat1)·cos(lat2), then
  // 2·asin(√a). The textbook 2·atan2(√a, √(1−a)) is the same angle mathematically but rounds
  // differently in the last bit for some inputs (e.g. 37.4439,-122.1663 → 51,0: 8682.459061368269
  // by asin, 8682.45906136827 by atan2).
  const a = haversin(toRadians(lat2 - lat1)) + haversin(toRadians(lon2 - lon1)) * Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2));
  return 2 * Math.asin(Math.sqrt(a)) * r;
}

/** `Math.pow(Math.sin(x / 2), 2)` in ksqlDB; HotSpot computes pow(s, 2) as s * s. */
function haversin(x: number): number {
  const s = Math.sin(x / 2);
  return s * s;
}
