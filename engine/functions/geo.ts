/** GEO_DISTANCE (ksqlDB udf/geo): great-circle distance by the haversine formula. */
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
  const deltaLat = toRadians(lat2 - lat1);
  const deltaLon = toRadians(lon2 - lon1);
  const a = Math.sin(deltaLat / 2) * Math.sin(deltaLat / 2)
    + Math.sin(deltaLon / 2) * Math.sin(deltaLon / 2) * Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2));
  const c = 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  return c * r;
}
