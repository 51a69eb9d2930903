import { describe, expect, it } from 'vitest';
import * as dt from '../../engine/functions/datetime.js';
import { datetimeFunctions } from '../../engine/functions/datetime-functions.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import type { ArgShape } from '../../engine/functions/types.js';
import { type SqlType, SqlTypes } from '../../engine/types/sql-type.js';

const { INTEGER, BIGINT, STRING, DATE, TIME, TIMESTAMP } = SqlTypes;
const v = (type: SqlType | null): ArgShape => ({ kind: 'value', type });
const unit = (u: string): ArgShape => ({ kind: 'timeUnit', unit: u });

const registry = createFunctionRegistry();
function call(name: string, args: readonly ArgShape[], values: unknown[]): unknown {
  return registry.scalar(name)!.resolve(args).invoke(...values);
}

describe('format-date.json: date to string', () => {
  it.each([
    [17662, 'yyyy-MM-dd', '2018-05-11'],
    [18027, 'dd/MM/yyyy', '11/05/2019'],
    [18993, 'dd-MMM-yyyy', '01-Jan-2022'],
    [0, 'dd-MM-yyyy', '01-01-1970'],
    [-1, "dd-MM-yyyy'Sophia'", '31-12-1969Sophia'],
  ])('FORMAT_DATE(%s, %s) = %s', (d, p, out) => {
    expect(call('FORMAT_DATE', [v(DATE), v(STRING)], [d, p])).toBe(out);
  });
  it('fails on time fields and bad patterns', () => {
    expect(() => dt.formatDate(1, 'yyyy-MM-dd HH')).toThrow(/Failed to format date 1970-01-02 with formatter/);
    expect(() => dt.formatDate(1, 'yyyy-MM-dd {')).toThrow();
    expect(() => dt.formatDate(1, "yyyy-'MM")).toThrow();
  });
});

describe('format-time.json: time to string', () => {
  it.each([
    [65000, 'HH_mm_ss_SSS', '00_01_05_000'],
    [1234567, "HHmmss'AAAAA'", '002034AAAAA'],
    [0, 'HH:mm:ss', '00:00:00'],
    [null, 'HH:mm:ss', null],
  ])('FORMAT_TIME(%s, %s) = %s', (t, p, out) => {
    expect(call('FORMAT_TIME', [v(TIME), v(STRING)], [t, p])).toBe(out);
  });
  it('fails on date fields', () => {
    expect(() => dt.formatTime(1, 'yyyy HH')).toThrow(/Failed to format time/);
  });
});

describe('parse-date.json / stringdate.json', () => {
  const cases: [string, string, number][] = [
    ['2018-05-11Lit', "yyyy-MM-dd'Lit'", 17662],
    ['11/05/2019', 'dd/MM/yyyy', 18027],
    ['01-Jan-2022', 'dd-MMM-yyyy', 18993],
    ['01-01-1970', 'dd-MM-yyyy', 0],
  ];
  it.each(cases)('PARSE_DATE(%s, %s) = %s', (s, p, out) => {
    expect(call('PARSE_DATE', [v(STRING), v(STRING)], [s, p])).toBe(out);
  });
  it.each(cases)('STRINGTODATE(%s, %s) = %s', (s, p, out) => {
    expect(call('STRINGTODATE', [v(STRING), v(STRING)], [s, p])).toBe(out);
  });
  it('PARSE_DATE is case-insensitive and defaults missing fields (parse-date.json rows 4, 5)', () => {
    expect(dt.parseDate('01-JAN-2022', 'dd-MMM-yyyy')).toBe(18993);
    expect(dt.parseDate('JAN-2022', 'MMM-yyyy')).toBe(18993);
    expect(dt.parseDate('2022', 'yyyy')).toBe(18993);
  });
  it('PARSE_DATE rejects time fields and garbage', () => {
    expect(() => dt.parseDate('2022-01-01 10', 'yyyy-MM-dd HH')).toThrow(/Date format contains time field/);
    expect(() => dt.parseDate('nope', 'yyyy-MM-dd')).toThrow(/Failed to parse date 'nope' with formatter 'yyyy-MM-dd'/);
  });
  it('STRINGTODATE is strict: case-sensitive and needs a full date', () => {
    expect(() => dt.stringToDate('01-JAN-2022', 'dd-MMM-yyyy')).toThrow();
    expect(() => dt.stringToDate('JAN-2022', 'MMM-yyyy')).toThrow();
  });
});

describe('parse-time.json: string to time', () => {
  it.each([
    ['00:01:05Lit', "HH:mm:ss'Lit'", 65000],
    ['11/05/19', 'HH/mm/ss', 39919000],
    ['01:00:00 PM', 'hh:mm:ss a', 46800000],
    ['01:00:00 Pm', 'hh:mm:ss a', 46800000],
  ])('PARSE_TIME(%s, %s) = %s', (s, p, out) => {
    expect(call('PARSE_TIME', [v(STRING), v(STRING)], [s, p])).toBe(out);
  });
  it('rejects date fields, defaults missing minutes', () => {
    expect(() => dt.parseTime('2020-01-01 10:00', 'yyyy-MM-dd HH:mm')).toThrow(/Time format contains date field/);
    expect(dt.parseTime('10', 'HH')).toBe(36000000);
    expect(dt.parseTime('10:11:12.345', 'HH:mm:ss.SSS')).toBe(36672345);
  });
});

describe('stringtimestamp.json / timestampformat.json / parse_timestamp', () => {
  const pattern = "yyyy-MM-dd'T'HH:mm:ssX";
  it.each([
    ['2018-05-11T21:58:33Z', 1526075913000],
    ['2019-05-11T21:58:33Z', 1557611913000],
    ['2020-05-11T21:58:33Z', 1589234313000],
    ['2020-05-11T21:58:33z', 1589234313000],
  ])('STRINGTOTIMESTAMP(%s) = %s', (s, out) => {
    expect(call('STRINGTOTIMESTAMP', [v(STRING), v(STRING)], [s, pattern])).toBe(out);
    expect(call('PARSE_TIMESTAMP', [v(STRING), v(STRING)], [s, pattern])).toBe(out);
    expect(dt.parseTimestampWithFormat(s, pattern)).toBe(out);
  });
  it('TIMESTAMP_FORMAT rejects text that does not match (override output timestamp ... "not a timestamp")', () => {
    expect(() => dt.parseTimestampWithFormat('not a timestamp', pattern)).toThrow();
  });
  it('uses the given zone only when the text has none', () => {
    expect(dt.parseTimestamp('2020-01-01 10:00:00', 'yyyy-MM-dd HH:mm:ss', 'America/New_York')).toBe(Date.UTC(2020, 0, 1, 15));
    expect(dt.parseTimestamp('2020-01-01 10:00:00 America/Los_Angeles', 'yyyy-MM-dd HH:mm:ss VV', 'America/New_York'))
      .toBe(Date.UTC(2020, 0, 1, 18));
    expect(dt.parseTimestampWithFormat('2020-01-01 10:00', 'yyyy-MM-dd HH:mm', 'Europe/Paris')).toBe(Date.UTC(2020, 0, 1, 9));
    expect(() => dt.parseTimestamp('2020', 'yyyy', 'Not/AZone')).toThrow(/Failed to parse timestamp/);
  });
  it('defaults missing fields to 1970-01-01T00:00 (StringToTimestampParser)', () => {
    expect(dt.parseTimestamp('10:00', 'HH:mm')).toBe(36000000);
    expect(dt.parseTimestamp('2020', 'yyyy')).toBe(Date.UTC(2020, 0, 1));
    expect(dt.parseTimestamp('03-15', 'MM-dd')).toBe(Date.UTC(1970, 2, 15));
    expect(dt.parseTimestamp('11 pm', 'hh a')).toBe(23 * 3600000);
  });
  it('handles the leap day of year', () => {
    expect(dt.parseTimestamp('2020-366', 'yyyy-DDD')).toBe(Date.UTC(2020, 11, 31));
    expect(() => dt.parseTimestamp('366', 'DDD')).toThrow(/Leap day cannot be parsed without supplying the year field/);
  });
  it('walks the fields like java.time, including its DST quirks', () => {
    // ksqlDB applies day-of-year while the year is still 1970: 1970-04-26 02:30 does not exist in New York,
    // so ZonedDateTime moves it to 03:30, and the hour survives the later epoch-day update.
    expect(dt.parseTimestamp('2021-04-26 02:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe(Date.UTC(2021, 3, 26, 7, 30));
    expect(dt.parseTimestamp('2021-04-27 02:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe(Date.UTC(2021, 3, 27, 6, 30));
  });
  it('resolves DST gaps and overlaps like java.time', () => {
    // 2020-03-08 02:30 does not exist in New York: moved forward to 03:30 EDT
    expect(dt.parseTimestamp('2020-03-08 02:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe(Date.UTC(2020, 2, 8, 7, 30));
    // 2020-11-01 01:30 happens twice. ksqlDB moves 1970-01-01T00:00-05:00 field by field and
    // ZonedDateTime.with keeps the current offset when it is valid: EST (the later instant) wins.
    expect(dt.parseTimestamp('2020-11-01 01:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe(Date.UTC(2020, 10, 1, 6, 30));
    // with the zone in the text, java.time resolves the instant itself: the earlier offset (EDT) wins
    expect(dt.parseTimestamp('2020-11-01 01:30 America/New_York', 'yyyy-MM-dd HH:mm VV')).toBe(Date.UTC(2020, 10, 1, 5, 30));
  });
});

describe('timestamp-to-string.json', () => {
  it('millis to string with valid zone', () => {
    expect(call('TIMESTAMPTOSTRING', [v(BIGINT), v(STRING), v(STRING)], [1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles']))
      .toBe('2018-05-11 14:58:33 PDT');
  });
  it('millis to string in join (Europe/London summer time)', () => {
    expect(dt.timestampToString(1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'Europe/London')).toBe('2018-05-11 22:58:33 BST');
  });
  it('timestamp to string with and without a zone', () => {
    expect(call('FORMAT_TIMESTAMP', [v(TIMESTAMP), v(STRING), v(STRING)], [1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles']))
      .toBe('2018-05-11 14:58:33 PDT');
    expect(call('FORMAT_TIMESTAMP', [v(TIMESTAMP), v(STRING), v(STRING)], [null, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'])).toBeNull();
    expect(call('FORMAT_TIMESTAMP', [v(TIMESTAMP), v(STRING)], [1526075913000, 'yyyy-MM-dd HH:mm:ss'])).toBe('2018-05-11 21:58:33');
  });
  it('prints zone names as Java does', () => {
    const winter = Date.UTC(2018, 0, 15, 12);
    const names = (zone: string, ts: number): string => dt.formatTimestamp(ts, 'z|zzzz', zone);
    expect(names('America/New_York', winter)).toBe('EST|Eastern Standard Time');
    expect(names('Europe/London', winter)).toBe('GMT|Greenwich Mean Time');
    expect(names('Europe/London', 1526075913000)).toBe('BST|British Summer Time');
    expect(names('Europe/Berlin', 1526075913000)).toBe('CEST|Central European Summer Time');
    expect(names('Asia/Tokyo', winter)).toBe('JST|Japan Standard Time');
    expect(names('UTC', winter)).toBe('UTC|Coordinated Universal Time');
    expect(names('+05:30', winter)).toBe('+05:30|+05:30');
    expect(dt.formatTimestamp(winter, 'z VV X')).toBe('GMT GMT Z');
    expect(dt.formatTimestamp(winter, "'z' [z]", 'America/New_York')).toMatch(/^z /);
  });
  it('TIMESTAMPTOSTRING without a zone formats a local date-time: zone letters fail', () => {
    expect(dt.timestampToString(1526075913000, 'yyyy-MM-dd HH:mm:ss')).toBe('2018-05-11 21:58:33');
    expect(() => dt.timestampToString(1526075913000, 'yyyy-MM-dd zzz')).toThrow();
  });
  it('formats large, negative and pre-1000 years like DateTimeFormatter', () => {
    expect(dt.formatTimestamp(253402300800000, 'yyyy-MM-dd')).toBe('+10000-01-01');
    expect(dt.formatTimestamp(-62135596800000 - 86400000, 'yyyy-MM-dd G')).toBe('0001-12-31 BC');
    expect(dt.formatTimestamp(-30610224000000, 'yyyy')).toBe('1000');
  });
});

describe('convert-tz.json', () => {
  it.each([
    [100, 10800100],
    [1589234313000, 1589245113000],
  ])('CONVERT_TZ(%s, LA, NY) = %s', (ts, out) => {
    expect(call('CONVERT_TZ', [v(TIMESTAMP), v(STRING), v(STRING)], [ts, 'America/Los_Angeles', 'America/New_York'])).toBe(out);
  });
  it('null in, null out', () => {
    expect(call('CONVERT_TZ', [v(TIMESTAMP), v(STRING), v(STRING)], [null, 'America/Los_Angeles', 'America/New_York'])).toBeNull();
  });
  it('uses both offsets at the same instant across DST transitions', () => {
    // 2020-03-08T07:30Z: New York has just switched to EDT (-4), Los Angeles is still PST (-8)
    const t = Date.UTC(2020, 2, 8, 7, 30);
    expect(dt.convertTz(t, 'America/Los_Angeles', 'America/New_York') - t).toBe(4 * 3600000);
    // an hour earlier both are on standard time: 3 hours
    expect(dt.convertTz(t - 3600000, 'America/Los_Angeles', 'America/New_York') - (t - 3600000)).toBe(3 * 3600000);
    // Europe and the US switch on different weekends
    const march15 = Date.UTC(2020, 2, 15);
    expect(dt.convertTz(march15, 'UTC', 'Europe/London')).toBe(march15);
    expect(dt.convertTz(march15, 'UTC', 'America/New_York')).toBe(march15 - 4 * 3600000);
    expect(dt.convertTz(march15, 'UTC', '+05:30')).toBe(march15 + 5.5 * 3600000);
  });
  it('rejects unknown zones', () => {
    expect(() => dt.convertTz(0, 'Mars/Olympus', 'UTC')).toThrow(/Invalid time zone/);
  });
});

describe('from-days.json, from-unixtime.json, unix-date.json, unix-timestamp.json', () => {
  it('round-trips', () => {
    expect(call('FROM_DAYS', [v(INTEGER)], [10])).toBe(10);
    expect(call('FROM_DAYS', [v(INTEGER)], [-10])).toBe(-10);
    expect(call('FROM_DAYS', [v(INTEGER)], [null])).toBeNull();
    expect(call('FROM_UNIXTIME', [v(BIGINT)], [1589234313000])).toBe(1589234313000);
    expect(call('UNIX_DATE', [v(DATE)], [100])).toBe(100);
    expect(call('UNIX_TIMESTAMP', [v(TIMESTAMP)], [1589234313000])).toBe(1589234313000);
    expect(call('UNIX_TIMESTAMP', [v(TIMESTAMP)], [null])).toBeNull();
  });
  it('without arguments: now', () => {
    const before = Date.now();
    const now = call('UNIX_TIMESTAMP', [], []) as number;
    expect(now).toBeGreaterThanOrEqual(before);
    expect(call('UNIX_DATE', [], [])).toBe(Math.floor(now / 86400000));
  });
});

describe('dateadd.json, datesub.json, timeadd.json, timesub.json, timestampadd.json, timestampsub.json', () => {
  it('datesub: subtracts negative intervals', () => {
    expect(call('DATESUB', [unit('DAYS'), v(INTEGER), v(DATE)], ['DAYS', -5, 5])).toBe(10);
    expect(call('DATESUB', [unit('DAYS'), v(INTEGER), v(DATE)], ['DAYS', -5, -5])).toBe(0);
  });
  it('dateadd truncates toward zero like TimeUnit.toDays', () => {
    expect(dt.dateAdd('DAYS', 3, 5)).toBe(8);
    expect(dt.dateAdd('HOURS', 25, 5)).toBe(6);
    expect(dt.dateAdd('HOURS', -1, 5)).toBe(4);
    expect(dt.dateAdd('HOURS', -1, 0)).toBe(0);
    expect(dt.dateAdd('MILLISECONDS', -86400001, 0)).toBe(-1);
  });
  it('handles null values', () => {
    for (const name of ['DATEADD', 'DATESUB']) {
      expect(call(name, [unit('MILLISECONDS'), v(INTEGER), v(DATE)], ['MILLISECONDS', 5, null])).toBeNull();
      expect(call(name, [unit('MILLISECONDS'), v(INTEGER), v(DATE)], ['MILLISECONDS', null, 5])).toBeNull();
    }
    for (const name of ['TIMEADD', 'TIMESUB']) {
      expect(call(name, [unit('MILLISECONDS'), v(INTEGER), v(TIME)], ['MILLISECONDS', null, 5])).toBeNull();
    }
    for (const name of ['TIMESTAMPADD', 'TIMESTAMPSUB']) {
      expect(call(name, [unit('MILLISECONDS'), v(INTEGER), v(TIMESTAMP)], ['MILLISECONDS', 5, null])).toBeNull();
    }
  });
  it('timesub: subtracts and wraps around midnight', () => {
    expect(call('TIMESUB', [unit('MILLISECONDS'), v(INTEGER), v(TIME)], ['MILLISECONDS', 10, 20])).toBe(10);
    expect(call('TIMESUB', [unit('MILLISECONDS'), v(INTEGER), v(TIME)], ['MILLISECONDS', 10, 5])).toBe(86399995);
    expect(dt.timeSub('MILLISECONDS', -5, 5)).toBe(10);
    expect(dt.timeSub('MILLISECONDS', -5, 0)).toBe(5);
    expect(dt.timeSub('MILLISECONDS', -5, 86399997)).toBe(2);
    expect(dt.timeAdd('HOURS', 25, 0)).toBe(3600000);
    // TimeUnit.toNanos saturates at Long.MAX_VALUE; the result is that many nanos after `time`, mod one day
    expect(dt.timeAdd('DAYS', 2147483647, 0)).toBe(Number((9223372036854775807n % 86400000000000n) / 1000000n));
    expect(dt.timeAdd('NANOSECONDS', -1, 5)).toBe(4);
  });
  it('timestampadd / timestampsub', () => {
    expect(call('TIMESTAMPADD', [unit('MILLISECONDS'), v(INTEGER), v(TIMESTAMP)], ['MILLISECONDS', 10, 10])).toBe(20);
    expect(call('TIMESTAMPSUB', [unit('MILLISECONDS'), v(INTEGER), v(TIMESTAMP)], ['MILLISECONDS', 10, 20])).toBe(10);
    expect(dt.timestampSub('MILLISECONDS', -5, 5)).toBe(10);
    expect(dt.timestampSub('MILLISECONDS', -5, -100)).toBe(-95);
    expect(call('TIMESTAMPADD', [unit('SECONDS'), v(BIGINT), v(TIMESTAMP)], ['SECONDS', 5, 0])).toBe(5000);
    expect(dt.timestampAdd('DAY', 1, 0)).toBe(86400000);
    expect(dt.timestampAdd('microseconds', 1999, 0)).toBe(1);
  });
  it('throws on incorrect type', () => {
    expect(() => registry.scalar('timestampadd')!.resolve([v(TIMESTAMP), v(INTEGER), v(TIMESTAMP)]))
      .toThrow("Function 'timestampadd' does not accept parameters (TIMESTAMP, INTEGER, TIMESTAMP).");
    expect(() => registry.scalar('timesub')!.resolve([v(TIME), v(INTEGER), v(TIME)]))
      .toThrow("Function 'timesub' does not accept parameters (TIME, INTEGER, TIME).");
    expect(() => registry.scalar('timeadd')!.resolve([v(TIME), v(INTEGER), v(TIME)]))
      .toThrow("Function 'timeadd' does not accept parameters (TIME, INTEGER, TIME).");
    expect(() => registry.scalar('dateadd')!.resolve([unit('DAYS'), v(INTEGER), v(TIME)])).toThrow(/does not accept parameters/);
    expect(() => registry.scalar('dateadd')!.resolve([unit('DAYS'), unit('DAYS'), v(DATE)])).toThrow(/does not accept parameters/);
  });
});

describe('ISO conversions (date.json, time.json, timestamp.json, magic-timestamp-conversion.json)', () => {
  it('formats', () => {
    expect(dt.formatTimestampIso(10)).toBe('1970-01-01T00:00:00.010');
    expect(dt.formatTimestampIso(60220000000)).toBe('1971-11-28T23:46:40.000');
    expect(dt.formatTimestampIso(-1)).toBe('1969-12-31T23:59:59.999');
    expect(dt.formatTimestampIso(-62135596800000)).toBe('0001-01-01T00:00:00.000');
    expect(dt.formatTimestampIso(253402300800000)).toBe('+10000-01-01T00:00:00.000');
    expect(dt.formatDateIso(10)).toBe('1970-01-11');
    expect(dt.formatDateIso(-1)).toBe('1969-12-31');
    expect(dt.formatDateIso(1000)).toBe('1972-09-27');
    expect(dt.formatDateIso(-719162)).toBe('0001-01-01');
    expect(dt.formatDateIso(-719163)).toBe('0000-12-31');
    expect(dt.formatDateIso(2932897)).toBe('+10000-01-01');
    expect(dt.formatTimeIso(5000)).toBe('00:00:05');
    expect(dt.formatTimeIso(4000)).toBe('00:00:04');
    expect(dt.formatTimeIso(10)).toBe('00:00:00.01');
    expect(dt.formatTimeIso(3600000)).toBe('01:00:00');
    expect(dt.formatTimeIso(86399999)).toBe('23:59:59.999');
  });
  it('parses CAST(string AS TIMESTAMP)', () => {
    expect(dt.parseTimestampIso('1970-01-01T00:00:00.010')).toBe(10);
    expect(dt.parseTimestampIso('1970-01-01T00:00:01')).toBe(1000);
    expect(() => dt.parseTimestampIso('foo')).toThrow(/Failed to parse timestamp 'foo'/);
  });
  it('parses partial strings and zones compared with ROWTIME', () => {
    expect(dt.parseTimestampIso('2018-01-01T00:00:00.001')).toBe(1514764800001);
    expect(dt.parseTimestampIso('2020-02-10T08:31:44.001+0000')).toBe(1581323504001);
    expect(dt.parseTimestampIso('2019-01-01T00:00:00+0445')).toBe(Date.UTC(2018, 11, 31, 19, 15));
    expect(dt.parseTimestampIso('2018')).toBe(1514764800000);
    expect(dt.parseTimestampIso('2018-05')).toBe(Date.UTC(2018, 4, 1));
    expect(dt.parseTimestampIso('2020-01-01T10')).toBe(Date.UTC(2020, 0, 1, 10));
    expect(dt.parseTimestampIso('2020-01-01T10:11')).toBe(Date.UTC(2020, 0, 1, 10, 11));
    expect(dt.parseTimestampIso('2020-01-01T10:11Z')).toBe(Date.UTC(2020, 0, 1, 10, 11));
    expect(dt.parseTimestampIso('2020-01-01T10:11:12.5')).toBe(Date.UTC(2020, 0, 1, 10, 11, 12, 500));
    expect(dt.parseTimestampIso('2020-01-01T10:00-05:00')).toBe(Date.UTC(2020, 0, 1, 15));
    expect(dt.parseTimestampIso('2020-01-01T10:00+01')).toBe(Date.UTC(2020, 0, 1, 9));
  });
  it('parses CAST(string AS DATE) and CAST(string AS TIME)', () => {
    expect(dt.parseDateIso('1970-01-10')).toBe(9);
    expect(dt.parseDateIso('1970-01')).toBe(0);
    expect(dt.parseDateIso('1969-12-31')).toBe(-1);
    expect(() => dt.parseDateIso('foo')).toThrow();
    expect(dt.parseTimeIso('00:00:00.005')).toBe(5);
    expect(dt.parseTimeIso('00:00:00.010')).toBe(10);
    expect(dt.parseTimeIso('10:11')).toBe(36660000);
    expect(() => dt.parseTimeIso('25:00')).toThrow();
  });
  it('converts between temporal types (date.json: timestamp to date, time.json: timestamp to time)', () => {
    expect([5000, -2000, 86400100].map(dt.timestampToDate)).toEqual([0, -1, 1]);
    expect([5000, -2000, 86400100].map(dt.timestampToTime)).toEqual([5000, 86398000, 100]);
    expect(dt.dateToTimestamp(2)).toBe(172800000);
  });
});

describe('declarations', () => {
  it('are all named and categorised', () => {
    expect(datetimeFunctions.map((f) => f.description.name)).toContain('TIMESTAMPTOSTRING');
    for (const f of datetimeFunctions) expect(f.description.category).toBe('DATE / TIME');
  });
});

describe('parse shortcuts agree with the field-by-field resolution', () => {
  it('for random instants, zones and patterns (including DST gaps and overlaps)', async () => {
    const fc = (await import('fast-check')).default;
    const { parseZoned, parseZonedSlow, printerFor } = await import('../../engine/functions/datetime-format.js');
    const { Instant, ZoneId, ZonedDateTime } = await import('@js-joda/core');
    const zones = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Apia'];
    const patterns = [
      'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 'yyyy-MM-dd HH:mm:ss VV', 'dd/MM/yyyy hh:mm a',
      'yyyy-MM-dd', 'HH:mm', 'MMM yyyy', 'yyyy-DDD HH:mm', 'EEE, dd MMM yyyy HH:mm:ss Z',
    ];
    fc.assert(fc.property(
      fc.integer({ min: -2208988800000, max: 4102444800000 }), fc.constantFrom(...zones), fc.constantFrom(...zones), fc.constantFrom(...patterns),
      (ms, printZone, defaultZone, pattern) => {
        const text = printerFor(pattern).format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneId.of(printZone)));
        const fast = parseZoned(text, pattern, ZoneId.of(defaultZone)).toInstant().toEpochMilli();
        const slow = parseZonedSlow(text, pattern, ZoneId.of(defaultZone)).toInstant().toEpochMilli();
        return fast === slow;
      },
    ), { numRuns: 3000 });
    // DST overlaps explicitly
    for (const text of ['2020-11-01 01:30:00', '2020-03-08 02:30:00', '2021-04-04 02:30:00', '2021-10-03 02:30:00']) {
      for (const zone of zones) {
        const z = ZoneId.of(zone);
        expect(parseZoned(text, 'yyyy-MM-dd HH:mm:ss', z).toInstant().toEpochMilli())
          .toBe(parseZonedSlow(text, 'yyyy-MM-dd HH:mm:ss', z).toInstant().toEpochMilli());
      }
    }
  });
});

describe('invalid patterns', () => {
  it('fail (and are not cached as valid)', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => dt.formatTimestamp(0, 'yyyy-MM-dd {')).toThrow(/Failed to format timestamp 0 with formatter 'yyyy-MM-dd \{'/);
      expect(() => dt.parseTimestamp('2020', "yyyy'")).toThrow(/Failed to parse timestamp/);
      expect(() => dt.parseDate('2020', 'yyyy]')).toThrow(/Failed to parse date/);
      expect(() => dt.parseTime('10', 'HHbogus')).toThrow(/Failed to parse time/);
      expect(() => dt.formatTimestamp(0, 'zzzzz')).toThrow(/Too many pattern letters/);
    }
  });
  it('unknown zones', () => {
    expect(() => dt.formatTimestamp(0, 'yyyy', 'PST')).toThrow(/Failed to format timestamp/);
    expect(() => dt.parseTimestampWithFormat('2020', 'yyyy', 'Nowhere/Land')).toThrow(/Unknown time-zone ID: Nowhere\/Land/);
    expect(() => dt.timestampToString(0, 'yyyy', 'nope')).toThrow();
  });
});
