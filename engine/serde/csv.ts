/**
 * One CSV record, written and read the way ksqlDB's DELIMITED format does with Apache commons-csv
 * (`CSVFormat.DEFAULT.withDelimiter(d)`, quote `"`, no escape character, MINIMAL quoting of the
 * commons-csv version ksqlDB ships).
 *
 * Hand-written because the quoting rule is that version's, not RFC 4180's: a field is quoted when it
 * is the first of the record and starts with a character other than an ASCII letter or digit, when
 * it starts with a character ≤ `#`, when it contains the delimiter, a quote, CR or LF, or when it
 * ends with a character ≤ space. An empty first field is written `""`; a null field is always empty.
 * (Conformance: delimited.json "read written decimals" writes `"-12345.12…"`, literals.json writes
 * `0,-2147483647,…` unquoted, bytes-and-strings.json writes `"!",IQ==,"!"`.)
 */

function needsQuote(s: string, first: boolean, delim: number): boolean {
  const len = s.length;
  if (len === 0) return first;
  let c = s.charCodeAt(0);
  if (first && !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return true;
  if (c <= 35) return true;
  for (let i = 0; i < len; i++) {
    c = s.charCodeAt(i);
    if (c === 10 || c === 13 || c === 34 || c === delim) return true;
  }
  return s.charCodeAt(len - 1) <= 32;
}

/** Writes one record without the record separator. `null` fields are written empty. */
export function writeCsvRecord(fields: readonly (string | null)[], delimiter: string): string {
  const delim = delimiter.charCodeAt(0);
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += delimiter;
    const f = fields[i];
    if (f === null || f === undefined) continue;
    out += needsQuote(f, i === 0, delim) ? '"' + f.replace(/"/g, '""') + '"' : f;
  }
  return out;
}

/**
 * Reads the first record of `text` (empty lines before it are skipped, later records ignored).
 * Returns the fields ("" for an empty field, quoted or not), or null when there is no record.
 * Throws on a quote that is not closed, or on text between a closing quote and the delimiter.
 */
export function readCsvRecord(text: string, delimiter: string): string[] | null {
  const delim = delimiter.charCodeAt(0);
  const len = text.length;
  let i = 0;
  // ignoreEmptyLines
  while (i < len && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i++;
  if (i >= len) return null;
  const fields: string[] = [];
  for (;;) {
    let c = text.charCodeAt(i);
    if (c === 34) {
      // encapsulated token
      let value = '';
      let start = ++i;
      for (;;) {
        if (i >= len) throw new Error('EOF reached before encapsulated token finished');
        c = text.charCodeAt(i);
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) { value += text.slice(start, i + 1); i += 2; start = i; continue; }
          value += text.slice(start, i);
          i++;
          break;
        }
        i++;
      }
      // only whitespace may follow until the delimiter or end of line
      for (;;) {
        if (i >= len) { fields.push(value); return fields; }
        c = text.charCodeAt(i);
        if (c === delim) { fields.push(value); i++; break; }
        if (c === 10 || c === 13) { fields.push(value); return fields; }
        if (c === 32 || c === 9 || c === 12) { i++; continue; }
        throw new Error('invalid char between encapsulated token and delimiter');
      }
    } else {
      const start = i;
      while (i < len) {
        c = text.charCodeAt(i);
        if (c === delim || c === 10 || c === 13) break;
        i++;
      }
      fields.push(text.slice(start, i));
      if (i >= len || c !== delim) return fields;
      i++;
    }
    if (i >= len) { fields.push(''); return fields; }
  }
}
