/**
 * An exact JSON parser: like `JSON.parse`, but numbers keep their source text.
 *
 * Why hand-written: `JSON.parse` turns every number into a double, losing BIGINTs beyond 2^53 and the
 * scale of decimals (`1.10` → 1.1), and Node 20 has no reviver source-text access. The JSON serde uses
 * it for schemas with a DECIMAL, and as a retry when `JSON.parse` met an integer beyond 2^53 where it
 * matters; the conformance runner can use it to compare numbers the way ksqlDB's comparator does
 * (integer vs fraction vs scale).
 */
import { JsonNumber } from './json-number.js';

export { JsonNumber, isJsonNumber, stringifyJsonTree, jacksonNumberText } from './json-number.js';

let src = '';
let pos = 0;

/**
 * Parses JSON text exactly. Returns: `null`, booleans, strings, arrays, plain objects (own keys in
 * document order, except that JS lists integer-like keys first; a duplicate key keeps the last value)
 * and `JsonNumber` for every number. Accepts exactly what `JSON.parse` accepts; throws SyntaxError.
 */
export function parseJsonExact(text: string): unknown {
  src = text;
  pos = 0;
  try {
    const v = parseValue();
    skipWs();
    if (pos < src.length) fail('Unexpected non-whitespace character after JSON');
    return v;
  } finally {
    src = '';
  }
}

function fail(msg: string): never {
  throw new SyntaxError(`${msg} at position ${pos}`);
}

function skipWs(): void {
  let c = src.charCodeAt(pos);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = src.charCodeAt(++pos);
}

function parseValue(): unknown {
  skipWs();
  const c = src.charCodeAt(pos);
  if (c === 34) return parseString();
  if (c === 123) return parseObject();
  if (c === 91) return parseArray();
  if (c === 45 || (c >= 48 && c <= 57)) return parseNumber();
  if (c === 116 && src.startsWith('true', pos)) { pos += 4; return true; }
  if (c === 102 && src.startsWith('false', pos)) { pos += 5; return false; }
  if (c === 110 && src.startsWith('null', pos)) { pos += 4; return null; }
  return fail(pos >= src.length ? 'Unexpected end of JSON input' : `Unexpected token '${src[pos]}'`);
}

function parseObject(): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  pos++;
  skipWs();
  if (src.charCodeAt(pos) === 125) { pos++; return obj; }
  for (;;) {
    skipWs();
    if (src.charCodeAt(pos) !== 34) fail('Expected property name');
    const key = parseString();
    skipWs();
    if (src.charCodeAt(pos) !== 58) fail("Expected ':' after property name");
    pos++;
    const value = parseValue();
    if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    else obj[key] = value;
    skipWs();
    const c = src.charCodeAt(pos++);
    if (c === 44) continue;
    if (c === 125) return obj;
    pos--;
    fail("Expected ',' or '}' after property value");
  }
}

function parseArray(): unknown[] {
  const arr: unknown[] = [];
  pos++;
  skipWs();
  if (src.charCodeAt(pos) === 93) { pos++; return arr; }
  for (;;) {
    arr.push(parseValue());
    skipWs();
    const c = src.charCodeAt(pos++);
    if (c === 44) continue;
    if (c === 93) return arr;
    pos--;
    fail("Expected ',' or ']' after array element");
  }
}

function parseNumber(): JsonNumber {
  const start = pos;
  let integral = true;
  if (src.charCodeAt(pos) === 45) pos++;
  let c = src.charCodeAt(pos);
  if (c === 48) c = src.charCodeAt(++pos);
  else if (c >= 49 && c <= 57) { do c = src.charCodeAt(++pos); while (c >= 48 && c <= 57); }
  else fail('No number after minus sign');
  if (c === 46) {
    integral = false;
    c = src.charCodeAt(++pos);
    if (!(c >= 48 && c <= 57)) fail('Unterminated fractional number');
    do c = src.charCodeAt(++pos); while (c >= 48 && c <= 57);
  }
  if (c === 101 || c === 69) {
    integral = false;
    c = src.charCodeAt(++pos);
    if (c === 43 || c === 45) c = src.charCodeAt(++pos);
    if (!(c >= 48 && c <= 57)) fail('Exponent part is missing a number');
    do c = src.charCodeAt(++pos); while (c >= 48 && c <= 57);
  }
  return new JsonNumber(src.slice(start, pos), integral);
}

function parseString(): string {
  const start = ++pos;
  for (;;) {
    const c = src.charCodeAt(pos);
    if (c === 34) return src.slice(start, pos++);
    if (c === 92) break;
    if (c < 32 || pos >= src.length) fail(pos >= src.length ? 'Unterminated string in JSON' : 'Bad control character in string literal');
    pos++;
  }
  let out = src.slice(start, pos);
  for (;;) {
    const c = src.charCodeAt(pos);
    if (c === 34) { pos++; return out; }
    if (c === 92) {
      const e = src.charCodeAt(pos + 1);
      pos += 2;
      switch (e) {
        case 34: out += '"'; break;
        case 92: out += '\\'; break;
        case 47: out += '/'; break;
        case 98: out += '\b'; break;
        case 102: out += '\f'; break;
        case 110: out += '\n'; break;
        case 114: out += '\r'; break;
        case 116: out += '\t'; break;
        case 117: {
          const hex = src.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Bad Unicode escape in JSON');
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default: pos -= 1; fail('Bad escaped character in JSON');
      }
      continue;
    }
    if (c < 32 || pos >= src.length) fail(pos >= src.length ? 'Unterminated string in JSON' : 'Bad control character in string literal');
    const runStart = pos;
    let d = c;
    while (d !== 34 && d !== 92 && d >= 32 && pos < src.length) d = src.charCodeAt(++pos);
    out += src.slice(runStart, pos);
  }
}

