/** String functions (ksqlDB udf/string), with their BYTES overloads. */
import { randomUUID } from 'node:crypto';
import { KsqlException } from '../../errors/index.js';
import { overload, scalar } from '../declare.js';
import type { ScalarFunction } from '../types.js';

const CAT = 'STRING';

/** Java String.trim(): strips every char <= U+0020 from both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function startIndex(length: number, pos: number): number {
  return pos < 0 ? Math.max(length + pos, 0) : Math.max(Math.min(pos - 1, length), 0);
}

function endIndex(length: number, start: number, len: number): number {
  return Math.max(Math.min(start + len, length), start);
}

/** LPAD/RPAD on strings or buffers (ksqlDB LPad/RPad): NULL for a negative length or empty padding. */
function padString(input: string, len: number, padding: string, left: boolean): string | null {
  if (len < 0 || padding.length === 0) return null;
  const padUpTo = Math.max(len - input.length, 0);
  let pad = '';
  while (pad.length < padUpTo) pad += padding;
  pad = pad.slice(0, padUpTo);
  return (left ? pad + input : input + pad).slice(0, len);
}

function padBytes(input: Buffer, len: number, padding: Buffer, left: boolean): Buffer | null {
  if (len < 0 || padding.length === 0) return null;
  const padUpTo = Math.max(len - input.length, 0);
  const pad = Buffer.alloc(padUpTo);
  for (let i = 0; i < padUpTo; i++) pad[i] = padding[i % padding.length]!;
  return (left ? Buffer.concat([pad, input]) : Buffer.concat([input, pad])).subarray(0, len);
}

/** Guava Splitter.on(delimiter).split for strings; an empty delimiter splits into characters. */
function splitString(s: string, delimiter: string): string[] {
  if (delimiter.length === 0) return s.length === 0 ? [''] : Array.from(s);
  return s.split(delimiter);
}

function splitBytes(b: Buffer, delimiter: Buffer): Buffer[] {
  if (delimiter.length === 0) {
    if (b.length === 0) return [Buffer.alloc(0)];
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.subarray(i, i + 1));
    return out;
  }
  const out: Buffer[] = [];
  let from = 0;
  for (;;) {
    const idx = b.indexOf(delimiter, from);
    if (idx < 0) break;
    out.push(b.subarray(from, idx));
    from = idx + delimiter.length;
  }
  out.push(b.subarray(from));
  return out;
}

/** INSTR (ksqlDB Instr): 1-based position of the `occurrence`-th match, searching backwards for a negative position. */
function instr(str: string, sub: string, position: number, occurrence: number): number {
  if (occurrence <= 0) return 0;
  if (position > 0) {
    let idx = position - 1 - 1;
    for (let i = 0; i < occurrence; i++) {
      idx = str.indexOf(sub, idx + 1);
      if (idx < 0) return 0;
    }
    return idx + 1;
  }
  if (position < 0) {
    let idx = str.length + position + 1;
    for (let i = 0; i < occurrence; i++) {
      if (idx - 1 < 0) return 0;
      idx = str.lastIndexOf(sub, idx - 1);
      if (idx < 0) return 0;
    }
    return idx + 1;
  }
  return 0;
}

// ---- masking (ksqlDB Masker): upper → 'X', lower → 'x', digit → 'n', other → '-'; a NULL mask keeps the char

interface MaskChars { upper: string | null; lower: string | null; digit: string | null; other: string | null }
const DEFAULT_MASK: MaskChars = { upper: 'X', lower: 'x', digit: 'n', other: '-' };
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;

function maskChar(c: string, m: MaskChars): string {
  if (UPPER.test(c)) return m.upper ?? c;
  if (LOWER.test(c)) return m.lower ?? c;
  if (DIGIT.test(c)) return m.digit ?? c;
  return m.other ?? c;
}

function maskRange(s: string, from: number, to: number, m: MaskChars): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    out += i >= from && i < to ? maskChar(c, m) : c;
  }
  return out;
}

function maskChars(upper: string | null, lower: string | null, digit: string | null, other: string | null): MaskChars {
  const first = (s: string | null): string | null => (s === null || s.length === 0 ? null : s[0]!);
  return { upper: first(upper), lower: first(lower), digit: first(digit), other: first(other) };
}

type Range = (len: number, n: number) => [number, number];

function maskFamily(name: string, description: string, range: Range): ScalarFunction {
  const check = (n: number): void => {
    if (n < 0) throw new KsqlException(`function ${name} requires a non-negative number`);
  };
  return scalar(name, { category: CAT, description }, [
    overload({
      params: ['input: STRING', 'numChars: INTEGER'], returns: 'STRING',
      impl: (s: string, n: number) => { check(n); const [a, b] = range(s.length, n); return maskRange(s, a, b, DEFAULT_MASK); },
    }),
    overload({
      params: ['input: STRING', 'numChars: INTEGER', 'upper: STRING', 'lower: STRING', 'digit: STRING', 'other: STRING'],
      returns: 'STRING', nulls: 'pass',
      impl: (s: string | null, n: number | null, u: string | null, l: string | null, d: string | null, o: string | null) => {
        if (s === null || n === null) return null;
        check(n);
        const [a, b] = range(s.length, n);
        return maskRange(s, a, b, maskChars(u, l, d, o));
      },
    }),
  ]);
}

/** CHR(STRING): unescapes `\uXXXX` sequences (StringEscapeUtils.unescapeJava); NULL unless it starts with `\u`. */
function chrFromText(code: string): string | null {
  if (code.length < 6 || !code.startsWith('\\u')) return null;
  let out = '';
  for (let i = 0; i < code.length;) {
    if (code[i] === '\\' && code[i + 1] === 'u') {
      let j = i + 1;
      while (code[j] === 'u') j++;
      const hex = code.slice(j, j + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      i = j + 4;
    } else {
      out += code[i];
      i++;
    }
  }
  return out;
}

export const stringFunctions: readonly ScalarFunction[] = [
  scalar('concat', { category: CAT, description: 'Concatenate an arbitrary number of string or bytes fields together.' }, [
    overload({
      params: ['inputs: ...STRING'], returns: 'STRING', nulls: 'pass',
      impl: (inputs: (string | null)[]) => inputs.filter((s) => s !== null).join(''),
    }),
    overload({
      params: ['inputs: ...BYTES'], returns: 'BYTES', nulls: 'pass',
      impl: (inputs: (Buffer | null)[]) => Buffer.concat(inputs.filter((b): b is Buffer => b !== null)),
    }),
  ]),
  scalar('concat_ws', {
    category: CAT,
    description: 'Concatenate several strings or bytes, inserting a separator between each. NULL inputs are skipped; a NULL separator gives NULL.',
  }, [
    overload({
      params: ['separator: STRING', 'args: ...STRING'], returns: 'STRING',
      impl: (sep: string, args: (string | null)[]) => args.filter((s) => s !== null).join(sep),
    }),
    overload({
      params: ['separator: BYTES', 'args: ...BYTES'], returns: 'BYTES',
      impl: (sep: Buffer, args: (Buffer | null)[]) => {
        const parts: Buffer[] = [];
        for (const b of args) {
          if (b === null) continue;
          if (parts.length > 0) parts.push(sep);
          parts.push(b);
        }
        return Buffer.concat(parts);
      },
    }),
  ]),
  scalar('ucase', { category: CAT, description: 'Returns the input string with all characters converted to upper case.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: (s: string) => s.toUpperCase() }),
  ]),
  scalar('lcase', { category: CAT, description: 'Returns the input string with all characters converted to lower case.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: (s: string) => s.toLowerCase() }),
  ]),
  scalar('trim', { category: CAT, description: 'Returns the input string with all leading and trailing white space removed.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: javaTrim }),
  ]),
  scalar('len', { category: CAT, description: 'Returns the length of the input string or bytes.' }, [
    overload({ params: ['input: STRING'], returns: 'INTEGER', impl: (s: string) => s.length }),
    overload({ params: ['input: BYTES'], returns: 'INTEGER', impl: (b: Buffer) => b.length }),
  ]),
  scalar('lpad', { category: CAT, description: 'Pads the input string or bytes, beginning from the left, with the specified padding, until the target length is reached. The input is truncated to the target length.' }, [
    overload({ params: ['input: STRING', 'length: INTEGER', 'padding: STRING'], returns: 'STRING', impl: (s: string, n: number, p: string) => padString(s, n, p, true) }),
    overload({ params: ['input: BYTES', 'length: INTEGER', 'padding: BYTES'], returns: 'BYTES', impl: (s: Buffer, n: number, p: Buffer) => padBytes(s, n, p, true) }),
  ]),
  scalar('rpad', { category: CAT, description: 'Pads the input string or bytes, starting from the end, with the specified padding, until the target length is reached. The input is truncated to the target length.' }, [
    overload({ params: ['input: STRING', 'length: INTEGER', 'padding: STRING'], returns: 'STRING', impl: (s: string, n: number, p: string) => padString(s, n, p, false) }),
    overload({ params: ['input: BYTES', 'length: INTEGER', 'padding: BYTES'], returns: 'BYTES', impl: (s: Buffer, n: number, p: Buffer) => padBytes(s, n, p, false) }),
  ]),
  scalar('substring', {
    category: CAT,
    description: 'Returns the portion of the string or bytes from pos (1-based; negative counts from the end), optionally of the given length.',
  }, [
    overload({ params: ['str: STRING', 'pos: INTEGER'], returns: 'STRING', impl: (s: string, p: number) => s.slice(startIndex(s.length, p)) }),
    overload({
      params: ['str: STRING', 'pos: INTEGER', 'length: INTEGER'], returns: 'STRING',
      impl: (s: string, p: number, n: number) => { const a = startIndex(s.length, p); return s.slice(a, endIndex(s.length, a, n)); },
    }),
    overload({ params: ['bytes: BYTES', 'pos: INTEGER'], returns: 'BYTES', impl: (s: Buffer, p: number) => Buffer.from(s.subarray(startIndex(s.length, p))) }),
    overload({
      params: ['bytes: BYTES', 'pos: INTEGER', 'length: INTEGER'], returns: 'BYTES',
      impl: (s: Buffer, p: number, n: number) => { const a = startIndex(s.length, p); return Buffer.from(s.subarray(a, endIndex(s.length, a, n))); },
    }),
  ]),
  scalar('replace', { category: CAT, description: 'Replaces all occurrences of a substring with another string.' }, [
    overload({
      params: ['str: STRING', 'target: STRING', 'replacement: STRING'], returns: 'STRING',
      impl: (s: string, t: string, r: string) => s.replaceAll(t, () => r),
    }),
  ]),
  scalar('instr', { category: CAT, description: 'Returns the 1-based position of a substring, 0 when not found.' }, [
    overload({ params: ['str: STRING', 'substring: STRING'], returns: 'INTEGER', impl: (s: string, t: string) => instr(s, t, 1, 1) }),
    overload({ params: ['str: STRING', 'substring: STRING', 'position: INTEGER'], returns: 'INTEGER', impl: (s: string, t: string, p: number) => instr(s, t, p, 1) }),
    overload({
      params: ['str: STRING', 'substring: STRING', 'position: INTEGER', 'occurrence: INTEGER'], returns: 'INTEGER',
      impl: (s: string, t: string, p: number, o: number) => instr(s, t, p, o),
    }),
  ]),
  scalar('initcap', { category: CAT, description: 'Capitalizes the first letter of each word and lower-cases the rest; words are delimited by white space.' }, [
    overload({
      params: ['str: STRING'], returns: 'STRING',
      impl: (s: string) => {
        let out = '';
        for (const m of s.toLowerCase().matchAll(/\S+\s*/g)) out += m[0].slice(0, 1).toUpperCase() + m[0].slice(1);
        return out;
      },
    }),
  ]),
  scalar('split', { category: CAT, description: 'Splits a string or bytes into an array by a delimiter; an empty delimiter splits into characters.' }, [
    overload({ params: ['string: STRING', 'delimiter: STRING'], returns: 'ARRAY<STRING>', impl: splitString }),
    overload({ params: ['bytes: BYTES', 'delimiter: BYTES'], returns: 'ARRAY<BYTES>', impl: splitBytes }),
  ]),
  scalar('split_to_map', { category: CAT, description: 'Splits a string into key-value pairs and creates a map from them.' }, [
    overload({
      params: ['input: STRING', 'entryDelimiter: STRING', 'kvDelimiter: STRING'], returns: 'MAP<STRING, STRING>',
      impl: (input: string, ed: string, kd: string) => {
        if (ed.length === 0 || kd.length === 0 || ed === kd) return null;
        const out = new Map<string, string>();
        for (const entry of input.split(ed)) {
          if (entry.length === 0 || !entry.includes(kd)) continue;
          const parts = entry.split(kd);
          out.set(parts[0]!, parts[1]!);
        }
        return out;
      },
    }),
  ]),
  scalar('chr', { category: CAT, description: 'Returns a single-character string for a decimal code point or a \\uXXXX escaped UTF-16 code.' }, [
    overload({
      params: ['decimalCode: INTEGER'], returns: 'STRING',
      impl: (c: number) => (c < 0 || c > 0x10ffff ? null : String.fromCodePoint(c)),
    }),
    overload({ params: ['utf16Code: STRING'], returns: 'STRING', impl: chrFromText }),
  ]),
  scalar('mask', { category: CAT, description: 'Returns a masked version of the input string: upper-case letters as X, lower-case as x, digits as n, others as -. NULL mask characters keep that class unmasked.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: (s: string) => maskRange(s, 0, s.length, DEFAULT_MASK) }),
    overload({
      params: ['input: STRING', 'upper: STRING', 'lower: STRING', 'digit: STRING', 'other: STRING'], returns: 'STRING', nulls: 'pass',
      impl: (s: string | null, u: string | null, l: string | null, d: string | null, o: string | null) =>
        (s === null ? null : maskRange(s, 0, s.length, maskChars(u, l, d, o))),
    }),
  ]),
  maskFamily('mask_keep_left', 'Returns a masked version of the input string, except for the first numChars characters.',
    (len, n) => [Math.min(n, len), len]),
  maskFamily('mask_keep_right', 'Returns a masked version of the input string, except for the last numChars characters.',
    (len, n) => [0, Math.max(len - n, 0)]),
  maskFamily('mask_left', 'Returns a version of the input string with the first numChars characters masked.',
    (len, n) => [0, Math.min(n, len)]),
  maskFamily('mask_right', 'Returns a version of the input string with the last numChars characters masked.',
    (len, n) => [Math.max(len - n, 0), len]),
  scalar('uuid', { category: CAT, description: 'Returns a randomly generated UUID (version 4) string, or the UUID string of 16 bytes.' }, [
    overload({ params: [], returns: 'STRING', impl: () => randomUUID() }),
    overload({
      params: ['bytes: BYTES'], returns: 'STRING',
      impl: (b: Buffer) => {
        if (b.length !== 16) return null;
        const h = b.toString('hex');
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      },
    }),
  ]),
  scalar('elt', { category: CAT, description: 'Returns the element at position n (1-based) of the arguments, or NULL when out of range.' }, [
    overload({
      params: ['n: INTEGER', 'args: ...STRING'], returns: 'STRING',
      impl: (n: number, args: (string | null)[]) => (n < 1 || n > args.length ? null : args[n - 1]),
    }),
  ]),
  scalar('field', { category: CAT, description: 'Returns the 1-based position of str in the arguments, 0 when absent or NULL.' }, [
    overload({
      params: ['str: STRING', 'args: ...STRING'], returns: 'INTEGER', nulls: 'pass',
      impl: (s: string | null, args: (string | null)[]) => (s === null ? 0 : args.indexOf(s) + 1),
    }),
  ]),
];
