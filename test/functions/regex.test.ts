import { describe, expect, it } from 'vitest';
import * as rx from '../../engine/functions/regex.js';
import { compileJavaRegex } from '../../engine/functions/regex-java.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import type { ArgShape } from '../../engine/functions/types.js';
import { SqlTypes } from '../../engine/types/sql-type.js';

const registry = createFunctionRegistry();
const { STRING, INTEGER } = SqlTypes;
const call = (name: string, values: unknown[]): unknown => registry.scalar(name)!
  .resolve(values.map((x): ArgShape => ({ kind: 'value', type: typeof x === 'number' ? INTEGER : STRING }))).invoke(...values);

describe('regex.json', () => {
  it.each([
    ['steven zhang', 'zhang'], ['andy coates', 'coates'], ['victoria xia', 'xia'], ['apurva mehta', 'mehta'], ['agavra', null], [null, null],
  ])('extract with group: %j', (input, out) => {
    expect(call('REGEXP_EXTRACT', ['(.*) (.*)', input, 2])).toBe(out);
  });
  it.each([
    ['some_test_string_testabab', ['test_', 'testa']], ['anothertest', []], ['testa', ['testa']], ['nothing', []], [null, null],
  ])('regex_extract_all without group: %j', (input, out) => {
    expect(call('REGEXP_EXTRACT_ALL', ['test.', input])).toEqual(out);
  });
});

describe('REGEXP_EXTRACT / REGEXP_EXTRACT_ALL', () => {
  it('group 0 by default, null for non-participating groups', () => {
    expect(rx.regexpExtract('\\d+', 'ab 123 45')).toBe('123');
    expect(rx.regexpExtract('(a)|(b)', 'b', 1)).toBeNull();
    expect(rx.regexpExtractAll('(\\w+) (\\w+)', 'foo bar baz qux', 2)).toEqual(['bar', 'qux']);
    expect(rx.regexpExtractAll('(a)|(b)', 'ab', 2)).toEqual([null, 'b']);
    expect(rx.regexpExtractAll('x*', 'ab')).toEqual(['', '', '']);
  });
  it('throws for groups that do not exist and invalid patterns', () => {
    expect(() => rx.regexpExtract('(a)', 'a', 2)).toThrow('No group 2');
    expect(() => rx.regexpExtract('(a)', 'a', -1)).toThrow('No group -1');
    expect(() => rx.regexpExtract('(a', 'a')).toThrow(/Invalid regular expression pattern: \(a\. Unclosed group/);
    expect(() => rx.regexpExtract('*a', 'a')).toThrow(/Dangling meta character/);
    expect(() => rx.regexpExtract('a{', 'a')).toThrow(/Illegal repetition/);
    expect(() => rx.regexpExtract('a{3,1}', 'a')).toThrow(/Illegal repetition range/);
    expect(() => rx.regexpExtract('[a', 'a')).toThrow(/Unclosed character class/);
    expect(() => rx.regexpExtract('\\y', 'a')).toThrow(/Illegal\/unsupported escape sequence/);
    expect(() => rx.regexpExtract('[z-a]', 'a')).toThrow(/Illegal character range/);
    expect(() => rx.regexpExtract('\\p{NoSuchThing}', 'a')).toThrow(/Unknown character property/);
    expect(() => rx.regexpExtract('\\Ga', 'a')).toThrow(/not supported/);
  });
});

describe('REGEXP_REPLACE', () => {
  it('replaces like String.replaceAll', () => {
    expect(call('REGEXP_REPLACE', ['John Smith', '(\\w+) (\\w+)', '$2, $1'])).toBe('Smith, John');
    expect(rx.regexpReplace('abc', 'b*', '-')).toBe('-a--c-');
    expect(rx.regexpReplace('aaa', 'a*', 'X')).toBe('XX');
    expect(rx.regexpReplace('abc', 'x', 'y')).toBe('abc');
    expect(rx.regexpReplace('a.b', '\\.', '\\$')).toBe('a$b');
    expect(rx.regexpReplace('ab', '(?<x>a)', '${x}${x}')).toBe('aab');
    expect(() => rx.regexpReplace('ab', '(a)', '$&')).toThrow('Illegal group reference');
  });
  it('parses $n like Java: as many digits as name a group', () => {
    expect(rx.regexpReplace('a', '(a)', '$10')).toBe('a0');
    expect(rx.regexpReplace('abcdefghijk', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)', '$11$1')).toBe('ka');
    expect(() => rx.regexpReplace('a', '(a)', '$2')).toThrow('No group 2');
    expect(() => rx.regexpReplace('a', 'a', '$x')).toThrow('Illegal group reference');
    expect(() => rx.regexpReplace('a', 'a', 'x\\')).toThrow('character to be escaped is missing');
    expect(() => rx.regexpReplace('a', 'a', '${nope}')).toThrow('No group with name {nope}');
    expect(rx.regexpReplace('ab', '(a)|(b)', '[$2]')).toBe('[][b]');
  });
  it('JS replacement patterns are not special', () => {
    expect(rx.regexpReplace('ab', 'a', '$0$0')).toBe('aab');
    expect(rx.regexpReplace('ab', 'a', '\\$&')).toBe('$&b');
    expect(() => rx.regexpReplace('ab', 'a', '$$')).toThrow('Illegal group reference');
  });
});

describe('REGEXP_SPLIT_TO_ARRAY', () => {
  it.each([
    ['a-b--c-', '-', ['a', 'b', '', 'c', '']],
    ['-a-b', '-', ['', 'a', 'b']],
    ['aabbcc', 'b+', ['aa', 'cc']],
    ['', '-', ['']],
    ['a  b', ' +', ['a', 'b']],
    ['abc', '', ['a', 'b', 'c']],
    ['a1b22c', '\\d*', ['a', '', 'b', '', 'c']],
    ['a,b,,', ',*', ['a', '', 'b']],
    ['ab', '(?=b)', ['a', 'b']],
  ])('REGEXP_SPLIT_TO_ARRAY(%j, %j)', (s, re, out) => {
    expect(call('REGEXP_SPLIT_TO_ARRAY', [s, re])).toEqual(out);
  });
});

describe('Java regex translation', () => {
  const find = (re: string, s: string): string | null => rx.regexpExtract(re, s);
  it('possessive quantifiers and atomic groups do not backtrack', () => {
    expect(find('a*+a', 'aaaa')).toBeNull();
    expect(find('a*a', 'aaaa')).toBe('aaaa');
    expect(find('a++b', 'aaab')).toBe('aaab');
    expect(find('x?+x', 'x')).toBeNull();
    expect(find('a{1,3}+a', 'aaa')).toBeNull();
    expect(find('(?>a|ab)c', 'abc')).toBeNull();
    expect(find('(a|ab)c', 'abc')).toBe('abc');
    // Java group numbers survive the helper groups
    expect(rx.regexpExtract('(a)++(b)', 'aab', 2)).toBe('b');
    expect(rx.regexpExtract('(?>(x))(y)\\2', 'xyy', 2)).toBe('y');
    expect(compileJavaRegex('(a)++(b)').groupCount).toBe(2);
  });
  it('inline flags are scoped like Java', () => {
    expect(find('(?i)hello', 'say HeLLo')).toBe('HeLLo');
    expect(find('a(?i)b(?-i)c', 'aBc')).toBe('aBc');
    expect(find('a(?i)b(?-i)c', 'aBC')).toBeNull();
    expect(find('(?i:x)y', 'XY')).toBeNull();
    expect(find('(?i:x)y', 'Xy')).toBe('Xy');
    expect(find('((?i)a)b', 'AB')).toBeNull();
    expect(find('((?i)a)b', 'Ab')).toBe('Ab');
    expect(find('(?i)[a-c]+', 'xABCx')).toBe('ABC');
    expect(find('(?i)[^a]', 'A')).toBeNull();
    // CASE_INSENSITIVE alone folds ASCII only; UNICODE_CASE folds the rest
    expect(find('(?i)é', 'É')).toBeNull();
    expect(find('(?iu)é', 'É')).toBe('É');
    expect(find('(?i)(a)\\1', 'aA')).toBe('aA');
  });
  it('line terminators in ., ^ and $', () => {
    expect(find('a.b', 'a\u0085b')).toBeNull();
    expect(find('a.b', 'a\rb')).toBeNull();
    expect(find('(?s)a.b', 'a\nb')).toBe('a\nb');
    expect(find('(?d)a.b', 'a\rb')).toBe('a\rb');
    expect(find('a$', 'a\n')).toBe('a');
    expect(find('a$', 'a\r\n')).toBe('a');
    expect(find('a$', 'a\n\n')).toBeNull();
    expect(find('a\\z', 'a\n')).toBeNull();
    expect(find('a\\Z', 'a\n')).toBe('a');
    expect(find('\\Aa', 'ba')).toBeNull();
    expect(rx.regexpExtractAll('(?m)^\\w', 'ab\ncd\r\nef\u2028gh')).toEqual(['a', 'c', 'e', 'g']);
    expect(rx.regexpExtractAll('(?m)\\w$', 'ab\ncd\r\nef')).toEqual(['b', 'd', 'f']);
    expect(rx.regexpExtractAll('(?m)^', 'a\n')).toEqual(['']);
    expect(find('\\R', 'x\r\ny')).toBe('\r\n');
  });
  it('character classes', () => {
    expect(rx.regexpExtractAll('[a-z&&[^aeiou]]', 'hello')).toEqual(['h', 'l', 'l']);
    expect(rx.regexpExtractAll('[a-d[m-p]]', 'axmz')).toEqual(['a', 'm']);
    expect(rx.regexpExtractAll('[\\w&&[^\\d]]+', 'ab12cd')).toEqual(['ab', 'cd']);
    expect(rx.regexpExtractAll('[^a[b]]', 'abc')).toEqual(['c']);
    expect(rx.regexpExtractAll('[]a]', 'a]b')).toEqual(['a', ']']);
    expect(rx.regexpExtractAll('[a-]', 'x-a')).toEqual(['-', 'a']);
    expect(rx.regexpExtractAll('[&a]', '&b')).toEqual(['&']);
    expect(rx.regexpExtractAll('[\\Q]-[\\E]', 'a]-[')).toEqual([']', '-', '[']);
    expect(rx.regexpExtractAll('[(){}|/!#%,:;<=>@`~]', '()x')).toEqual(['(', ')']);
  });
  it('predefined classes follow Java (ASCII \\s, Unicode \\b, POSIX, properties)', () => {
    expect(rx.regexpExtractAll('\\s', 'a b\u00a0c\u2003d\te')).toEqual([' ', '\t']);
    expect(rx.regexpExtractAll('\\h', 'a b\u00a0c')).toEqual([' ', '\u00a0']);
    expect(rx.regexpExtractAll('\\w+', 'héllo wörld')).toEqual(['h', 'llo', 'w', 'rld']);
    expect(rx.regexpExtractAll('\\bw\\w*', 'héllo wörld')).toEqual(['w']);
    expect(rx.regexpExtractAll('\\b\\p{L}+\\b', 'héllo wörld')).toEqual(['héllo', 'wörld']);
    expect(rx.regexpExtractAll('(?U)\\w+', 'héllo wörld')).toEqual(['héllo', 'wörld']);
    expect(rx.regexpExtractAll('\\p{Punct}', 'a,b.c!')).toEqual([',', '.', '!']);
    expect(rx.regexpExtractAll('\\p{Alpha}+', 'abc1é')).toEqual(['abc']);
    expect(rx.regexpExtractAll('\\p{Lu}', 'aBcÉ')).toEqual(['B', 'É']);
    expect(rx.regexpExtractAll('\\p{IsLu}\\p{gc=Ll}', 'Ab')).toEqual(['Ab']);
    expect(rx.regexpExtractAll('\\p{IsGreek}+', 'abc αβγ')).toEqual(['αβγ']);
    expect(rx.regexpExtractAll('\\p{sc=cyrillic}+', 'abc жж')).toEqual(['жж']);
    expect(rx.regexpExtractAll('\\p{InGreek}', 'aα')).toEqual(['α']);
    expect(rx.regexpExtractAll('\\p{IsAlphabetic}+', 'ab1')).toEqual(['ab']);
    expect(rx.regexpExtractAll('\\p{javaLowerCase}+', 'abC')).toEqual(['ab']);
    expect(rx.regexpExtractAll('\\P{L}', 'a1')).toEqual(['1']);
    expect(rx.regexpExtractAll('\\pL', 'a1')).toEqual(['a']);
    expect(rx.regexpExtractAll('[^\\p{L}]', 'a1')).toEqual(['1']);
  });
  it('quoting, escapes and comments', () => {
    expect(find('\\Qa.b*\\E+', 'a.b**')).toBe('a.b**');
    expect(find('\\Qa.b', 'xa.b')).toBe('a.b');
    expect(find('\\x41\\u0042\\x{43}\\0104\\cA', 'ABCD\u0001')).toBe('ABCD\u0001');
    expect(find('\\uD83D\\uDE00', '😀')).toBe('😀');
    expect(find('\\t\\e\\a', '\t\u001b\u0007')).toBe('\t\u001b\u0007');
    expect(find('(?x) a b # comment\n c', 'abc')).toBe('abc');
    expect(find('(?x)a\\ b', 'a b')).toBe('a b');
    expect(find('a}b]', 'a}b]')).toBe('a}b]');
    expect(find('a/b', 'a/b')).toBe('a/b');
    expect(find('\\-\\_\\"', '-_"')).toBe('-_"');
  });
  it('backreferences', () => {
    expect(find('(a)(?<n>b)\\k<n>\\1', 'abba')).toBe('abba');
    expect(find('(\\w)\\1', 'abccd')).toBe('cc');
    // \\11 is group 1 then '1' when there are fewer than 11 groups
    expect(find('(a)\\11', 'aa1')).toBe('aa1');
    // a reference to a group that does not exist never matches
    expect(find('(a)\\5', 'aa')).toBeNull();
  });
  it('caches compiled patterns', () => {
    expect(compileJavaRegex('a+b')).toBe(compileJavaRegex('a+b'));
  });
});
