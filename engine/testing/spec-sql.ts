/**
 * Record specs ⇄ SQL runtime values for the schema-registry formats, like ksqlDB's
 * SpecToConnectConverter: struct fields matched case-insensitively, DECIMAL from a JSON number or
 * a string, BYTES from base64, DATE epoch days, TIME ms of the day, TIMESTAMP epoch ms. Reading
 * back gives the comparator's "spec form" (DOUBLE as ActualDouble, field names as in the schema).
 */
import { isJsonNumber } from '../serde/json-exact.js';
import { structGet } from '../serde/sr-common.js';
import { Decimal } from '../types/decimal.js';
import { normalizeLong } from '../types/long.js';
import type { SqlType } from '../types/sql-type.js';
import { ActualDouble } from './record-compare.js';
import { stringifySpec } from './spec-serde.js';

function numText(v: unknown): string | undefined {
  if (isJsonNumber(v)) return v.text;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return v.trim();
  return undefined;
}

function bigintOf(text: string): bigint {
  return /^[+-]?\d+$/.test(text) ? BigInt(text) : Decimal.parse(text).toBigInt();
}

export function specToSql(spec: unknown, type: SqlType): unknown {
  if (spec === null || spec === undefined) return null;
  switch (type.base) {
    case 'BOOLEAN': return typeof spec === 'boolean' ? spec : String(spec).toLowerCase() === 'true';
    case 'INTEGER': { const t = numText(spec); return t === undefined ? spec : Number(BigInt.asIntN(32, bigintOf(t))); }
    case 'BIGINT':
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME': { const t = numText(spec); return t === undefined ? spec : normalizeLong(bigintOf(t)); }
    case 'DOUBLE': { const t = numText(spec); return t === undefined ? spec : Number(t); }
    case 'DECIMAL': {
      const t = numText(spec);
      if (t === undefined) return spec;
      const d = Decimal.parse(t);
      return d.scale === type.scale ? d : d.setScale(type.scale, 'HALF_UP');
    }
    case 'STRING':
      if (typeof spec === 'string') return spec;
      if (isJsonNumber(spec)) return spec.text;
      if (typeof spec === 'boolean' || typeof spec === 'number') return String(spec);
      return stringifySpec(spec);
    case 'BYTES': return typeof spec === 'string' ? Buffer.from(spec, 'base64') : spec;
    case 'ARRAY': return Array.isArray(spec) ? spec.map((x) => specToSql(x, type.element)) : spec;
    case 'MAP': {
      const entries = spec instanceof Map ? [...spec] : Object.entries(spec as Record<string, unknown>);
      return new Map(entries.map(([k, v]) => [specToSql(k, type.key), specToSql(v, type.value)]));
    }
    case 'STRUCT': {
      if (typeof spec !== 'object' || Array.isArray(spec)) return spec;
      const o: Record<string, unknown> = {};
      for (const f of type.fields) {
        const v = structGet(spec as Record<string, unknown>, f.name);
        o[f.name] = specToSql(v ?? null, f.type);
      }
      return o;
    }
  }
}

export function sqlToSpec(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.base) {
    case 'DOUBLE': return typeof value === 'number' ? new ActualDouble(value) : value;
    case 'ARRAY': return (value as unknown[]).map((x) => sqlToSpec(x, type.element));
    case 'MAP': return new Map([...(value as Map<unknown, unknown>)].map(([k, v]) => [k, sqlToSpec(v, type.value)]));
    case 'STRUCT': {
      const o: Record<string, unknown> = {};
      for (const f of type.fields) o[f.name] = sqlToSpec((value as Record<string, unknown>)[f.name], f.type);
      return o;
    }
    default: return value;
  }
}
