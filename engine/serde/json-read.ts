/**
 * Coercion of a parsed JSON tree to runtime values, following ksqlDB's `KsqlJsonDeserializer`:
 * numbers ↔ strings, integers narrowed like Java's `intValue()`/`longValue()`, decimals from numbers or
 * strings (fitted to the declared scale), BYTES from base64, TIMESTAMP/DATE/TIME from integers,
 * struct fields matched exactly and then case-insensitively (upper-cased JSON names), missing fields
 * null. A reader gets a non-null value: `JSON.parse` output, or a `parseJsonExact` tree (JsonNumber).
 */
import { parseJavaDouble } from '../types/java-format.js';
import type { SqlType, StructType } from '../types/sql-type.js';
import { JsonNumber } from './json-number.js';
import {
  CoercionError, coerceStringError, convertError, DAY_MS, isObject, readDecimal, readInt, readLong, readString, withPath,
  type Reader,
} from './json-scalars.js';
import { decodeBase64 } from './util.js';

export { CoercionError, convertError, isObject, NEEDS_EXACT, type Reader } from './json-scalars.js';

/** Compiles the reader for one type; the reader must not be called with null. */
export function compileReader(type: SqlType): Reader {
  switch (type.base) {
    case 'BOOLEAN':
      return (v) => { if (typeof v === 'boolean') return v; throw convertError(v, type); };
    case 'INTEGER': return (v) => readInt(v, type);
    case 'BIGINT': return (v) => readLong(v, type);
    case 'DOUBLE':
      return (v) => {
        if (typeof v === 'number') return v;
        if (v instanceof JsonNumber) return v.toNumber();
        if (typeof v === 'string') {
          const d = parseJavaDouble(v);
          if (d === undefined) throw coerceStringError(type);
          return d;
        }
        throw convertError(v, type);
      };
    case 'DECIMAL': return (v) => readDecimal(v, type);
    case 'STRING': return readString;
    case 'BYTES':
      return (v) => {
        if (typeof v !== 'string') throw convertError(v, type);
        try { return decodeBase64(v); } catch { throw convertError(v, type); }
      };
    case 'TIMESTAMP': return (v) => Number(readLong(v, type));
    case 'DATE': return (v) => Number(readLong(v, type));
    case 'TIME':
      return (v) => {
        const t = Number(readLong(v, type));
        if (t < 0 || t > DAY_MS) {
          throw new CoercionError(`Time values must use number of milliseconds greater than 0 and less than ${DAY_MS}.`, '');
        }
        return t;
      };
    case 'ARRAY': {
      const element = compileReader(type.element);
      return (v) => {
        if (!Array.isArray(v)) throw convertError(v, type);
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const e = v[i];
          try { out[i] = e === null || e === undefined ? null : element(e); } catch (err) { withPath(err, `[${i}]`); }
        }
        return out;
      };
    }
    case 'MAP': {
      const value = compileReader(type.value);
      return (v) => {
        if (!isObject(v)) throw convertError(v, type);
        const out = new Map<unknown, unknown>();
        for (const k of Object.keys(v)) {
          const e = v[k];
          try { out.set(k, e === null || e === undefined ? null : value(e)); } catch (err) { withPath(err, `.${k}.value`); }
        }
        return out;
      };
    }
    case 'STRUCT': return compileStructReader(type);
  }
}

/**
 * Reads the named fields of a JSON object into `out` (in field order): exact name first, then the
 * upper-cased JSON names (so `{"name":1}` fills `NAME`, but a quoted lower-case field needs an exact
 * match), as ksqlDB does. Shared by STRUCT values and wrapped rows.
 */
export function compileFieldsReader(names: readonly string[], types: readonly SqlType[]):
  (obj: Record<string, unknown>, out: unknown[] | Record<string, unknown>, useNames: boolean) => void {
  const readers = types.map(compileReader);
  // Names like `constructor` would otherwise find Object.prototype members.
  const needsOwnCheck = names.map((n) => n in Object.prototype);
  const isProto = names.map((n) => n === '__proto__');
  const n = names.length;
  // Which JSON key fills each field when the exact name is absent, for the last key list seen:
  // producers send the same keys again and again (JSON.parse interns them, so comparing is cheap).
  let lastKeys: string[] = [];
  let lastPlan: (string | undefined)[] = [];
  const planFor = (obj: Record<string, unknown>): (string | undefined)[] => {
    const keys = Object.keys(obj);
    if (keys.length === lastKeys.length) {
      let same = true;
      for (let k = 0; k < keys.length; k++) if (keys[k] !== lastKeys[k]) { same = false; break; }
      if (same) return lastPlan;
    }
    const upper = new Map<string, string>();
    for (const k of keys) upper.set(k.toUpperCase(), k);
    lastKeys = keys;
    lastPlan = names.map((name) => upper.get(name));
    return lastPlan;
  };
  return (obj, out, useNames) => {
    let plan: (string | undefined)[] | undefined;
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      let v = needsOwnCheck[i] && !Object.hasOwn(obj, name) ? undefined : obj[name];
      if (v === undefined) {
        if (plan === undefined) plan = planFor(obj);
        const key = plan[i];
        if (key !== undefined) v = obj[key];
      }
      let r: unknown = null;
      if (v !== null && v !== undefined) {
        try { r = readers[i]!(v); } catch (err) { withPath(err, `.${name}`); }
      }
      if (!useNames) (out as unknown[])[i] = r;
      else if (isProto[i]) Object.defineProperty(out, name, { value: r, enumerable: true, writable: true, configurable: true });
      else (out as Record<string, unknown>)[name] = r;
    }
  };
}

function compileStructReader(type: StructType): Reader {
  const names = type.fields.map((f) => f.name);
  const read = compileFieldsReader(names, type.fields.map((f) => f.type));
  return (v) => {
    if (!isObject(v)) throw convertError(v, type);
    const out: Record<string, unknown> = {};
    read(v, out, true);
    return out;
  };
}

