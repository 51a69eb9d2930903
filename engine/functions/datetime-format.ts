/**
 * Java `DateTimeFormatter` patterns on @js-joda: compiled once per pattern and cached (like ksqlDB's
 * Guava caches of 1000 formatters), always with Locale.US (the JVM default ksqlDB runs with).
 *
 * Everything goes through js-joda except the printing of `z`/`zzzz` zone names, which js-joda gets
 * wrong for Java (see datetime-zone-names.ts): a pattern is split at its top-level `z` runs and the
 * pieces are printed by js-joda formatters.
 */
import {
  ChronoField, DateTimeFormatter, DateTimeFormatterBuilder, Instant, LocalDate, LocalDateTime, LocalTime, type TemporalAccessor,
  TemporalQueries, ZonedDateTime, type ZoneId, ZoneOffset,
} from '@js-joda/core';
import '@js-joda/timezone';
import '@js-joda/locale_en-us';
import { Locale } from '@js-joda/locale';
import { zoneDisplayName } from './datetime-zone-names.js';

const CACHE_SIZE = 1000;

/** A small LRU: ksqlDB caches at most 1000 formatters per function. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  get(key: string, make: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const made = make(key);
    this.map.set(key, made);
    if (this.map.size > CACHE_SIZE) this.map.delete(this.map.keys().next().value as string);
    return made;
  }
}

/** A compiled pattern for printing. */
export interface Printer {
  format(temporal: TemporalAccessor): string;
}

type Piece = { readonly kind: 'js'; readonly formatter: DateTimeFormatter } | { readonly kind: 'zone'; readonly full: boolean };

/**
 * Finds the top-level runs of `z` (outside quotes, optional sections and padding) following Java's
 * DateTimeFormatterBuilder.appendPattern lexing. Returns null when the pattern has none.
 */
function splitAtZoneNames(pattern: string): { text: string; zone?: number }[] | null {
  const out: { text: string; zone?: number }[] = [];
  let depth = 0;
  let segStart = 0;
  let prevWasPad = false;
  let found = false;
  for (let pos = 0; pos < pattern.length; pos++) {
    const cur = pattern[pos]!;
    if ((cur >= 'A' && cur <= 'Z') || (cur >= 'a' && cur <= 'z')) {
      const start = pos;
      while (pos + 1 < pattern.length && pattern[pos + 1] === cur) pos++;
      const count = pos - start + 1;
      if (cur === 'z' && depth === 0 && !prevWasPad) {
        if (count > 4) throw new Error(`Too many pattern letters: ${cur}`);
        if (start > segStart) out.push({ text: pattern.slice(segStart, start) });
        out.push({ text: '', zone: count });
        segStart = pos + 1;
        found = true;
      }
      prevWasPad = cur === 'p';
      continue;
    }
    prevWasPad = false;
    if (cur === "'") {
      pos++;
      for (; pos < pattern.length; pos++) {
        if (pattern[pos] === "'") {
          if (pos + 1 < pattern.length && pattern[pos + 1] === "'") pos++;
          else break;
        }
      }
      if (pos >= pattern.length) throw new Error(`Pattern ends with an incomplete string literal: ${pattern}`);
    } else if (cur === '[') {
      depth++;
    } else if (cur === ']') {
      if (depth === 0) throw new Error('Pattern invalid as it contains ] without previous [');
      depth--;
    }
  }
  if (!found) return null;
  if (segStart < pattern.length) out.push({ text: pattern.slice(segStart) });
  return out;
}

function ofPattern(pattern: string): DateTimeFormatter {
  return DateTimeFormatter.ofPattern(pattern).withLocale(Locale.US);
}

function compilePrinter(pattern: string): Printer {
  const split = splitAtZoneNames(pattern);
  if (split === null) {
    const formatter = ofPattern(pattern);
    return { format: (t) => formatter.format(t) };
  }
  const pieces: Piece[] = split.map((s) => (s.zone !== undefined
    ? { kind: 'zone', full: s.zone === 4 }
    : { kind: 'js', formatter: ofPattern(s.text) }));
  return {
    format(t) {
      let out = '';
      for (const p of pieces) {
        if (p.kind === 'js') out += p.formatter.format(t);
        else out += zoneText(t, p.full);
      }
      return out;
    },
  };
}

function zoneText(t: TemporalAccessor, full: boolean): string {
  const zone = t.query(TemporalQueries.zoneId()) as ZoneId | null;
  if (zone === null) throw new Error(`Unable to extract ZoneId from temporal ${t.toString()}`);
  const instant = t.isSupported(ChronoField.INSTANT_SECONDS) ? Instant.from(t) : Instant.now();
  return zoneDisplayName(zone, instant, full);
}

const printers = new Lru<Printer>();
const parsers = new Lru<DateTimeFormatter>();
const strictParsers = new Lru<DateTimeFormatter>();

/** `DateTimeFormatter.ofPattern(pattern)` for printing. Throws on an invalid pattern. */
export function printerFor(pattern: string): Printer {
  return printers.get(pattern, compilePrinter);
}

/** `new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)`: ksqlDB's parsers. */
export function parserFor(pattern: string): DateTimeFormatter {
  return parsers.get(pattern, (p) => new DateTimeFormatterBuilder()
    .parseCaseInsensitive().appendPattern(p).toFormatter().withLocale(Locale.US));
}

/** `DateTimeFormatter.ofPattern(pattern)` for parsing (case-sensitive, no defaults): STRINGTODATE. */
export function strictParserFor(pattern: string): DateTimeFormatter {
  return strictParsers.get(pattern, ofPattern);
}

// Java's ChronoField.values(), in declaration order: StringToTimestampParser applies parsed fields in this order.
const JAVA_FIELD_ORDER: readonly ChronoField[] = [
  ChronoField.NANO_OF_SECOND, ChronoField.NANO_OF_DAY, ChronoField.MICRO_OF_SECOND, ChronoField.MICRO_OF_DAY,
  ChronoField.MILLI_OF_SECOND, ChronoField.MILLI_OF_DAY, ChronoField.SECOND_OF_MINUTE, ChronoField.SECOND_OF_DAY,
  ChronoField.MINUTE_OF_HOUR, ChronoField.MINUTE_OF_DAY, ChronoField.HOUR_OF_AMPM, ChronoField.CLOCK_HOUR_OF_AMPM,
  ChronoField.HOUR_OF_DAY, ChronoField.CLOCK_HOUR_OF_DAY, ChronoField.AMPM_OF_DAY, ChronoField.DAY_OF_WEEK,
  ChronoField.ALIGNED_DAY_OF_WEEK_IN_MONTH, ChronoField.ALIGNED_DAY_OF_WEEK_IN_YEAR, ChronoField.DAY_OF_MONTH,
  ChronoField.DAY_OF_YEAR, ChronoField.EPOCH_DAY, ChronoField.ALIGNED_WEEK_OF_MONTH, ChronoField.ALIGNED_WEEK_OF_YEAR,
  ChronoField.MONTH_OF_YEAR, ChronoField.PROLEPTIC_MONTH, ChronoField.YEAR_OF_ERA, ChronoField.YEAR, ChronoField.ERA,
  ChronoField.INSTANT_SECONDS, ChronoField.OFFSET_SECONDS,
];

export const DATE_BASED_FIELDS: readonly ChronoField[] = JAVA_FIELD_ORDER.filter((f) => f.isDateBased());

const LEAP_DAY_OF_THE_YEAR = 366;
const EPOCH_DATE = LocalDate.of(1970, 1, 1);

/**
 * ksqlDB's StringToTimestampParser.parseZoned: parse with the case-insensitive formatter, then start
 * from 1970-01-01T00:00 in the parsed zone (or `zone`) and override every field the text supplied.
 * So missing date fields default to 1970-01-01 and missing time fields to midnight.
 */
export function parseZoned(text: string, pattern: string, zone: ZoneId): ZonedDateTime {
  const parsed = parserFor(pattern).parse(text);
  const parsedZone = parsed.query(TemporalQueries.zone()) as ZoneId | null;
  const fast = fastResolve(parsed, parsedZone, zone);
  if (fast !== null) return fast;
  return overrideFields(parsed, parsedZone ?? zone);
}

/**
 * Shortcuts for the common complete patterns, equal to overrideFields' result (checked by a property
 * test): a text with date, time and zone is that instant; a complete date-time without zone in a
 * fixed-offset default zone (UTC, the usual case) is simply that local date-time.
 */
function fastResolve(parsed: TemporalAccessor, parsedZone: ZoneId | null, zone: ZoneId): ZonedDateTime | null {
  const date = parsed.query(TemporalQueries.localDate()) as LocalDate | null;
  const time = parsed.query(TemporalQueries.localTime()) as LocalTime | null;
  if (date === null || time === null) return null;
  if (parsedZone !== null) {
    if (!parsed.isSupported(ChronoField.INSTANT_SECONDS)) return null;
    if (parsed.isSupported(ChronoField.OFFSET_SECONDS) && !(parsedZone instanceof ZoneOffset)) return null;
    return ZonedDateTime.ofInstant(Instant.ofEpochSecond(parsed.getLong(ChronoField.INSTANT_SECONDS), time.nano()), parsedZone);
  }
  // Without a zone in the text only fixed offsets are safe: in a region zone the intermediate dates of
  // the field-by-field walk (e.g. the text's day-of-year in 1970) can fall into a DST gap and move the
  // time, and the offset they leave behind decides overlaps. java.time does exactly that, so we do too.
  if (!zone.rules().isFixedOffset()) return null;
  return ZonedDateTime.of(LocalDateTime.of(date, time), zone);
}

function overrideFields(parsed: TemporalAccessor, zone: ZoneId): ZonedDateTime {
  let resolved = ZonedDateTime.of(EPOCH_DATE, LocalTime.MIDNIGHT, zone);
  for (const field of JAVA_FIELD_ORDER) {
    if (!parsed.isSupported(field)) continue;
    const value = parsed.getLong(field);
    if (field === ChronoField.DAY_OF_YEAR && value === LEAP_DAY_OF_THE_YEAR) {
      if (!parsed.isSupported(ChronoField.YEAR)) throw new Error('Leap day cannot be parsed without supplying the year field');
      resolved = resolved.withYear(parsed.get(ChronoField.YEAR));
    }
    resolved = resolved.with(field, value);
  }
  return resolved;
}

/** The field-by-field resolution alone (for tests comparing it with the shortcuts). */
export function parseZonedSlow(text: string, pattern: string, zone: ZoneId): ZonedDateTime {
  const parsed = parserFor(pattern).parse(text);
  return overrideFields(parsed, (parsed.query(TemporalQueries.zone()) as ZoneId | null) ?? zone);
}
