import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../engine/types/sql-type.js';
import { bytes, call, callOrError, int, nul, plain, resolve, str } from './helpers.js';

describe('CONCAT / CONCAT_WS (concat.json)', () => {
  it('concat skips nulls', () => {
    expect(call('concat', str('"'), str('foo'), str('\\'))).toBe('"foo\\');
    expect(call('concat', str('a'), str(null), str('b'))).toBe('ab');
    expect(plain(call('concat', bytes('YQ=='), bytes('Yg==')))).toBe('YWI=');
  });
  it('concat_ws - string', () => {
    const cases: [string | null, (string | null)[], string | null][] = [
      ['SEP', ['foo', 'bar', 'baz'], 'fooSEPbarSEPbazSEPliteral'],
      ['SEP', ['foo', null, 'baz'], 'fooSEPbazSEPliteral'],
      ['SEP', [null, null, null], 'literal'],
      [null, ['foo', 'bar', 'baz'], null],
    ];
    for (const [sep, cs, want] of cases) {
      expect(call('concat_ws', str(sep), ...cs.map(str), nul(), str('literal'))).toBe(want);
    }
  });
});

describe('LCASE, UCASE, TRIM, SUBSTRING (string.json)', () => {
  it('matches the conformance rows', () => {
    const rows: [string, string, string, string, string][] = [
      ['lower', 'lower', 'LOWER', 'lower', 'ower'],
      ['MiXeD', 'mixed', 'MIXED', 'MiXeD', 'iXeD'],
      [' \t with white space \t', ' \t with white space \t', ' \t WITH WHITE SPACE \t', 'with white space', '\t wit'],
      ['s', 's', 'S', 's', ''],
      ['long enough', 'long enough', 'LONG ENOUGH', 'long enough', 'ong e'],
    ];
    for (const [input, l, u, t, sub] of rows) {
      expect(call('lcase', str(input))).toBe(l);
      expect(call('ucase', str(input))).toBe(u);
      expect(call('trim', str(input))).toBe(t);
      expect(call('substring', str(input), int(2), int(5))).toBe(sub);
    }
  });
  it('trim strips control characters like Java String.trim', () => {
    expect(call('trim', str('\u0001 x \u0000'))).toBe('x');
    expect(call('trim', str('\u00a0x'))).toBe('\u00a0x');
  });
});

describe('SUBSTRING (substring.json)', () => {
  it('with just pos', () => {
    expect(call('substring', str('some_string'), int(6))).toBe('string');
    expect(call('substring', str('another'), int(6))).toBe('er');
    expect(call('substring', str('short'), int(6))).toBe('');
    expect(call('substring', str(null), int(1))).toBeNull();
    expect(call('substring', str('x'), nul())).toBeNull();
  });
  it('negative and zero positions', () => {
    expect(call('substring', str('some string'), int(0), int(2))).toBe('so');
    expect(call('substring', str('abcdef'), int(-3))).toBe('def');
    expect(call('substring', str('abcdef'), int(-3), int(2))).toBe('de');
    expect(call('substring', str('abc'), int(-10), int(2))).toBe('ab');
    expect(call('substring', str('abc'), int(2), int(-1))).toBe('');
  });
  it('bytes with pos and length', () => {
    expect(plain(call('substring', bytes('c29tZV9zdHJpbmc='), int(6)))).toBe('c3RyaW5n');
    expect(plain(call('substring', bytes('c29tZV9zdHJpbmc='), int(6), int(3)))).toBe('c3Ry');
    expect(plain(call('substring', bytes('YW5vdGhlcg=='), int(6), int(3)))).toBe('ZXI=');
    expect(plain(call('substring', bytes('c2hvcnQ='), int(6), int(3)))).toBe('');
    expect(call('substring', bytes(null), int(6), int(3))).toBeNull();
    expect(call('substring', bytes('c2hvcnQ='), int(6), int(null))).toBeNull();
  });
});

describe('SPLIT (split.json)', () => {
  it('split all characters by using the empty delimiter', () => {
    expect(call('split', str('a.b.c'), str(''))).toEqual(['a', '.', 'b', '.', 'c']);
    expect(call('split', str(''), str(''))).toEqual(['']);
    expect(plain(call('split', bytes('YS5iLmM='), bytes('')))).toEqual(['YQ==', 'Lg==', 'Yg==', 'Lg==', 'Yw==']);
    expect(plain(call('split', bytes(''), bytes('')))).toEqual(['']);
  });
  it('split a message by commas', () => {
    expect(call('split', str(',A,'), str(','))).toEqual(['', 'A', '']);
    expect(call('split', str('A,,A'), str(','))).toEqual(['A', '', 'A']);
    expect(plain(call('split', bytes('LEEs'), bytes('LA==')))).toEqual(['', 'QQ==', '']);
    expect(call('split', str(null), str(','))).toBeNull();
  });
  it('split_to_map', () => {
    expect(plain(call('split_to_map', str('a=1/b=2//c/d=4=5/a=9'), str('/'), str('=')))).toEqual({ a: '9', b: '2', d: '4' });
    expect(call('split_to_map', str('a=1'), str('='), str('='))).toBeNull();
    expect(call('split_to_map', str(null), str('/'), str('='))).toBeNull();
  });
});

describe('LPAD / RPAD (string-lpad-rpad.json, bytes-lpad-rpad.json)', () => {
  it('LPad with all args from record', () => {
    const rows: [string | null, number | null, string | null, string | null][] = [
      ['foo', 7, 'Bar', 'BarBfoo'], ['foo', 5, 'Bar', 'Bafoo'], ['foo', 2, 'Bar', 'fo'], ['foo', -1, 'Bar', null],
      ['foo', 5, null, null], ['foo', null, 'Bar', null], [null, -5, 'Bar', null], ['foo', 7, '', null],
    ];
    for (const [s, n, p, want] of rows) expect(call('lpad', str(s), int(n), str(p))).toBe(want);
  });
  it('RPad with literal args', () => {
    expect(call('rpad', str('foo'), int(7), str('Bar'))).toBe('fooBarB');
    expect(call('rpad', str('foo'), int(2), str('Bar'))).toBe('fo');
  });
  it('bytes lpad', () => {
    const rows: [number, string, string | null][] = [
      [8, 'bm8=', 'bm9ub255ZXM='], [5, 'bm8=', 'bm95ZXM='], [3, 'bm8=', 'eWVz'], [2, 'bm8=', 'eWU='], [0, 'bm8=', ''],
      [-1, 'bm8=', null], [3, '', null],
    ];
    for (const [n, p, want] of rows) expect(plain(call('lpad', bytes('eWVz'), int(n), bytes(p)))).toBe(want);
    expect(plain(call('rpad', bytes('eWVz'), int(5), bytes('bm8=')))).toBe(Buffer.from('yesno').toString('base64'));
  });
});

describe('CHR (chr.json)', () => {
  it('codepoint from decimal code', () => {
    expect(call('chr', int(75))).toBe('K');
    expect(call('chr', int(22909))).toBe('\u597d');
    expect(call('chr', int(99000))).toBe('\ud820\udeb8');
    expect(call('chr', int(-1))).toBeNull();
    expect(call('chr', int(null))).toBeNull();
  });
  it('codepoint from text code', () => {
    expect(call('chr', str('\\u004b'))).toBe('K');
    expect(call('chr', str('\\u597d'))).toBe('\u597d');
    expect(call('chr', str('\\ud820\\udeb8'))).toBe('\ud820\udeb8');
    for (const bad of ['75', '004b', 'bogus', '']) expect(call('chr', str(bad))).toBeNull();
  });
});

describe('ELT / FIELD (elt-field.json)', () => {
  it('elect the second parameter', () => {
    expect(call('elt', int(2), str('ignored'), str('something'))).toBe('something');
    expect(call('elt', int(2), str('ignored'), str(null))).toBeNull();
    expect(call('elt', int(3), str('a'), str('b'))).toBeNull();
    expect(call('elt', int(0), str('a'))).toBeNull();
  });
  it('field', () => {
    expect(call('field', str('b'), str('a'), str('b'))).toBe(2);
    expect(call('field', str('c'), str('a'), str('b'))).toBe(0);
    expect(call('field', str(null), str('a'), str(null))).toBe(0);
  });
});

describe('INSTR (instr.json)', () => {
  it('with just substring', () => {
    expect(call('instr', str('corporate floor'), str('or'))).toBe(2);
    expect(call('instr', str('should I stay or should I go'), str('or'))).toBe(15);
    expect(call('instr', str('short'), str('or'))).toBe(3);
    expect(call('instr', str('no substring'), str('or'))).toBe(0);
  });
  it('with position and occurrence', () => {
    expect(call('instr', str('corporate floor'), str('or'), int(4))).toBe(5);
    expect(call('instr', str('short'), str('or'), int(4))).toBe(0);
    expect(call('instr', str('corporate floor'), str('or'), int(4), int(2))).toBe(14);
    expect(call('instr', str('short'), str('or'), int(4), int(2))).toBe(0);
    expect(call('instr', str('corporate floor'), str('or'), int(-4), int(2))).toBe(2);
    expect(call('instr', str('short'), str('or'), int(-4), int(2))).toBe(0);
  });
});

describe('INITCAP, LEN, REPLACE', () => {
  it('initcap (initcap.json)', () => {
    expect(call('initcap', str('some_string'))).toBe('Some_string');
    expect(call('initcap', str('the   Quick br0wn fOx'))).toBe('The   Quick Br0wn Fox');
    expect(call('initcap', str(null))).toBeNull();
  });
  it('len (len.json)', () => {
    expect(call('len', str('ABC'))).toBe(3);
    expect(call('len', bytes('YWJj'))).toBe(3);
    expect(call('len', str(''))).toBe(0);
    expect(call('len', str(null))).toBeNull();
    expect(resolve('len', str('x')).returnType).toEqual(SqlTypes.INTEGER);
  });
  it('replace (replace.json)', () => {
    expect(call('replace', str('anaconda'), str('a'), str('o'))).toBe('onocondo');
    expect(call('replace', str('anaconda'), str(null), str('o'))).toBeNull();
    expect(call('replace', str('anaconda'), str('a'), str(null))).toBeNull();
    expect(call('replace', str('popcorn'), str('a'), str('o'))).toBe('popcorn');
    expect(call('replace', str('a$b'), str('$'), str('$&'))).toBe('a$&b');
    expect(call('replace', str('{"text": "{\\"w\\": 1}"}'), str('\\"'), str('"'))).toBe('{"text": "{"w": 1}"}');
  });
});

describe('MASK family', () => {
  it('masks with defaults and custom characters', () => {
    expect(call('mask', str('AbCd#$123xy Z'))).toBe('XxXx--nnnxx-X');
    expect(call('mask', str('My Test $123'), str('*'), nul(), str('1'), nul())).toBe('*y *est $111');
    expect(call('mask_keep_left', str('AbCd#$123xy Z'), int(5))).toBe('AbCd#-nnnxx-X');
    expect(call('mask_keep_right', str('AbCd#$123xy Z'), int(5))).toBe('XxXx--nn3xy Z');
    expect(call('mask_left', str('AbCd#$123xy Z'), int(5))).toBe('XxXx-$123xy Z');
    expect(call('mask_right', str('AbCd#$123xy Z'), int(5))).toBe('AbCd#$12nxx-X');
    expect(call('mask_left', str('ab'), int(10))).toBe('xx');
    expect(callOrError('mask_left', str('ab'), int(-1))).toMatch(/^ERROR/);
  });
  it('uuid', () => {
    expect(call('uuid', bytes(Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64')))).toBe('00112233-4455-6677-8899-aabbccddeeff');
    expect(call('uuid', bytes('YQ=='))).toBeNull();
    expect(call('uuid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
