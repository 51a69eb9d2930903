/**
 * Converters between protobufjs messages and SQL values, compiled once per (message, SQL struct).
 * Reading follows Confluent's ProtobufData: an unset proto3 scalar reads as its default (0, "",
 * false), an unset message, wrapper or `optional` field as null, an unset repeated field as [] and
 * map as {}. Writing omits nulls (so plain proto3 fields read back as defaults).
 */
import protobuf from 'protobufjs';
import { Decimal } from '../types/decimal.js';
import { normalizeLong } from '../types/long.js';
import type { SqlType, StructType } from '../types/sql-type.js';
import { fullNameOf, isSyntheticOneof, messageMembers } from './protobuf-schema.js';
import { bytesToDecimal, decimalToBytes, structGet } from './sr-common.js';
import { ensureFit } from './util.js';

type Fn = (v: unknown) => unknown;
const DAY_MS = 86_400_000;
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function findField<T extends { name: string }>(fields: readonly T[], name: string): T | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toUpperCase() === name.toUpperCase());
}

function toBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (v instanceof Decimal) return v.toBigInt();
  return BigInt(String(v));
}

/** A scalar read from protobuf, coerced to the SQL type. */
function coerce(v: unknown, type: SqlType): unknown {
  switch (type.base) {
    case 'BOOLEAN': return Boolean(v);
    case 'INTEGER': return typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, toBig(v)));
    case 'BIGINT': case 'TIMESTAMP': return typeof v === 'number' && Number.isInteger(v) ? v : normalizeLong(toBig(v));
    case 'DATE': case 'TIME': return Number(v);
    case 'DOUBLE': return typeof v === 'number' ? v : Number(typeof v === 'object' && v !== null ? String(v) : v);
    case 'STRING': return typeof v === 'string' ? v : String(v);
    case 'BYTES': return Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array);
    case 'DECIMAL': return ensureFit(v instanceof Decimal ? v : Decimal.parse(String(v)), type);
    default: return v;
  }
}

function isSyntheticOptional(f: protobuf.Field): boolean {
  return f.partOf !== null && f.partOf !== undefined && isSyntheticOneof(f.partOf);
}

function elementReader(f: protobuf.Field, type: SqlType): Fn {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Enum) {
    return (v) => (typeof v === 'number' ? rt.valuesById[v] ?? String(v) : String(v));
  }
  if (rt instanceof protobuf.Type) {
    const name = fullNameOf(rt);
    if (name.startsWith('google.protobuf.') && name.endsWith('Value')) {
      const inner = rt.fields.value!;
      const r = scalarReader(inner, type);
      return (v) => r((v as Record<string, unknown>).value ?? inner.typeDefault);
    }
    if (name === 'confluent.type.Decimal') {
      return (v) => {
        const m = v as { value?: Uint8Array; scale?: number };
        const d = bytesToDecimal(Buffer.from(m.value ?? new Uint8Array()), m.scale ?? 0);
        return type.base === 'DECIMAL' ? ensureFit(d, type) : coerce(d.toPlainString(), type);
      };
    }
    if (name === 'google.type.Date') {
      return (v) => {
        const m = v as { year: number; month: number; day: number };
        const d = new Date(0);
        d.setUTCFullYear(m.year, m.month - 1, m.day); // Date.UTC would read years 0-99 as 1900-1999
        return Math.round(d.getTime() / DAY_MS);
      };
    }
    if (name === 'google.type.TimeOfDay') {
      return (v) => { const m = v as { hours: number; minutes: number; seconds: number; nanos: number };
        return ((m.hours * 60 + m.minutes) * 60 + m.seconds) * 1000 + Math.floor(m.nanos / 1e6); };
    }
    if (name === 'google.protobuf.Timestamp') {
      return (v) => { const m = v as { seconds: unknown; nanos: number }; return Number(toBig(m.seconds ?? 0)) * 1000 + Math.floor((m.nanos ?? 0) / 1e6); };
    }
    if (type.base !== 'STRUCT') throw new Error(`Cannot read Protobuf message ${name} as ${type.base}`);
    return messageReader(rt, type);
  }
  return scalarReader(f, type);
}

function scalarReader(f: protobuf.Field, type: SqlType): Fn {
  if (LONG_TYPES.has(f.type)) return (v) => coerce(typeof v === 'object' && v !== null ? BigInt(String(v)) : v, type);
  return (v) => coerce(v, type);
}

function fieldReader(f: protobuf.Field, type: SqlType): Fn {
  if (f instanceof protobuf.MapField) {
    if (type.base !== 'MAP') throw new Error(`Cannot read Protobuf map ${f.name} as ${type.base}`);
    const r = elementReader(f, type.value);
    return (v) => new Map(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [coerce(k, type.key), x === null ? null : r(x)]));
  }
  if (f.repeated) {
    if (type.base !== 'ARRAY') throw new Error(`Cannot read repeated Protobuf field ${f.name} as ${type.base}`);
    const r = elementReader(f, type.element);
    return (v) => ((v ?? []) as unknown[]).map((x) => r(x));
  }
  const r = elementReader(f, type);
  const nullable = f.resolvedType instanceof protobuf.Type || isSyntheticOptional(f);
  return (v) => {
    if (v === null || v === undefined) return nullable ? null : r(f.typeDefault);
    return r(v);
  };
}

/** Decoded message → SQL struct. */
export function messageReader(type: protobuf.Type, sql: StructType): (msg: unknown) => Record<string, unknown> {
  const members = messageMembers(type);
  const oneofs = members.filter((m) => m.kind === 'oneof');
  const plan = sql.fields.map((f) => {
    const oneof = f.type.base === 'STRUCT' ? findField(oneofs, f.name) : undefined;
    if (oneof) return { name: f.name, pf: undefined, read: undefined, oneof: oneofReader(oneof.fields, f.type as StructType) };
    const pf = findField(type.fieldsArray, f.name);
    return { name: f.name, pf, read: pf ? fieldReader(pf, f.type) : undefined, oneof: undefined };
  });
  return (msg) => {
    const m = msg as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const p of plan) {
      if (p.oneof) { out[p.name] = p.oneof(m); continue; }
      if (!p.pf) { out[p.name] = null; continue; }
      const v = isSyntheticOptional(p.pf) && !Object.prototype.hasOwnProperty.call(m, p.pf.name) ? undefined : m[p.pf.name];
      out[p.name] = p.read!(v);
    }
    return out;
  };
}

/** A oneof as a struct: the field that is set, the others null; null when none is set. */
function oneofReader(fields: readonly protobuf.Field[], sql: StructType): (m: Record<string, unknown>) => unknown {
  const plan = sql.fields.map((f) => {
    const pf = findField(fields, f.name);
    return { name: f.name, pf, read: pf ? elementReader(pf, f.type) : undefined };
  });
  return (m) => {
    let any = false;
    const out: Record<string, unknown> = {};
    for (const p of plan) {
      const set = p.pf !== undefined && Object.prototype.hasOwnProperty.call(m, p.pf.name) && m[p.pf.name] !== null && m[p.pf.name] !== undefined;
      out[p.name] = set ? p.read!(m[p.pf!.name]) : null;
      any ||= set;
    }
    return any ? out : null;
  };
}

function defaultFor(f: protobuf.Field): unknown {
  return f.resolvedType instanceof protobuf.Type ? {} : f.resolvedType instanceof protobuf.Enum ? 0 : f.typeDefault;
}

function elementWriter(f: protobuf.Field, type: SqlType): Fn {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Enum) return (v) => String(v);
  if (rt instanceof protobuf.Type) {
    const name = fullNameOf(rt);
    if (name.startsWith('google.protobuf.') && name.endsWith('Value')) {
      const w = scalarWriter(rt.fields.value!);
      return (v) => ({ value: w(v) });
    }
    if (name === 'confluent.type.Decimal') {
      return (v) => {
        const d = v instanceof Decimal ? v : Decimal.parse(String(v));
        const scale = type.base === 'DECIMAL' ? type.scale : d.scale;
        const precision = type.base === 'DECIMAL' ? type.precision : d.precision();
        return { value: decimalToBytes(d, scale), precision, scale };
      };
    }
    if (name === 'google.type.Date') {
      return (v) => { const d = new Date(Number(v) * DAY_MS); return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }; };
    }
    if (name === 'google.type.TimeOfDay') {
      return (v) => { const ms = Number(v); return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor(ms / 60_000) % 60, seconds: Math.floor(ms / 1000) % 60, nanos: (ms % 1000) * 1e6 }; };
    }
    if (name === 'google.protobuf.Timestamp') {
      return (v) => { const ms = Number(v); const s = Math.floor(ms / 1000); return { seconds: s, nanos: (ms - s * 1000) * 1e6 }; };
    }
    if (type.base !== 'STRUCT') throw new Error(`Cannot write ${type.base} as Protobuf message ${name}`);
    return messageWriter(rt, type);
  }
  return scalarWriter(f);
}

function scalarWriter(f: protobuf.Field): Fn {
  if (LONG_TYPES.has(f.type)) return (v) => toBig(v).toString();
  switch (f.type) {
    case 'bool': return (v) => Boolean(v);
    case 'string': return (v) => (typeof v === 'string' ? v : v instanceof Decimal ? v.toPlainString() : String(v));
    case 'bytes': return (v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'));
    case 'double': case 'float': return (v) => (v instanceof Decimal ? v.toNumber() : Number(v));
    default: return (v) => (typeof v === 'bigint' ? Number(v) : v instanceof Decimal ? v.toNumber() : Number(v));
  }
}

function fieldWriter(f: protobuf.Field, type: SqlType): Fn {
  if (f instanceof protobuf.MapField) {
    if (type.base !== 'MAP') throw new Error(`Cannot write ${type.base} as Protobuf map ${f.name}`);
    const w = elementWriter(f, type.value);
    return (v) => {
      const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [k, x] of v as Map<unknown, unknown>) o[String(k)] = x === null || x === undefined ? defaultFor(f) : w(x);
      return o;
    };
  }
  if (f.repeated) {
    if (type.base !== 'ARRAY') throw new Error(`Cannot write ${type.base} as repeated Protobuf field ${f.name}`);
    const w = elementWriter(f, type.element);
    return (v) => (v as unknown[]).map((x) => (x === null || x === undefined ? defaultFor(f) : w(x)));
  }
  return elementWriter(f, type);
}

/** SQL struct → plain object for `Type.fromObject` (nulls omitted). */
export function messageWriter(type: protobuf.Type, sql: StructType): (obj: unknown) => Record<string, unknown> {
  const plain: protobuf.Field[] = [];
  const oneofPlans: ((o: Record<string, unknown>, out: Record<string, unknown>) => void)[] = [];
  for (const m of messageMembers(type)) {
    if (m.kind === 'field') { plain.push(m.field); continue; }
    const f = findField(sql.fields, m.name);
    if (!f || f.type.base !== 'STRUCT') { plain.push(...m.fields); continue; }
    const st = f.type;
    const writers = m.fields.map((pf) => {
      const sf = findField(st.fields, pf.name);
      return { pf, from: sf?.name, write: sf ? elementWriter(pf, sf.type) : undefined };
    });
    // the first member that is not null is the one set
    oneofPlans.push((o, out) => {
      const s = structGet(o, f.name) as Record<string, unknown> | null | undefined;
      if (s === null || s === undefined) return;
      for (const w of writers) {
        const v = w.from === undefined ? undefined : structGet(s, w.from);
        if (v !== null && v !== undefined) { out[w.pf.name] = w.write!(v); return; }
      }
    });
  }
  const plan = plain.map((pf) => {
    const f = findField(sql.fields, pf.name);
    return { pf, from: f?.name, write: f ? fieldWriter(pf, f.type) : undefined };
  });
  return (obj) => {
    const o = obj as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const w of oneofPlans) w(o, out);
    for (const p of plan) {
      if (p.from === undefined) continue;
      const v = structGet(o, p.from);
      if (v === null || v === undefined) continue;
      out[p.pf.name] = p.write!(v);
    }
    return out;
  };
}
