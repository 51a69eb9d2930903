/** The built-in registry has every date/time, JSON, URL, bytes, regex, geo and hash function of the interface list. */
import { describe, expect, it } from 'vitest';
import { createFunctionRegistry } from '../../engine/functions/registry.js';

describe('registration', () => {
  it('adds every function of the interface list (§3.5) owned here', () => {
    const r = createFunctionRegistry();
    const names = `CONVERT_TZ DATEADD DATESUB FORMAT_DATE FORMAT_TIME FORMAT_TIMESTAMP FROM_DAYS FROM_UNIXTIME PARSE_DATE
      PARSE_TIME PARSE_TIMESTAMP TIMEADD TIMESUB TIMESTAMPADD TIMESTAMPSUB UNIX_DATE UNIX_TIMESTAMP DATETOSTRING STRINGTODATE
      STRINGTOTIMESTAMP TIMESTAMPTOSTRING EXTRACTJSONFIELD IS_JSON_STRING JSON_ARRAY_CONTAINS JSON_ARRAY_LENGTH JSON_CONCAT
      JSON_ITEMS JSON_KEYS JSON_RECORDS TO_JSON_STRING URL_DECODE_PARAM URL_ENCODE_PARAM URL_EXTRACT_FRAGMENT URL_EXTRACT_HOST
      URL_EXTRACT_PARAMETER URL_EXTRACT_PATH URL_EXTRACT_PORT URL_EXTRACT_PROTOCOL URL_EXTRACT_QUERY TO_BYTES FROM_BYTES ENCODE
      BIGINT_FROM_BYTES DOUBLE_FROM_BYTES INT_FROM_BYTES MD5 GEO_DISTANCE REGEXP_EXTRACT REGEXP_EXTRACT_ALL REGEXP_REPLACE
      REGEXP_SPLIT_TO_ARRAY`.split(/\s+/);
    for (const n of names) expect(r.scalar(n), n).toBeDefined();
  });
});
