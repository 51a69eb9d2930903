/**
 * Declarations of the date/time functions (ksqlDB udf/datetime) with the registry DSL.
 * The implementations live in datetime.ts.
 */
import { overload, scalar } from './declare.js';
import type { ScalarFunction } from './types.js';
import * as dt from './datetime.js';

const CAT = 'DATE / TIME';

const UNIT = { name: 'unit', type: 'TIMEUNIT', description: 'A unit of time, for example SECONDS or HOURS' };

export const datetimeFunctions: readonly ScalarFunction[] = [
  scalar('convert_tz', { category: CAT, description: 'Converts a TIMESTAMP value from one time zone to another.' }, [
    overload({
      params: ['timestamp: TIMESTAMP', 'fromTimeZone: STRING', 'toTimeZone: STRING'], returns: 'TIMESTAMP',
      impl: dt.convertTz,
    }),
  ]),
  scalar('dateadd', { category: CAT, description: 'Adds a duration to a DATE value.' }, [
    overload({ params: [UNIT, 'interval: INTEGER', 'date: DATE'], returns: 'DATE', impl: dt.dateAdd }),
  ]),
  scalar('datesub', { category: CAT, description: 'Subtracts a duration from a DATE value.' }, [
    overload({ params: [UNIT, 'interval: INTEGER', 'date: DATE'], returns: 'DATE', impl: dt.dateSub }),
  ]),
  scalar('format_date', { category: CAT, description: 'Converts a DATE value into a string representing the date in the given format.' }, [
    overload({ params: ['date: DATE', 'formatPattern: STRING'], returns: 'STRING', impl: dt.formatDate }),
  ]),
  scalar('format_time', { category: CAT, description: 'Converts a TIME value into a string representing the time in the given format.' }, [
    overload({ params: ['time: TIME', 'formatPattern: STRING'], returns: 'STRING', impl: dt.formatTime }),
  ]),
  scalar('format_timestamp', { category: CAT, description: 'Converts a TIMESTAMP value into a string representing the timestamp in the given format.' }, [
    overload({ params: ['timestamp: TIMESTAMP', 'formatPattern: STRING'], returns: 'STRING', impl: (t: number, p: string) => dt.formatTimestamp(t, p) }),
    overload({ params: ['timestamp: TIMESTAMP', 'formatPattern: STRING', 'timeZone: STRING'], returns: 'STRING', impl: dt.formatTimestamp }),
  ]),
  scalar('from_days', { category: CAT, description: 'Converts a number of days since epoch to a DATE value.' }, [
    overload({ params: ['days: INTEGER'], returns: 'DATE', impl: dt.fromDays }),
  ]),
  scalar('from_unixtime', { category: CAT, description: 'Converts a number of milliseconds since epoch to a TIMESTAMP value.' }, [
    overload({ params: ['epochMilli: BIGINT'], returns: 'TIMESTAMP', impl: dt.fromUnixtime }),
  ]),
  scalar('parse_date', { category: CAT, description: 'Converts a string representation of a date in the given format into a DATE value.' }, [
    overload({ params: ['formattedDate: STRING', 'formatPattern: STRING'], returns: 'DATE', impl: dt.parseDate }),
  ]),
  scalar('parse_time', { category: CAT, description: 'Converts a string representation of a time in the given format into a TIME value.' }, [
    overload({ params: ['formattedTime: STRING', 'formatPattern: STRING'], returns: 'TIME', impl: dt.parseTime }),
  ]),
  scalar('parse_timestamp', { category: CAT, description: 'Converts a string representation of a timestamp in the given format into a TIMESTAMP value.' }, [
    overload({ params: ['formattedTimestamp: STRING', 'formatPattern: STRING'], returns: 'TIMESTAMP', impl: (s: string, p: string) => dt.parseTimestamp(s, p) }),
    overload({ params: ['formattedTimestamp: STRING', 'formatPattern: STRING', 'timeZone: STRING'], returns: 'TIMESTAMP', impl: dt.parseTimestamp }),
  ]),
  scalar('timeadd', { category: CAT, description: 'Adds a duration to a TIME value.' }, [
    overload({ params: [UNIT, 'interval: INTEGER', 'time: TIME'], returns: 'TIME', impl: dt.timeAdd }),
  ]),
  scalar('timesub', { category: CAT, description: 'Subtracts a duration from a TIME value.' }, [
    overload({ params: [UNIT, 'interval: INTEGER', 'time: TIME'], returns: 'TIME', impl: dt.timeSub }),
  ]),
  scalar('timestampadd', { category: CAT, description: 'Adds a duration to a TIMESTAMP value.' }, [
    overload({ params: [UNIT, 'interval: INTEGER', 'timestamp: TIMESTAMP'], returns: 'TIMESTAMP', impl: dt.timestampAdd }),
    overload({ params: [UNIT, 'interval: BIGINT', 'timestamp: TIMESTAMP'], returns: 'TIMESTAMP', impl: dt.timestampAdd }),
  ]),
  scalar('timestampsub', { category: CAT, description: 'Subtracts a duration from a TIMESTAMP value.' }, [
    overload({ params: [UNIT, 'interval: INTEGER', 'timestamp: TIMESTAMP'], returns: 'TIMESTAMP', impl: dt.timestampSub }),
    overload({ params: [UNIT, 'interval: BIGINT', 'timestamp: TIMESTAMP'], returns: 'TIMESTAMP', impl: dt.timestampSub }),
  ]),
  scalar('unix_date', { category: CAT, description: 'Returns the number of days since 1970-01-01 00:00:00 UTC, for today or for the given DATE.' }, [
    overload({ params: [], returns: 'INTEGER', impl: () => dt.unixDate() }),
    overload({ params: ['date: DATE'], returns: 'INTEGER', impl: (d: number) => dt.unixDate(d) }),
  ]),
  scalar('unix_timestamp', { category: CAT, description: 'Returns the number of milliseconds since 1970-01-01 00:00:00 UTC, now or for the given TIMESTAMP.' }, [
    overload({ params: [], returns: 'BIGINT', impl: () => dt.unixTimestamp() }),
    overload({ params: ['timestamp: TIMESTAMP'], returns: 'BIGINT', impl: (t: number) => dt.unixTimestamp(t) }),
  ]),
  // Deprecated
  scalar('datetostring', { category: CAT, description: 'Converts an INT date value into the string representation of the date in the given format. Deprecated: use FORMAT_DATE.' }, [
    overload({ params: ['epochDays: INTEGER', 'formatPattern: STRING'], returns: 'STRING', impl: dt.dateToString }),
  ]),
  scalar('stringtodate', { category: CAT, description: 'Converts a string representation of a date in the given format into an INT number of days since epoch. Deprecated: use PARSE_DATE.' }, [
    overload({ params: ['formattedDate: STRING', 'formatPattern: STRING'], returns: 'INTEGER', impl: dt.stringToDate }),
  ]),
  scalar('stringtotimestamp', { category: CAT, description: 'Converts a string value in the given format into the BIGINT value representing milliseconds since epoch. Deprecated: use PARSE_TIMESTAMP.' }, [
    overload({ params: ['formattedTimestamp: STRING', 'formatPattern: STRING'], returns: 'BIGINT', impl: (s: string, p: string) => dt.stringToTimestamp(s, p) }),
    overload({ params: ['formattedTimestamp: STRING', 'formatPattern: STRING', 'timeZone: STRING'], returns: 'BIGINT', impl: dt.stringToTimestamp }),
  ]),
  scalar('timestamptostring', { category: CAT, description: 'Converts a BIGINT millisecond timestamp value into the string representation of the timestamp in the given format. Deprecated: use FORMAT_TIMESTAMP.' }, [
    overload({ params: ['epochMilli: BIGINT', 'formatPattern: STRING'], returns: 'STRING', impl: (t: number, p: string) => dt.timestampToString(t, p) }),
    overload({ params: ['epochMilli: BIGINT', 'formatPattern: STRING', 'timeZone: STRING'], returns: 'STRING', impl: dt.timestampToString }),
  ]),
];

