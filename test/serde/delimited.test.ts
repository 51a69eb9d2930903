import { describe, expect, it } from 'vitest';
import { parseDelimiter, SerdeException } from '../../engine/serde/index.js';
import { readCsvRecord, writeCsvRecord } from '../../engine/serde/csv.js';
import { SqlTypes as T } from '../../engine/types/sql-type.js';
import { col, dec, serde } from './helpers.js';

describe('DELIMITED (conformance delimited.json and others)', () => {
  it('"select delimited value_format"', () => {
    const s = serde([col('ID', T.BIGINT), col('NAME', T.STRING), col('VALUE', T.INTEGER)], 'DELIMITED');
    expect(s.read('0,zero,0')).toEqual([0, 'zero', 0]);
    expect(s.write([100, '100', 500])).toBe('100,100,500');
  });

  it('"INT - key", "BIGINT - key", "DOUBLE - key", "STRING - key": quoted input fields', () => {
    expect(serde([col('K', T.INTEGER)], 'DELIMITED', 'key').read('"22"')).toEqual([22]);
    const big = serde([col('K', T.BIGINT)], 'DELIMITED', 'key');
    expect(big.read('998877665544332211')).toEqual([998877665544332211n]);
    expect(big.write([998877665544332211n])).toBe('998877665544332211');
    expect(serde([col('K', T.DOUBLE)], 'DELIMITED', 'key').read('"123.456"')).toEqual([123.456]);
    const str = serde([col('K', T.STRING)], 'DELIMITED', 'key');
    expect(str.read('"You"')).toEqual(['You']);
    expect(str.write(['You'])).toBe('You');
    expect(str.read(null)).toBeNull();
  });

  it('"DECIMAL - key": decimals fitted to the declared scale', () => {
    const s = serde([col('K', T.decimal(6, 4))], 'DELIMITED', 'key');
    expect(s.read('"12.0"')).toEqual([dec('12.0000')]);
    expect(s.write([dec('12.0000')])).toBe('12.0000');
  });

  it('"multi-column key" and "multi-column key with different kv delimiters"', () => {
    const s = serde([col('K1', T.STRING), col('K2', T.STRING)], 'DELIMITED', 'key');
    expect(s.read('foo,bar')).toEqual(['foo', 'bar']);
    expect(s.read('"foo","bar"')).toEqual(['foo', 'bar']);
    const semi = serde([col('K1', T.STRING), col('K2', T.STRING)], 'DELIMITED', 'key', { properties: { delimiter: ';' } });
    expect(semi.read('foo,bar;baz')).toEqual(['foo,bar', 'baz']);
    const dash = serde([col('V', T.INTEGER), col('V2', T.INTEGER)], 'DELIMITED', 'value', { properties: { delimiter: '-' } });
    expect(dash.read('0-1')).toEqual([0, 1]);
    expect(dash.write([0, 1])).toBe('0-1');
  });

  it('"select delimited value_format with $ separated values" and "… SPACE separated values"', () => {
    const cols = [col('ID', T.BIGINT), col('NAME', T.STRING), col('VALUE', T.INTEGER)];
    expect(serde(cols, 'DELIMITED', 'value', { properties: { delimiter: '|' } }).read('0|zero|0')).toEqual([0, 'zero', 0]);
    expect(serde(cols, 'DELIMITED', 'value', { properties: { delimiter: '$' } }).write([0, 'zero', 0])).toBe('0$zero$0');
    const space = serde(cols, 'DELIMITED', 'value', { properties: { delimiter: 'SPACE' } });
    expect(space.read('100 100 500')).toEqual([100, '100', 500]);
    expect(space.write([0, 'zero', 0])).toBe('0 zero 0');
    expect(serde(cols, 'DELIMITED', 'value', { properties: { delimiter: 'TAB' } }).write([1, 'a b', 2])).toBe('1\ta b\t2');
  });

  it('"read written decimals": plain notation, declared scale, a leading "-" is quoted when first', () => {
    const s = serde([col('V', T.decimal(33, 16))], 'DELIMITED');
    const cases: [string, string][] = [
      ['12345678987654321.2345678987654321', '12345678987654321.2345678987654321'],
      ['.12', '0.1200000000000000'],
      ['-12345.12', '"-12345.1200000000000000"'],
      ['"-12345.12"', '"-12345.1200000000000000"'],
      ['0', '0.0000000000000000'],
    ];
    for (const [input, output] of cases) expect(s.write(s.read(input))).toBe(output);
  });

  it('"DELIMITED in/out" (decimal.json, bytes.json, timestamp.json) and "DELIMITED should not trim trailing zeros"', () => {
    const d = serde([col('DEC', T.decimal(21, 19))], 'DELIMITED');
    expect(d.write(d.read('10.1234512345123451234'))).toBe('10.1234512345123451234');
    const z = serde([col('DEC', T.decimal(6, 4))], 'DELIMITED');
    expect(z.write(z.read('10.0000'))).toBe('10.0000');
    const b = serde([col('B', T.BYTES)], 'DELIMITED');
    expect(b.read('dmFyaWF0aW9ucw==')).toEqual([Buffer.from('variations')]);
    expect(b.write([Buffer.from('variations')])).toBe('dmFyaWF0aW9ucw==');
    const t = serde([col('TIME', T.TIMESTAMP)], 'DELIMITED');
    expect(t.write(t.read('10'))).toBe('10');
  });

  it('"convert days to date" (from-days.json): DATE as epoch days, "-10" quoted as first field', () => {
    const s = serde([col('D', T.DATE)], 'DELIMITED');
    expect(s.write([-10])).toBe('"-10"');
    expect(s.read('"-10"')).toEqual([-10]);
  });

  it('"convert bytes to ASCII encoded string" (bytes-and-strings.json): quoting of fields starting with ! and #', () => {
    const s = serde([col('A', T.STRING), col('B', T.BYTES), col('S', T.STRING)], 'DELIMITED');
    expect(s.write(['!', Buffer.from('!'), '!'])).toBe('"!",IQ==,"!"');
    expect(s.write(['#', Buffer.from('#'), '#'])).toBe('"#",Iw==,"#"');
  });

  it('"INT literal min/max", "DOUBLE literal min/max" (literals.json)', () => {
    const ints = serde([col('ID', T.BIGINT), col('MIN', T.INTEGER), col('MAX', T.INTEGER)], 'DELIMITED');
    expect(ints.write([0, -2147483647, 2147483647])).toBe('0,-2147483647,2147483647');
    const doubles = serde(['ID', 'A', 'B', 'C', 'D', 'E', 'F'].map((n, i) => col(n, i === 0 ? T.BIGINT : T.DOUBLE)), 'DELIMITED');
    expect(doubles.write([0, 4.9e-324, -4.9e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308]))
      .toBe('0,4.9E-324,-4.9E-324,2.2250738585072014E-308,-2.2250738585072014E-308,1.7976931348623157E308,-1.7976931348623157E308');
  });

  it('"LCASE, UCASE, TRIM SUBSTRING" (string.json): fields with surrounding whitespace are quoted', () => {
    const s = serde([col('A', T.STRING), col('B', T.STRING), col('C', T.STRING), col('D', T.STRING)], 'DELIMITED');
    expect(s.write([' \t with white space \t', ' \t WITH WHITE SPACE \t', 'with white space', '\t wit']))
      .toBe('" \t with white space \t"," \t WITH WHITE SPACE \t",with white space,"\t wit"');
    expect(s.read('" \t with white space \t"," \t WITH WHITE SPACE \t",with white space,"\t wit"'))
      .toEqual([' \t with white space \t', ' \t WITH WHITE SPACE \t', 'with white space', '\t wit']);
  });

  it('"project string with embedded code" (project-filter.json): quotes are doubled', () => {
    const s = serde([col('S', T.STRING)], 'DELIMITED');
    const v = '" + new java.util.function.Supplier<String>(){public String get() {return "boom";}}.get() + "';
    expect(s.write([v])).toBe('""" + new java.util.function.Supplier<String>(){public String get() {return ""boom"";}}.get() + """');
    expect(s.read(s.write([v]))).toEqual([v]);
  });

  it('"stream stream right join all fields", "Filter on NULL": nulls are empty, never quoted', () => {
    const s = serde([col('A', T.STRING), col('B', T.INTEGER), col('C', T.INTEGER), col('D', T.STRING), col('E', T.INTEGER)], 'DELIMITED');
    expect(s.write([null, null, 100, 'newblah', 150])).toBe(',,100,newblah,150');
    expect(s.read(',,100,newblah,150')).toEqual([null, null, 100, 'newblah', 150]);
    expect(serde([col('A', T.STRING), col('B', T.STRING)], 'DELIMITED').write([null, null])).toBe(',');
  });

  it('empty fields read as null for every type; an empty first string is written ""', () => {
    const s = serde([col('S', T.STRING), col('T', T.STRING)], 'DELIMITED');
    expect(s.write(['', ''])).toBe('"",');
    expect(s.read('"",')).toEqual([null, null]);
  });

  it('booleans: "true" ignoring case, anything else false (Boolean.parseBoolean)', () => {
    const s = serde([col('B', T.BOOLEAN), col('C', T.BOOLEAN), col('D', T.BOOLEAN)], 'DELIMITED');
    expect(s.read('TRUE,yes,false')).toEqual([true, false, false]);
    expect(s.write([true, false, null])).toBe('true,false,');
  });

  it('doubles written like Java', () => {
    const s = serde([col('D', T.DOUBLE), col('E', T.DOUBLE)], 'DELIMITED');
    expect(s.write([1, 1e-4])).toBe('1.0,1.0E-4');
    expect(s.read('1.0E10,NaN')).toEqual([1e10, NaN]);
  });

  it('wrong field counts and bad numbers fail', () => {
    const s = serde([col('A', T.INTEGER), col('B', T.INTEGER)], 'DELIMITED');
    expect(() => s.read('1,2,3')).toThrow('Column count mismatch on deserialization. topic: t, expected: 2, got: 3');
    expect(() => s.read('1')).toThrow(/expected: 2, got: 1/);
    expect(() => s.read('x,1')).toThrow(SerdeException);
    expect(() => s.read('x,1')).toThrow(/For input string: "x"/);
    expect(() => s.read('"1,2')).toThrow(/EOF reached before encapsulated token finished/);
    expect(() => s.read('')).toThrow(/No fields in record/);
  });

  it('a single null column round-trips through the empty message', () => {
    const s = serde([col('A', T.INTEGER)], 'DELIMITED');
    expect(s.write([null])).toBe('');
    expect(s.read('')).toEqual([null]);
  });

  it('only the first record is read; leading empty lines are skipped', () => {
    const s = serde([col('A', T.INTEGER), col('B', T.STRING)], 'DELIMITED');
    expect(s.read('\n1,a\n2,b')).toEqual([1, 'a']);
    expect(s.read('1,"a\nb"\r\n')).toEqual([1, 'a\nb']);
    expect(s.write([1, 'a\nb'])).toBe('1,"a\nb"');
  });
});

describe('CSV record helpers', () => {
  it('MINIMAL quoting of the commons-csv version ksqlDB uses', () => {
    expect(writeCsvRecord(['-1', 'a', '-1'], ',')).toBe('"-1",a,-1');
    expect(writeCsvRecord(['.5', '.5'], ',')).toBe('".5",.5');
    expect(writeCsvRecord(['é', 'é'], ',')).toBe('"é",é');
    expect(writeCsvRecord(['a ', 'b,c', 'd"e', '$x'], ',')).toBe('"a ","b,c","d""e",$x');
    expect(writeCsvRecord(['a', ''], ',')).toBe('a,');
    expect(writeCsvRecord([null, 'x'], ';')).toBe(';x');
  });

  it('reads quoted fields, doubled quotes and whitespace after a closing quote', () => {
    expect(readCsvRecord('"a""b" ,c', ',')).toEqual(['a"b', 'c']);
    expect(readCsvRecord('a,', ',')).toEqual(['a', '']);
    expect(readCsvRecord('', ',')).toBeNull();
    expect(() => readCsvRecord('"a"b,c', ',')).toThrow(/invalid char between encapsulated token and delimiter/);
  });
});

describe('parseDelimiter (delimited.json "validate …")', () => {
  it('accepts one character, TAB and SPACE', () => {
    expect(parseDelimiter('|')).toBe('|');
    expect(parseDelimiter('tab')).toBe('\t');
    expect(parseDelimiter('SPACE')).toBe(' ');
  });

  it('"validate value_delimiter to be single character"', () => {
    expect(() => parseDelimiter('<~>')).toThrow("Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'");
  });

  it.each(['', ' ', '\t'])('"validate delimiter is not empty / a space / a tab character": %j', (v) => {
    expect(() => parseDelimiter(v)).toThrow("Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'");
  });
});
