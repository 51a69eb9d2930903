import { describe, expect, it } from 'vitest';
import * as bytes from '../../engine/functions/bytes.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import type { ArgShape } from '../../engine/functions/types.js';
import { type SqlType, SqlTypes } from '../../engine/types/sql-type.js';

const { STRING, BYTES } = SqlTypes;
const registry = createFunctionRegistry();
const v = (t: SqlType): ArgShape => ({ kind: 'value', type: t });
const call = (name: string, types: SqlType[], ...values: unknown[]): unknown => registry.scalar(name)!.resolve(types.map(v)).invoke(...values);
const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

describe('bytes-and-strings.json', () => {
  it.each([['!', 'IQ=='], ['#', 'Iw==']])('convert bytes to ASCII encoded string: %s', (s, b) => {
    const ascii = call('FROM_BYTES', [BYTES, STRING], b64(b), 'ascii');
    expect(ascii).toBe(s);
    expect((call('TO_BYTES', [STRING, STRING], ascii, 'ascii') as Buffer).toString('base64')).toBe(b);
    expect(call('FROM_BYTES', [BYTES, STRING], call('TO_BYTES', [STRING, STRING], s, 'ascii'), 'ascii')).toBe(s);
  });
  it.each([['IQ==', 'IQ=='], ['Iw==', 'Iw==']])('convert bytes to BASE64 encoded string: %s', (s, b) => {
    const base64 = call('FROM_BYTES', [BYTES, STRING], b64(b), 'base64');
    expect(base64).toBe(b);
    expect((call('TO_BYTES', [STRING, STRING], base64, 'base64') as Buffer).toString('base64')).toBe(b);
    expect(call('FROM_BYTES', [BYTES, STRING], call('TO_BYTES', [STRING, STRING], s, 'base64'), 'base64')).toBe(s);
  });
  it('convert bytes to INT, BIGINT, and DOUBLE using BIG ENDIAN', () => {
    expect(call('INT_FROM_BYTES', [BYTES], b64('AAAH5Q=='))).toBe(2021);
    expect(call('BIGINT_FROM_BYTES', [BYTES], b64('AAAAASoF8gA='))).toBe(5000000000);
    expect(call('DOUBLE_FROM_BYTES', [BYTES], b64('QICm/ZvJ9YI='))).toBe(532.8738323);
  });
  it('convert bytes to INT, BIGINT, and DOUBLE using LITTLE ENDIAN', () => {
    expect(call('INT_FROM_BYTES', [BYTES, STRING], b64('5QcAAA=='), 'LITTLE_ENDIAN')).toBe(2021);
    expect(call('BIGINT_FROM_BYTES', [BYTES, STRING], b64('APIFKgEAAAA='), 'LITTLE_ENDIAN')).toBe(5000000000);
    expect(call('DOUBLE_FROM_BYTES', [BYTES, STRING], b64('gvXJm/2mgEA='), 'little_endian')).toBe(532.8738323);
  });
  it('checks sizes and byte orders', () => {
    expect(() => bytes.intFromBytes(Buffer.from([1, 2]))).toThrow('Number of bytes must be equal to 4, but found 2');
    expect(() => bytes.intFromBytes(Buffer.alloc(4), 'MIDDLE')).toThrow(/Byte order must be BIG_ENDIAN or LITTLE_ENDIAN/);
    expect(bytes.bigintFromBytes(Buffer.from('7fffffffffffffff', 'hex'))).toBe(9223372036854775807n);
    expect(bytes.bigintFromBytes(Buffer.from('ffffffffffffffff', 'hex'))).toBe(-1);
    expect(call('INT_FROM_BYTES', [BYTES], null)).toBeNull();
  });
});

describe('TO_BYTES / FROM_BYTES', () => {
  it('hex', () => {
    expect(bytes.fromBytes(Buffer.from('Example!'), 'hex')).toBe('4578616D706C6521');
    expect(bytes.toBytes('4578616D706C6521', 'HEX').toString()).toBe('Example!');
    expect(bytes.toBytes('4578616d706c6521', 'hex').toString()).toBe('Example!');
    expect(() => bytes.toBytes('123', 'hex')).toThrow();
    expect(() => bytes.toBytes('zz', 'hex')).toThrow();
  });
  it('utf8 and ascii like Java charsets', () => {
    expect(bytes.toBytes('Ελλάδα', 'utf8').toString('hex')).toBe('ce95cebbcebbceacceb4ceb1');
    expect(bytes.toBytes('é😀', 'ascii').toString()).toBe('??');
    expect(bytes.toBytes('a\ud800b', 'utf8').toString()).toBe('a?b');
    expect(bytes.fromBytes(Buffer.from([0x41, 0xc3, 0x9c]), 'ascii')).toBe('A\ufffd\ufffd');
    expect(bytes.fromBytes(Buffer.from([0x41, 0xc3, 0x9c]), 'utf8')).toBe('AÜ');
  });
  it('base64 decoding is strict', () => {
    expect(bytes.toBytes('IQ', 'base64').toString()).toBe('!');
    expect(() => bytes.toBytes('IQ=', 'base64')).toThrow();
    expect(() => bytes.toBytes('I', 'base64')).toThrow();
    expect(() => bytes.toBytes('I Q==', 'base64')).toThrow();
    expect(() => bytes.toBytes('IQ==IQ==', 'base64')).toThrow();
    expect(() => bytes.toBytes('a-b_', 'base64')).toThrow();
  });
  it('rejects unknown encodings', () => {
    expect(() => bytes.toBytes('x', 'utf16')).toThrow(/Unknown encoding/);
    expect(() => bytes.fromBytes(Buffer.from('x'), 'latin1')).toThrow(/Unknown encoding/);
  });
});

describe('encode.json', () => {
  const hexCases: [string | null, string | null, string | null, string | null][] = [
    ['4578616d706C6521', 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ['ce95cebbcebbceacceb4ceb1', '\ufffd'.repeat(12), 'Ελλάδα', 'zpXOu867zqzOtM6x'],
    ['c39c6265726d656e736368', '\ufffd\ufffdbermensch', 'Übermensch', 'w5xiZXJtZW5zY2g='],
    [null, null, null, null],
    ['0x4578616d706C6521', 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ["X'4578616d706C6521'", 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ["x'4578616d706C6521'", 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ['0x', '', '', ''],
    ["X''", '', '', ''],
    ["x''", '', '', ''],
    ['0x0x', null, null, null],
    ["X'", null, null, null],
    ["x'4578616d706C6521", null, null, null],
    ["x'578616d706C6521'", null, null, null],
    ['0x578616d706C6521', '\u0005xample!', '\u0005xample!', 'BXhhbXBsZSE='],
    ['578616d706C6521', null, null, null],
  ];
  const enc = (s: string | null, from: string, to: string): string | null => {
    if (s === null) return call('ENCODE', [STRING, STRING, STRING], s, from, to) as null;
    try { return call('ENCODE', [STRING, STRING, STRING], s, from, to) as string; } catch { return null; }
  };
  it.each(hexCases)('encode hex: %j', (input, ascii, utf8, base64) => {
    expect(enc(input, 'hex', 'ascii')).toBe(ascii);
    expect(enc(input, 'hex', 'utf8')).toBe(utf8);
    expect(enc(input, 'hex', 'base64')).toBe(base64);
  });
  it.each([
    ['Example!', '4578616d706c6521', 'Example!', 'RXhhbXBsZSE='],
    ['Ελλάδα', '3f3f3f3f3f3f', '??????', 'Pz8/Pz8/'],
    [null, null, null, null],
  ])('encode ascii: %j', (input, hex, utf8, base64) => {
    expect(enc(input, 'ascii', 'hex')).toBe(hex);
    expect(enc(input, 'ascii', 'utf8')).toBe(utf8);
    expect(enc(input, 'ascii', 'base64')).toBe(base64);
  });
  it('encode null: unknown encodings give null', () => {
    expect(enc('RXhhbXBsZSE=', 'base64', 'null')).toBeNull();
    expect(enc('RXhhbXBsZSE=', 'null', 'utf8')).toBeNull();
    expect(() => bytes.encode('x', 'null', 'ascii')).toThrow('Supported input and output encodings are: hex, utf8, ascii and base64');
  });
  it('other pairs', () => {
    expect(bytes.encode('RXhhbXBsZSE=', 'base64', 'utf8')).toBe('Example!');
    expect(bytes.encode('RXhhbXBsZSE=', 'BASE64', 'HEX')).toBe('4578616d706c6521');
    expect(bytes.encode('Übermensch', 'utf8', 'hex')).toBe('c39c6265726d656e736368');
    expect(bytes.encode('Übermensch', 'utf8', 'ascii')).toBe('\ufffd\ufffdbermensch');
    expect(bytes.encode('Übermensch', 'utf8', 'base64')).toBe('w5xiZXJtZW5zY2g=');
  });
});
