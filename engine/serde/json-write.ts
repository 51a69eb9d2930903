/**
 * JSON text for runtime values, as ksqlDB's JSON serializer (Connect JsonConverter + Jackson) writes
 * them: doubles like Java (`1.0`, `1.0E10`; NaN and ±Infinity as the strings "NaN", "Infinity"),
 * decimals as numbers with exactly the declared scale (`BigDecimal.toString`), BIGINT exactly, BYTES
 * as base64, TIMESTAMP/DATE/TIME as epoch millis / epoch days / millis of day, MAP as an object,
 * STRUCT as an object with the schema's field names in schema order.
 */
import { Decimal } from '../types/decimal.js';
import { formatJavaDouble, javaBigDecimalToString } from '../types/java-format.js';
import { formatSqlType, type SqlType } from '../types/sql-type.js';

export type Writer = (v: unknown) => string;

function badValue(v: unknown, type: SqlType): never {
  const shown = typeof v === 'bigint' ? `${v}n` : typeof v === 'object' ? Object.prototype.toString.call(v) : String(v);
  throw new TypeError(`Cannot write ${typeof v} ${shown} as ${formatSqlType(type)}`);
}

/** Compiles the writer for one type; the writer accepts null/undefined (→ `null`). */
export function compileWriter(type: SqlType): Writer {
  switch (type.base) {
    case 'BOOLEAN':
      return (v) => (v === null || v === undefined ? 'null' : v === true ? 'true' : v === false ? 'false' : badValue(v, type));
    case 'INTEGER': case 'TIMESTAMP': case 'DATE': case 'TIME':
      return (v) => (v === null || v === undefined ? 'null' : typeof v === 'number' && Number.isInteger(v) ? String(v) : badValue(v, type));
    case 'BIGINT':
      return (v) => {
        if (v === null || v === undefined) return 'null';
        if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return String(v);
        return badValue(v, type);
      };
    case 'DOUBLE':
      return (v) => {
        if (v === null || v === undefined) return 'null';
        if (typeof v !== 'number') return badValue(v, type);
        const s = formatJavaDouble(v);
        return Number.isFinite(v) ? s : '"' + s + '"';
      };
    case 'DECIMAL': {
      const scale = type.scale;
      return (v) => {
        if (v === null || v === undefined) return 'null';
        if (!(v instanceof Decimal)) return badValue(v, type);
        return javaBigDecimalToString(v.scale === scale ? v : v.setScale(scale, 'HALF_UP'));
      };
    }
    case 'STRING':
      return (v) => (v === null || v === undefined ? 'null' : typeof v === 'string' ? JSON.stringify(v) : badValue(v, type));
    case 'BYTES':
      return (v) => (v === null || v === undefined ? 'null' : Buffer.isBuffer(v) ? '"' + v.toString('base64') + '"' : badValue(v, type));
    case 'ARRAY': {
      const element = compileWriter(type.element);
      return (v) => {
        if (v === null || v === undefined) return 'null';
        if (!Array.isArray(v)) return badValue(v, type);
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + element(v[i]);
        return s + ']';
      };
    }
    case 'MAP': {
      const value = compileWriter(type.value);
      return (v) => {
        if (v === null || v === undefined) return 'null';
        if (!(v instanceof Map)) return badValue(v, type);
        let s = '{';
        let first = true;
        for (const [k, e] of v) {
          s += (first ? '' : ',') + JSON.stringify(String(k)) + ':' + value(e);
          first = false;
        }
        return s + '}';
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((f) => f.name);
      const prefixes = names.map((n, i) => (i > 0 ? ',' : '') + JSON.stringify(n) + ':');
      const writers = type.fields.map((f) => compileWriter(f.type));
      const ownCheck = names.map((nm) => nm in Object.prototype);
      const n = names.length;
      return (v) => {
        if (v === null || v === undefined) return 'null';
        if (typeof v !== 'object' || Array.isArray(v)) return badValue(v, type);
        const o = v as Record<string, unknown>;
        let s = '{';
        for (let i = 0; i < n; i++) {
          const nm = names[i]!;
          s += prefixes[i]! + writers[i]!(ownCheck[i] && !Object.hasOwn(o, nm) ? null : o[nm]);
        }
        return s + '}';
      };
    }
  }
}
