/**
 * JSON text of result rows for the REST API (reference §1.12): DOUBLE in Java's notation, DECIMAL
 * with its exact scale, BYTES as base64, TIMESTAMP/DATE/TIME as ISO strings, MAP as an object and
 * STRUCT as an object keyed by field name.
 */
import { compileWriter, type Writer } from '../serde/json-write.js';
import type { SqlType } from '../types/sql-type.js';
import { formatDateIso, formatTimeIso, formatTimestampIso } from '../functions/datetime.js';

export function restValueWriter(type: SqlType): Writer {
  switch (type.base) {
    case 'TIMESTAMP': return (v) => (v === null || v === undefined ? 'null' : JSON.stringify(formatTimestampIso(Number(v))));
    case 'DATE': return (v) => (v === null || v === undefined ? 'null' : JSON.stringify(formatDateIso(Number(v))));
    case 'TIME': return (v) => (v === null || v === undefined ? 'null' : JSON.stringify(formatTimeIso(Number(v))));
    case 'ARRAY': {
      const el = restValueWriter(type.element);
      return (v) => (v === null || v === undefined ? 'null' : `[${(v as unknown[]).map(el).join(',')}]`);
    }
    case 'MAP': {
      const val = restValueWriter(type.value);
      return (v) => {
        if (v === null || v === undefined) return 'null';
        const entries = v instanceof Map ? [...v] : Object.entries(v as object);
        return `{${entries.map(([k, e]) => `${JSON.stringify(String(k))}:${val(e)}`).join(',')}}`;
      };
    }
    case 'STRUCT': {
      const fields = type.fields.map((f) => ({ name: f.name, w: restValueWriter(f.type) }));
      return (v) => {
        if (v === null || v === undefined) return 'null';
        const o = v as Record<string, unknown>;
        return `{${fields.map((f) => `${JSON.stringify(f.name)}:${f.w(Object.hasOwn(o, f.name) ? o[f.name] : null)}`).join(',')}}`;
      };
    }
    default: {
      const w = compileWriter(type);
      return (v) => {
        try {
          return w(v);
        } catch {
          return typeof v === 'bigint' ? String(v) : JSON.stringify(v ?? null);
        }
      };
    }
  }
}

/** The writer of a whole row: `[v1,v2,...]`. */
export function restRowWriter(types: readonly SqlType[]): (row: readonly unknown[]) => string {
  const ws = types.map(restValueWriter);
  return (row) => `[${ws.map((w, i) => w(row[i])).join(',')}]`;
}
