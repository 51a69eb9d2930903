/**
 * JSON scalar functions (ksqlDB udf/json) as plain functions over non-null inputs unless stated.
 * JSON text is read with Jackson's rules (json-node.ts). Invalid JSON throws (→ NULL plus a
 * processing-log entry), except in IS_JSON_STRING and JSON_ARRAY_CONTAINS which answer false.
 */
import { KsqlException } from '../errors/index.js';
import { isDecimal } from '../types/decimal.js';
import type { SqlType } from '../types/sql-type.js';
import { formatDateIso, formatTimestampIso } from './datetime.js';
import {
  type JsonNode, JsonParseError, JsonReader, STRICT_JSON, javaBigDecimalToString, nodeText, parseJson, quoteJson, writeJson,
} from './json-node.js';
import { formatJavaDouble } from './java-text.js';

/** UdfJsonMapper.parseJson: throws "Invalid JSON format:…" for malformed text. */
export function readJson(text: string): JsonNode {
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof JsonParseError) throw new KsqlException(`Invalid JSON format:${text}`, { cause: e });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON paths (ksqlDB's JsonPathTokenizer, taken from Presto): $ then .name, [index], ["quoted name"]

const pathCache = new Map<string, readonly string[]>();

/** Splits `$.a.b[0]["c d"]` into tokens; throws "Invalid JSON path" otherwise. */
export function tokenizeJsonPath(path: string): readonly string[] {
  const hit = pathCache.get(path);
  if (hit) return hit;
  const invalid = (): never => { throw new KsqlException(`Invalid JSON path: '${path}'`); };
  if (path.length === 0 || path[0] !== '$') invalid();
  const tokens: string[] = [];
  let i = 1;
  const plain = (c: string | undefined): boolean => c !== undefined && (c === ':' || isSubscriptChar(c));
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      const start = ++i;
      while (plain(path[i])) i++;
      if (i === start) invalid();
      tokens.push(path.slice(start, i));
    } else if (c === '[') {
      i++;
      const q = path[i];
      if (q === '"' || q === "'") {
        i++;
        let token = '';
        for (;;) {
          const ch = path[i];
          if (ch === undefined) invalid();
          if (ch === q) break;
          if (ch === '\\') {
            const e = path[i + 1];
            if (e !== '"' && e !== '\\' && e !== "'") invalid();
            token += e;
            i += 2;
          } else {
            token += ch;
            i++;
          }
        }
        i++;
        tokens.push(token);
      } else {
        const start = i;
        while (isSubscriptChar(path[i])) i++;
        if (i === start) invalid();
        tokens.push(path.slice(start, i));
      }
      if (path[i] !== ']') invalid();
      i++;
    } else {
      invalid();
    }
  }
  if (pathCache.size > 1000) pathCache.clear();
  pathCache.set(path, tokens);
  return tokens;
}

function isSubscriptChar(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || c === '-' || /[\p{L}\p{Nd}]/u.test(c));
}

/** Java Integer.parseInt, or null. */
function parseIndex(token: string): number | null {
  if (!/^[+-]?\d+$/.test(token)) return null;
  const n = Number(token);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** EXTRACTJSONFIELD(json, path): text values unquoted, other values as compact JSON; null when absent. */
export function extractJsonField(json: string, path: string): string | null {
  const tokens = tokenizeJsonPath(path);
  let node: JsonNode | undefined = readJson(json);
  for (const token of tokens) {
    if (node.kind === 'array') {
      const index = parseIndex(token);
      if (index === null) return null;
      node = node.items[index];
    } else if (node.kind === 'object') {
      node = node.fields.get(token);
    } else {
      return null;
    }
    if (node === undefined) return null;
  }
  return nodeText(node);
}

/** IS_JSON_STRING(text): whether it parses to a value (null → false). */
export function isJsonString(text: string | null): boolean {
  if (text === null) return false;
  try {
    return parseJson(text).kind !== 'missing';
  } catch {
    return false;
  }
}

/** JSON_ARRAY_LENGTH(json): null unless the JSON is an array. */
export function jsonArrayLength(json: string): number | null {
  const node = readJson(json);
  return node.kind === 'array' ? node.items.length : null;
}

/** JSON_KEYS(json): the field names of an object, else null. */
export function jsonKeys(json: string): string[] | null {
  const node = readJson(json);
  return node.kind === 'object' ? [...node.fields.keys()] : null;
}

/** JSON_RECORDS(json): field name → value (text unquoted, else JSON) of an object, else null. */
export function jsonRecords(json: string): Map<string, string> | null {
  const node = readJson(json);
  if (node.kind !== 'object') return null;
  const out = new Map<string, string>();
  for (const [k, v] of node.fields) out.set(k, nodeText(v));
  return out;
}

/** JSON_ITEMS(json): each element of an array as JSON text, else null. */
export function jsonItems(json: string): string[] | null {
  const node = readJson(json);
  return node.kind === 'array' ? node.items.map(writeJson) : null;
}

/**
 * JSON_CONCAT(json...): merges objects (later keys win, in place), otherwise concatenates arrays,
 * wrapping non-array values in one. NULL or empty input gives NULL.
 */
export function jsonConcat(jsons: readonly (string | null)[]): string | null {
  if (jsons.length === 0) throw new KsqlException('JSON_CONCAT needs at least one argument');
  const nodes: JsonNode[] = [];
  let allObjects = true;
  for (const text of jsons) {
    if (text === null) return null;
    const node = readJson(text);
    if (node.kind === 'missing') return null;
    if (node.kind !== 'object') allObjects = false;
    nodes.push(node);
  }
  let result = nodes[0]!;
  if (allObjects) {
    const fields = new Map((result as { fields: Map<string, JsonNode> }).fields);
    for (let i = 1; i < nodes.length; i++) {
      for (const [k, v] of (nodes[i] as { fields: Map<string, JsonNode> }).fields) fields.set(k, v);
    }
    result = { kind: 'object', fields };
  } else {
    for (let i = 1; i < nodes.length; i++) {
      result = { kind: 'array', items: [...asItems(result), ...asItems(nodes[i]!)] };
    }
  }
  return writeJson(result);
}

function asItems(node: JsonNode): JsonNode[] {
  return node.kind === 'array' ? node.items : [node];
}

/**
 * JSON_ARRAY_CONTAINS(json, value): whether the top-level JSON array has an element equal to `value`.
 * Reads elements one at a time like ksqlDB's streaming parser: true as soon as a match is found, false
 * for non-arrays and on any parse error. Elements only match values of a compatible type: JSON integers
 * INTEGER/BIGINT, JSON decimals DOUBLE, strings STRING, booleans BOOLEAN, null NULL.
 * `type` is the SQL type of `value` (null for an untyped NULL).
 */
export function jsonArrayContains(json: string, value: unknown, type: SqlType | null): boolean {
  const reader = new JsonReader(json, STRICT_JSON);
  try {
    if (reader.peek() !== 0x5b) return false;
    reader.pos++;
    if (reader.peek() === 0x5d) return false;
    for (;;) {
      const item = reader.value();
      const m = matches(item, value, type);
      if (m === 'error') return false;
      if (m) return true;
      const c = reader.peek();
      reader.pos++;
      if (c !== 0x2c) return false;
    }
  } catch (e) {
    if (e instanceof JsonParseError) return false;
    throw e;
  }
}

function matches(item: JsonNode, value: unknown, type: SqlType | null): boolean | 'error' {
  if (item.kind === 'null') return value === null;
  if (value === null || type === null) return false;
  switch (item.kind) {
    case 'number':
      if (item.integral) {
        if (type.base === 'INTEGER') {
          const n = BigInt(item.text);
          if (n < -2147483648n || n > 2147483647n) return 'error'; // readValueAs(Integer) fails
          return n === BigInt(value as number);
        }
        if (type.base === 'BIGINT') {
          const n = BigInt(item.text);
          if (n < -9223372036854775808n || n > 9223372036854775807n) return 'error';
          return n === BigInt(value as number | bigint);
        }
        return false;
      }
      return type.base === 'DOUBLE' && Number(item.text) === value;
    case 'string': return type.base === 'STRING' && item.value === value;
    case 'boolean': return type.base === 'BOOLEAN' && item.value === value;
    default: return false;
  }
}

// ---------------------------------------------------------------------------------------------
// TO_JSON_STRING

export type JsonWriter = (value: unknown) => string;

const writerCache = new WeakMap<object, JsonWriter>();

/**
 * A serializer for values of `type`, as ksqlDB's TO_JSON_STRING writes them with Jackson: Java-style
 * doubles (NaN and infinities as strings), decimals with their scale (BigDecimal.toString), BYTES in
 * base64, DATE `yyyy-MM-dd`, TIME `HH:mm:ss`, TIMESTAMP `yyyy-MM-dd'T'HH:mm:ss.SSS` (UTC), maps as
 * objects, structs as objects with the schema's field names. NULL prints `null`.
 */
export function jsonWriterFor(type: SqlType | null): JsonWriter {
  if (type === null) return () => 'null';
  const hit = writerCache.get(type);
  if (hit) return hit;
  const inner = makeWriter(type);
  const w: JsonWriter = (v) => (v === null || v === undefined ? 'null' : inner(v));
  writerCache.set(type, w);
  return w;
}

function makeWriter(type: SqlType): JsonWriter {
  switch (type.base) {
    case 'BOOLEAN': return (v) => (v ? 'true' : 'false');
    case 'INTEGER':
    case 'BIGINT': return (v) => String(v);
    case 'DOUBLE': return (v) => {
      const d = v as number;
      return Number.isFinite(d) ? formatJavaDouble(d) : `"${formatJavaDouble(d)}"`;
    };
    case 'DECIMAL': return (v) => {
      if (isDecimal(v)) return javaBigDecimalToString(v.unscaled, v.scale);
      return String(v);
    };
    case 'STRING': return (v) => quoteJson(v as string);
    case 'BYTES': return (v) => `"${(v as Buffer).toString('base64')}"`;
    case 'DATE': return (v) => `"${formatDateIso(v as number)}"`;
    case 'TIME': return (v) => `"${formatTimeOfDay(v as number)}"`;
    case 'TIMESTAMP': return (v) => `"${formatTimestampIso(v as number)}"`;
    case 'ARRAY': {
      const el = jsonWriterFor(type.element);
      return (v) => `[${(v as unknown[]).map(el).join(',')}]`;
    }
    case 'MAP': {
      const key = mapKeyText(type.key);
      const val = jsonWriterFor(type.value);
      return (v) => {
        let out = '{';
        let first = true;
        for (const [k, x] of v as Map<unknown, unknown>) {
          out += `${first ? '' : ','}${quoteJson(key(k))}:${val(x)}`;
          first = false;
        }
        return out + '}';
      };
    }
    case 'STRUCT': {
      const fields = type.fields.map((f) => ({ key: quoteJson(f.name), name: f.name, write: jsonWriterFor(f.type) }));
      return (v) => {
        const s = v as Record<string, unknown>;
        return `{${fields.map((f) => `${f.key}:${f.write(s[f.name] ?? null)}`).join(',')}}`;
      };
    }
  }
}

/** java.sql.Time.toString(): `HH:mm:ss` (milliseconds dropped). */
function formatTimeOfDay(ms: number): string {
  const s = Math.floor(ms / 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

/** Jackson writes map keys with their toString(). */
function mapKeyText(type: SqlType): (k: unknown) => string {
  if (type.base === 'STRING') return (k) => k as string;
  const w = jsonWriterFor(type);
  return (k) => {
    if (k === null || k === undefined) return 'null';
    const s = w(k);
    return s.startsWith('"') ? (JSON.parse(s) as string) : s;
  };
}

/** TO_JSON_STRING(value) for a value of `type`. */
export function toJsonString(value: unknown, type: SqlType | null): string {
  return jsonWriterFor(type)(value);
}
