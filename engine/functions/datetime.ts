/**
 * Date/time scalar functions as plain value-in/value-out functions, plus the conversions the rest of
 * the engine needs (ISO formatting/parsing for CAST, REST output, string literals compared with ROWTIME,
 * and the TIMESTAMP_FORMAT of sources).
 *
 * Values (see types/sql-type.ts): TIMESTAMP = epoch millis, DATE = epoch days, TIME = millis of day.
 * Functions throw on bad input (bad pattern, unparsable text, unknown zone); the caller turns that into
 * NULL plus a processing-log entry, as ksqlDB does with KsqlFunctionException.
 * Null handling is done by the declarations (datetime-functions.ts), so these functions take non-null values.
 */
import { Instant, LocalDate, LocalDateTime, LocalTime, ZonedDateTime, ZoneId, ZoneOffset } from '@js-joda/core';
import { KsqlException } from '../errors/index.js';
import { DATE_BASED_FIELDS, parseZoned, parserFor, printerFor, strictParserFor } from './datetime-format.js';
import { type Long, longToNumber } from '../types/long.js';

export const MILLIS_PER_DAY = 86_400_000;
const NANOS_PER_DAY = 86_400_000_000_000n;

// ---------------------------------------------------------------------------------------------
// Time units (java.util.concurrent.TimeUnit)

export type TimeUnitName = 'NANOSECONDS' | 'MICROSECONDS' | 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';

const UNIT_NANOS: Record<TimeUnitName, bigint> = {
  NANOSECONDS: 1n,
  MICROSECONDS: 1_000n,
  MILLISECONDS: 1_000_000n,
  SECONDS: 1_000_000_000n,
  MINUTES: 60_000_000_000n,
  HOURS: 3_600_000_000_000n,
  DAYS: 86_400_000_000_000n,
};

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** Accepts `SECONDS`, `second`, `Seconds`...; throws for anything else. */
export function timeUnit(name: string): TimeUnitName {
  let u = name.toUpperCase();
  if (!u.endsWith('S')) u += 'S';
  if (u in UNIT_NANOS) return u as TimeUnitName;
  throw new KsqlException(`Unknown time unit: ${name}`);
}

function saturate(v: bigint): bigint {
  return v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : v;
}

/** `TimeUnit.toMillis`: truncates toward zero for sub-millisecond units, saturates at Long bounds. */
export function unitToMillis(unit: TimeUnitName, amount: Long): bigint {
  const nanos = UNIT_NANOS[unit];
  const a = BigInt(amount);
  return nanos >= 1_000_000n ? saturate(a * (nanos / 1_000_000n)) : a / (1_000_000n / nanos);
}

/** `TimeUnit.toNanos`: saturates at Long bounds. */
export function unitToNanos(unit: TimeUnitName, amount: Long): bigint {
  return saturate(BigInt(amount) * UNIT_NANOS[unit]);
}

function wrapLong(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

// ---------------------------------------------------------------------------------------------
// Conversions between the temporal types

/** CAST(TIMESTAMP AS DATE): the UTC day, rounding down. */
export function timestampToDate(ts: number): number {
  return Math.floor(ts / MILLIS_PER_DAY);
}

/** CAST(TIMESTAMP AS TIME): the UTC time of day. */
export function timestampToTime(ts: number): number {
  const r = ts % MILLIS_PER_DAY;
  return r < 0 ? r + MILLIS_PER_DAY : r + 0;
}

/** CAST(DATE AS TIMESTAMP) and the implicit DATE → TIMESTAMP widening. */
export function dateToTimestamp(days: number): number {
  return days * MILLIS_PER_DAY;
}

// ---------------------------------------------------------------------------------------------
// ISO text (CAST to/from STRING, REST output, string literals compared with ROWTIME)

const ISO_TIMESTAMP = "yyyy-MM-dd'T'HH:mm:ss.SSS";
const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** `yyyy-MM-dd'T'HH:mm:ss.SSS` in UTC (ksqlDB SqlTimeTypes.formatTimestamp). */
export function formatTimestampIso(ts: number): string {
  const d = new Date(ts);
  const y = d.getUTCFullYear();
  if (y >= 1000 && y <= 9999) {
    // fast path: the fixed ISO layout for 4-digit years, identical to the pattern's output
    return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())}`;
  }
  return printerFor(ISO_TIMESTAMP).format(LocalDateTime.ofInstant(Instant.ofEpochMilli(ts), ZoneOffset.UTC));
}

/** `LocalDate.toString()`: `yyyy-MM-dd`, with a sign and more digits outside years 0–9999. */
export function formatDateIso(days: number): string {
  if (days >= -719162 && days <= 2932896) { // 0001-01-01 .. 9999-12-31
    const d = new Date(days * MILLIS_PER_DAY);
    const y = d.getUTCFullYear();
    return `${y < 1000 ? String(y).padStart(4, '0') : y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  }
  return LocalDate.ofEpochDay(days).toString();
}

/**
 * `DateTimeFormatter.ISO_LOCAL_TIME` (ksqlDB SqlTimeTypes.formatTime): `HH:mm:ss`, then the fraction
 * without trailing zeros when it is not zero (`00:00:00.01`).
 */
export function formatTimeIso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= MILLIS_PER_DAY) {
    throw new KsqlException(`Invalid value for TIME (valid values 0 - 86399999): ${ms}`);
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const f = ms % 1000;
  const out = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  return f === 0 ? out : `${out}.${pad3(f).replace(/0+$/, '')}`;
}

const ISO_HELP = '\nRequired format is: "yyyy-MM-dd\'T\'HH:mm:ss.SSS", with an optional numeric 4-digit timezone, '
  + "e.g. '2020-05-26T23:59:58.000+0200'. Partials are also supported, for example \"2020-05-26\"";

/**
 * ksqlDB's PartialStringToTimestampParser: `yyyy-MM-dd'T'HH:mm:ss.SSS` with an optional zone suffix
 * (`Z`, `+hhmm`, `+hh:mm`, `-hh`...), where trailing parts may be left out: '2020', '2020-05',
 * '2020-05-26', '2020-05-26T10', '2020-05-26T10:11', '2020-05-26T10:11:12', '…12.3'. UTC by default.
 * Used for CAST(string AS TIMESTAMP) and for string literals compared with ROWTIME/WINDOWSTART.
 */
export function parseTimestampIso(text: string): number {
  let date: string;
  let time: string;
  let timezone: string;
  const t = text.indexOf('T');
  if (t >= 0) {
    date = completeDate(text.slice(0, t));
    const withTimezone = text.slice(t + 1);
    timezone = zoneSuffix(withTimezone);
    time = completeTime(withTimezone.slice(0, withTimezone.length - timezone.length).replace(/Z$/, ''));
  } else {
    date = completeDate(text);
    time = completeTime('');
    timezone = '';
  }
  try {
    const zone = timezone.trim() === '' ? ZoneOffset.UTC : ZoneId.of(timezone);
    return parseZoned(`${date}T${time}`, ISO_TIMESTAMP, zone).toInstant().toEpochMilli();
  } catch (e) {
    throw new KsqlException(`Failed to parse timestamp '${text}': ${messageOf(e)}${ISO_HELP}`, { cause: e });
  }
}

function zoneSuffix(time: string): string {
  const plus = time.indexOf('+');
  if (plus >= 0) return time.slice(plus);
  const minus = time.indexOf('-');
  return minus >= 0 ? time.slice(minus) : '';
}

function completeDate(date: string): string {
  const parts = date.split('-');
  if (parts.length === 1) return `${date}-01-01`;
  if (parts.length === 2) return `${date}-01`;
  return date;
}

function completeTime(time: string): string {
  if (time === '') return '00:00:00.000';
  const m = /^(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(time);
  if (!m) return time; // let the parser report it
  return `${m[1]}:${m[2] ?? '00'}:${m[3] ?? '00'}.${(m[4] ?? '').padEnd(3, '0')}`;
}

/** CAST(string AS DATE): ISO date, partials allowed ('2020-05' is 2020-05-01). Returns epoch days. */
export function parseDateIso(text: string): number {
  let ts: number;
  try {
    ts = parseTimestampIso(text);
  } catch (e) {
    throw new KsqlException(`Failed to parse date '${text}': ${messageOf(e)}`, { cause: e });
  }
  return Math.floor(ts / MILLIS_PER_DAY);
}

/** CAST(string AS TIME): `LocalTime.parse` (ISO `HH:mm[:ss[.fffffffff]]`), truncated to millis. */
export function parseTimeIso(text: string): number {
  try {
    return Math.floor(LocalTime.parse(text).toNanoOfDay() / 1_000_000);
  } catch (e) {
    throw new KsqlException(`Failed to parse time '${text}': ${messageOf(e)}`, { cause: e });
  }
}

/**
 * Parses `text` with a Java DateTimeFormatter pattern the way ksqlDB's StringToTimestampParser does:
 * case-insensitive; fields missing from the pattern default to 1970-01-01T00:00; the zone is the one in
 * the text if the pattern has one, else `zone` (default UTC). Returns epoch millis.
 * Used for PARSE_TIMESTAMP/STRINGTOTIMESTAMP and for the TIMESTAMP_FORMAT of sources.
 */
export function parseTimestampWithFormat(text: string, pattern: string, zone: string = 'UTC'): number {
  return parseZoned(text, pattern, zoneId(zone)).toInstant().toEpochMilli();
}

/** `ZoneId.of` (region ids like 'America/Los_Angeles', 'UTC', offsets like '+05:00'); throws if unknown. */
export function zoneId(id: string): ZoneId {
  try {
    return ZoneId.of(id);
  } catch (e) {
    throw new KsqlException(`Unknown time-zone ID: ${id}`, { cause: e });
  }
}

/** The first line of an error message (js-joda appends the cause's stack trace to its messages). */
function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const nl = m.indexOf('\n');
  return nl < 0 ? m : m.slice(0, nl);
}

// ---------------------------------------------------------------------------------------------
// The functions

/** CONVERT_TZ(ts, from, to): shifts by the difference of the two zones' offsets at that instant. */
export function convertTz(ts: number, from: string, to: string): number {
  let fromZone: ZoneId;
  let toZone: ZoneId;
  try {
    fromZone = ZoneId.of(from);
    toZone = ZoneId.of(to);
  } catch (e) {
    throw new KsqlException(`Invalid time zone: ${messageOf(e)}`, { cause: e });
  }
  const instant = Instant.ofEpochMilli(ts);
  const offset = toZone.rules().offset(instant).totalSeconds() - fromZone.rules().offset(instant).totalSeconds();
  return ts + offset * 1000;
}

/** DATEADD(unit, n, date): `MILLISECONDS.toDays(date millis + unit.toMillis(n))` (truncates toward zero). */
export function dateAdd(unit: string, interval: number, days: number): number {
  const ms = BigInt.asIntN(64, BigInt(days) * BigInt(MILLIS_PER_DAY) + unitToMillis(timeUnit(unit), interval));
  return Number(ms / BigInt(MILLIS_PER_DAY));
}

export function dateSub(unit: string, interval: number, days: number): number {
  const ms = BigInt.asIntN(64, BigInt(days) * BigInt(MILLIS_PER_DAY) - unitToMillis(timeUnit(unit), interval));
  return Number(ms / BigInt(MILLIS_PER_DAY));
}

/** TIMEADD(unit, n, time): `LocalTime.plus(unit.toNanos(n), NANOS)`, wrapping around midnight. */
export function timeAdd(unit: string, interval: number, time: number): number {
  return addNanosToTime(time, unitToNanos(timeUnit(unit), interval));
}

export function timeSub(unit: string, interval: number, time: number): number {
  return addNanosToTime(time, -unitToNanos(timeUnit(unit), interval));
}

function addNanosToTime(time: number, nanos: bigint): number {
  let n = (BigInt(time) * 1_000_000n + nanos) % NANOS_PER_DAY;
  if (n < 0n) n += NANOS_PER_DAY;
  return Number(n / 1_000_000n);
}

/** TIMESTAMPADD(unit, n, ts): `ts + unit.toMillis(n)` (Java long arithmetic). */
export function timestampAdd(unit: string, interval: Long, ts: number): number {
  const d = unitToMillis(timeUnit(unit), interval);
  const small = Number(d);
  const r = ts + small;
  return Number.isSafeInteger(r) && Number.isSafeInteger(small) ? r : wrapLong(BigInt(ts) + d);
}

export function timestampSub(unit: string, interval: Long, ts: number): number {
  const d = unitToMillis(timeUnit(unit), interval);
  const small = Number(d);
  const r = ts - small;
  return Number.isSafeInteger(r) && Number.isSafeInteger(small) ? r : wrapLong(BigInt(ts) - d);
}

/** FORMAT_DATE(date, pattern). */
export function formatDate(days: number, pattern: string): string {
  try {
    return printerFor(pattern).format(LocalDate.ofEpochDay(days));
  } catch (e) {
    throw new KsqlException(`Failed to format date ${formatDateIso(days)} with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** FORMAT_TIME(time, pattern). */
export function formatTime(time: number, pattern: string): string {
  try {
    return printerFor(pattern).format(LocalTime.ofNanoOfDay(time * 1_000_000));
  } catch (e) {
    throw new KsqlException(`Failed to format time ${time} with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** FORMAT_TIMESTAMP(ts, pattern[, zone]); the zone defaults to GMT. */
export function formatTimestamp(ts: number, pattern: string, zone: string = 'GMT'): string {
  try {
    return printerFor(pattern).format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(ts), ZoneId.of(zone)));
  } catch (e) {
    throw new KsqlException(`Failed to format timestamp ${ts} with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** FROM_DAYS(int) → DATE. */
export function fromDays(days: number): number {
  return days;
}

/** FROM_UNIXTIME(bigint millis) → TIMESTAMP. */
export function fromUnixtime(millis: Long): number {
  return longToNumber(millis);
}

/** PARSE_DATE(text, pattern) → DATE: parsed like PARSE_TIMESTAMP in UTC; the pattern must not set a time. */
export function parseDate(text: string, pattern: string): number {
  try {
    const ms = parseTimestampWithFormat(text, pattern, 'UTC');
    if (ms % MILLIS_PER_DAY !== 0) throw new Error('Date format contains time field.');
    return ms / MILLIS_PER_DAY;
  } catch (e) {
    throw new KsqlException(`Failed to parse date '${text}' with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** PARSE_TIME(text, pattern) → TIME: the pattern must not contain date fields. */
export function parseTime(text: string, pattern: string): number {
  try {
    const parsed = parserFor(pattern).parse(text);
    if (DATE_BASED_FIELDS.some((f) => parsed.isSupported(f))) throw new Error('Time format contains date field.');
    return Math.floor(LocalTime.from(parsed).toNanoOfDay() / 1_000_000);
  } catch (e) {
    throw new KsqlException(`Failed to parse time '${text}' with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** PARSE_TIMESTAMP(text, pattern[, zone]) → TIMESTAMP; the zone (for texts without one) defaults to GMT. */
export function parseTimestamp(text: string, pattern: string, zone: string = 'GMT'): number {
  try {
    return parseZoned(text, pattern, ZoneId.of(zone)).toInstant().toEpochMilli();
  } catch (e) {
    throw new KsqlException(`Failed to parse timestamp '${text}' with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** UNIX_DATE() → today's epoch day (UTC); UNIX_DATE(date) → the date as INTEGER. */
export function unixDate(days?: number): number {
  return days === undefined ? Math.floor(Date.now() / MILLIS_PER_DAY) : days;
}

/** UNIX_TIMESTAMP() → now in millis; UNIX_TIMESTAMP(ts) → the timestamp as BIGINT. */
export function unixTimestamp(ts?: number): number {
  return ts === undefined ? Date.now() : ts;
}

// Deprecated functions

/** DATETOSTRING(epoch days, pattern). */
export function dateToString(days: number, pattern: string): string {
  try {
    return printerFor(pattern).format(LocalDate.ofEpochDay(days));
  } catch (e) {
    throw new KsqlException(`Failed to format date ${days} with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** STRINGTODATE(text, pattern) → epoch days: `LocalDate.parse(text, ofPattern(pattern))` (strict, case-sensitive). */
export function stringToDate(text: string, pattern: string): number {
  try {
    return LocalDate.parse(text, strictParserFor(pattern)).toEpochDay();
  } catch (e) {
    throw new KsqlException(`Failed to parse date '${text}' with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}

/** STRINGTOTIMESTAMP(text, pattern[, zone]) → BIGINT millis. */
export function stringToTimestamp(text: string, pattern: string, zone: string = 'GMT'): number {
  return parseTimestamp(text, pattern, zone);
}

/**
 * TIMESTAMPTOSTRING(millis, pattern[, zone]). Without a zone ksqlDB formats a LocalDateTime in the JVM's
 * zone (UTC in Sluice), so zone letters in the pattern fail, as they do there.
 */
export function timestampToString(millis: Long, pattern: string, zone?: string): string {
  const ms = longToNumber(millis);
  try {
    const instant = Instant.ofEpochMilli(ms);
    const t = zone === undefined
      ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
      : ZonedDateTime.ofInstant(instant, ZoneId.of(zone));
    return printerFor(pattern).format(t);
  } catch (e) {
    throw new KsqlException(`Failed to format timestamp ${ms} with formatter '${pattern}': ${messageOf(e)}`, { cause: e });
  }
}
