/**
 * Converters between avsc values (for one Avro schema) and SQL runtime values (for one SQL type),
 * compiled once per (schema, type). Fields are matched by name, exactly or case-insensitively,
 * like ksqlDB's Connect translation; a field the writer lacks reads as null. Longs are bigints in
 * avsc; decimals are two's complement bytes with the schema's scale.
 */
import { Decimal } from '../types/decimal.js';
import { normalizeLong } from '../types/long.js';
import type { SqlType } from '../types/sql-type.js';
import type { AvroNode } from '../schema/avro-types.js';
import { nonNullBranches, unionFieldName } from './avro-schema.js';
import { bytesToDecimal, decimalToBytes, structGet } from './sr-common.js';
import { ensureFit } from './util.js';

type Fn = (v: unknown) => unknown;

function findField<T extends { name: string }>(fields: readonly T[], name: string): T | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toUpperCase() === name.toUpperCase());
}

function toNumber(v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  return Number(v);
}

function toDecimalValue(v: unknown, node: AvroNode): Decimal {
  if (Buffer.isBuffer(v)) return bytesToDecimal(v, (node as { scale?: number }).scale ?? 0);
  if (typeof v === 'bigint') return Decimal.fromLong(v);
  if (typeof v === 'number') return Number.isInteger(v) ? Decimal.fromLong(v) : Decimal.fromNumber(v);
  return Decimal.parse(String(v));
}

/**
 * avsc's value buckets: a union with two branches in one bucket is "wrapped" (`{branch: value}`).
 * Our bigint `long` is an abstract type with a bucket of its own (picked for bigint values).
 */
function bucket(n: AvroNode): string {
  switch (n.kind) {
    case 'int': case 'float': case 'double': return 'number';
    case 'bytes': case 'fixed': return 'buffer';
    case 'string': case 'enum': return 'string';
    case 'map': case 'record': return 'object';
    default: return n.kind;
  }
}

export function isWrappedUnion(node: AvroNode): boolean {
  if (node.kind !== 'union') return false;
  const seen = new Set<string>();
  for (const b of node.branches) {
    const k = bucket(b);
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

/** avsc's key of a branch in a wrapped union: the full name of a named type, else the type name. */
function branchKey(n: AvroNode): string {
  return n.kind === 'record' || n.kind === 'enum' || n.kind === 'fixed' ? n.name : n.kind;
}

/** avsc value → SQL value of `type`. */
export function avroReader(node: AvroNode, type: SqlType): Fn {
  if (node.kind === 'union') {
    const branches = nonNullBranches(node);
    if (branches.length === 1) {
      const r = avroReader(branches[0]!, type);
      return (v) => (v === null || v === undefined ? null : r(v));
    }
    if (type.base === 'STRUCT') {
      // A general union reads as a struct with the matching branch's field set.
      const names = branches.map(unionFieldName);
      const isWrapped = isWrappedUnion(node);
      return (v) => {
        if (v === null || v === undefined) return null;
        const out: Record<string, unknown> = {};
        for (const f of type.fields) out[f.name] = null;
        const wrapped = isWrapped ? Object.keys(v as object)[0] : undefined;
        const i = wrapped !== undefined ? branches.findIndex((b) => branchKey(b) === wrapped) : branches.findIndex((b) => jsMatches(b, v));
        if (i >= 0) {
          const f = findField(type.fields, names[i]!);
          if (f) out[f.name] = avroReader(branches[i]!, f.type)(wrapped !== undefined ? (v as Record<string, unknown>)[wrapped] : v);
        }
        return out;
      };
    }
    const wrapped = isWrappedUnion(node);
    return (v) => {
      if (v === null || v === undefined) return null;
      if (wrapped) {
        const [k, x] = Object.entries(v as Record<string, unknown>)[0] ?? [];
        const b = branches.find((br) => branchKey(br) === k) ?? branches[0]!;
        return x === null || x === undefined ? null : avroReader(b, type)(x);
      }
      const b = branches.find((x) => jsMatches(x, v)) ?? branches[0]!;
      return avroReader(b, type)(v);
    };
  }
  switch (type.base) {
    case 'BOOLEAN': return (v) => (typeof v === 'boolean' ? v : String(v) === 'true');
    case 'INTEGER': return (v) => (typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : toNumber(v) | 0);
    case 'BIGINT': return (v) => (typeof v === 'bigint' ? normalizeLong(v) : Math.trunc(toNumber(v)));
    case 'DOUBLE': return (v) => toNumber(v);
    case 'STRING': return (v) => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
    case 'BYTES': return (v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'));
    case 'DECIMAL': return (v) => ensureFit(toDecimalValue(v, node), type);
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP': return (v) => toNumber(v);
    case 'ARRAY': {
      if (node.kind !== 'array') throw new Error(`Cannot read Avro ${node.kind} as ARRAY`);
      const r = avroReader(node.items, type.element);
      return (v) => (v as unknown[]).map((x) => (x === null ? null : r(x)));
    }
    case 'MAP': {
      if (node.kind === 'map') {
        const rv = avroReader(node.values, type.value);
        const rk = (k: string): unknown => (type.key.base === 'STRING' ? k : avroReader({ kind: 'string' }, type.key)(k));
        return (v) => new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [rk(k), x === null ? null : rv(x)]));
      }
      if (node.kind === 'array' && node.items.kind === 'record') {
        const kf = node.items.fields.find((f) => f.name === 'key');
        const vf = node.items.fields.find((f) => f.name === 'value');
        if (!kf || !vf) throw new Error('Cannot read Avro array as MAP');
        const rk = avroReader(kf.type, type.key);
        const rv = avroReader(vf.type, type.value);
        return (v) => new Map((v as Record<string, unknown>[]).map((e) => [e.key === null ? null : rk(e.key), e.value === null ? null : rv(e.value)]));
      }
      throw new Error(`Cannot read Avro ${node.kind} as MAP`);
    }
    case 'STRUCT': {
      if (node.kind !== 'record') throw new Error(`Cannot read Avro ${node.kind} as STRUCT`);
      const plan = type.fields.map((f) => {
        const af = findField(node.fields, f.name);
        return { name: f.name, from: af?.name, read: af ? avroReader(af.type, f.type) : undefined };
      });
      return (v) => {
        const o = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const p of plan) {
          const x = p.from === undefined ? null : o[p.from];
          out[p.name] = x === null || x === undefined ? null : p.read!(x);
        }
        return out;
      };
    }
  }
}

function jsMatches(node: AvroNode, v: unknown): boolean {
  switch (node.kind) {
    case 'boolean': return typeof v === 'boolean';
    // avsc reads our long type as a bigint, int as a number
    case 'int': return typeof v === 'number' && Number.isInteger(v);
    case 'long': return typeof v === 'bigint';
    case 'float': case 'double': return typeof v === 'number';
    case 'string': case 'enum': return typeof v === 'string';
    case 'bytes': case 'fixed': return Buffer.isBuffer(v);
    case 'array': return Array.isArray(v);
    case 'map': case 'record': return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
    default: return false;
  }
}

/** Whether a union branch can carry a value of this SQL type. */
function branchFits(node: AvroNode, type: SqlType): boolean {
  switch (type.base) {
    case 'BOOLEAN': return node.kind === 'boolean';
    case 'INTEGER': case 'DATE': case 'TIME': return node.kind === 'int' || node.kind === 'long';
    case 'BIGINT': case 'TIMESTAMP': return node.kind === 'long' || node.kind === 'int';
    case 'DOUBLE': return node.kind === 'double' || node.kind === 'float';
    case 'STRING': return node.kind === 'string' || node.kind === 'enum';
    case 'BYTES': case 'DECIMAL': return node.kind === 'bytes' || node.kind === 'fixed';
    case 'ARRAY': return node.kind === 'array';
    case 'MAP': return node.kind === 'map' || node.kind === 'array';
    case 'STRUCT': return node.kind === 'record';
  }
}

/** SQL value of `type` → avsc value for `node`. */
export function avroWriter(node: AvroNode, type: SqlType): Fn {
  if (node.kind === 'union') {
    const branches = nonNullBranches(node);
    const wrap = isWrappedUnion(node) ? (b: AvroNode, x: unknown) => ({ [branchKey(b)]: x }) : (_b: AvroNode, x: unknown) => x;
    if (branches.length > 1 && type.base === 'STRUCT' && !branches.some((b) => b.kind === 'record' && branchFits(b, type) && type.fields.every((f) => b.fields.some((bf) => bf.name.toUpperCase() === f.name.toUpperCase())))) {
      // Connect's struct form of a general union: the first non-null field names the branch
      const plan = branches.map((b, i) => {
        const f = type.fields.find((x) => x.name === unionFieldName(b, i)) ?? type.fields.find((x) => x.name.toUpperCase() === unionFieldName(b, i).toUpperCase());
        return { b, from: f?.name, write: f ? avroWriter(b, f.type) : undefined };
      });
      return (v) => {
        if (v === null || v === undefined) return null;
        for (const p of plan) {
          const x = p.from === undefined ? undefined : (v as Record<string, unknown>)[p.from];
          if (x !== null && x !== undefined) return wrap(p.b, p.write!(x));
        }
        return null;
      };
    }
    const b = branches.length === 1 ? branches[0]! : branches.find((x) => branchFits(x, type)) ?? branches[0]!;
    const w = avroWriter(b, type);
    return (v) => (v === null || v === undefined ? null : wrap(b, w(v)));
  }
  switch (node.kind) {
    case 'null': return () => null;
    case 'boolean': return (v) => Boolean(v);
    case 'int':
      return (v) => {
        const n = toNumber(v);
        if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) throw new Error(`value ${String(v)} does not fit an Avro int`);
        return n;
      };
    // always a bigint, so that an unwrapped union of int and long picks the long branch
    case 'long': return (v) => (typeof v === 'bigint' ? v : v instanceof Decimal ? v.toBigInt() : BigInt(Math.trunc(toNumber(v))));
    case 'float':
    case 'double': return (v) => toNumber(v);
    case 'string':
    case 'enum': return (v) => (typeof v === 'string' ? v : v instanceof Decimal ? v.toPlainString() : String(v));
    case 'bytes':
    case 'fixed':
      if (node.logical === 'decimal') {
        const scale = node.scale ?? 0;
        const size = node.kind === 'fixed' ? node.size : undefined;
        return (v) => decimalToBytes(v instanceof Decimal ? v : toDecimalValue(v, node), scale, size);
      }
      return (v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'));
    case 'array': {
      if (type.base === 'MAP' && node.items.kind === 'record') {
        const kf = node.items.fields.find((f) => f.name === 'key');
        const vf = node.items.fields.find((f) => f.name === 'value');
        const wk = kf ? avroWriter(kf.type, type.key) : () => null;
        const wv = vf ? avroWriter(vf.type, type.value) : () => null;
        return (v) => [...(v as Map<unknown, unknown>)].map(([k, x]) => ({ key: k === null ? null : wk(k), value: x === null ? null : wv(x) }));
      }
      if (type.base !== 'ARRAY') throw new Error(`Cannot write ${type.base} as an Avro array`);
      const w = avroWriter(node.items, type.element);
      return (v) => (v as unknown[]).map((x) => (x === null || x === undefined ? null : w(x)));
    }
    case 'map': {
      if (type.base !== 'MAP') throw new Error(`Cannot write ${type.base} as an Avro map`);
      const w = avroWriter(node.values, type.value);
      return (v) => {
        const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        for (const [k, x] of v as Map<unknown, unknown>) o[String(k)] = x === null || x === undefined ? null : w(x);
        return o;
      };
    }
    case 'record': {
      if (type.base !== 'STRUCT') throw new Error(`Cannot write ${type.base} as an Avro record`);
      const plan = node.fields.map((af) => {
        const f = findField(type.fields, af.name);
        const nullable = af.type.kind === 'null' || (af.type.kind === 'union' && af.type.branches.some((b) => b.kind === 'null'));
        // null for a field that cannot hold it but has a default: the default is written (ksqlDB does the same)
        const nullValue = !nullable && af.hasDefault ? undefined : null;
        return { name: af.name, from: f?.name, nullValue, write: f ? avroWriter(af.type, f.type) : undefined };
      });
      return (v) => {
        const o = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const p of plan) {
          // A field the SQL type lacks is left undefined: avsc writes the field's default.
          if (p.from === undefined) { out[p.name] = undefined; continue; }
          const x = structGet(o, p.from);
          out[p.name] = x === null || x === undefined ? p.nullValue : p.write!(x);
        }
        return out;
      };
    }
  }
}
