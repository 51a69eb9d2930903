/**
 * Avro schemas: avsc Types for the binary encoding, and a small resolved tree (`AvroNode`) that
 * the converters walk. avsc drops the annotations that matter here (`logicalType` without a
 * registered logical type, Connect's `connect.name` / `connect.internal.type`), so the converters
 * read them from the tree. Longs are `bigint` in avsc (its default `number` loses precision beyond
 * 2^53). Named types from schema references are parsed first into the same avsc registry.
 */
import avro from 'avsc';
import type { SchemaDefinition, SchemaRegistryClient } from './types.js';

const LongType = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as number),
  toJSON: (n: bigint) => Number(n),
  // bigints only: in an unwrapped union of int and long, numbers go to int and bigints to long
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string' | 'bytes';

export type AvroNode =
  | { readonly kind: AvroPrimitive; readonly logical?: string; readonly precision?: number; readonly scale?: number; readonly connectName?: string }
  | { readonly kind: 'fixed'; readonly name: string; readonly size: number; readonly logical?: string; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'enum'; readonly name: string; readonly symbols: readonly string[] }
  | { readonly kind: 'array'; readonly items: AvroNode; readonly mapEntry: boolean }
  | { readonly kind: 'map'; readonly values: AvroNode }
  | { readonly kind: 'record'; readonly name: string; readonly fields: AvroField[] }
  | { readonly kind: 'union'; readonly branches: readonly AvroNode[] };

export interface AvroField {
  readonly name: string;
  readonly type: AvroNode;
  /** The field declares a default (avsc writes it for an undefined value). */
  readonly hasDefault?: boolean;
}

export interface ParsedAvro {
  /** avsc Type for the binary encoding. */
  readonly type: avro.Type;
  /** The resolved schema tree. */
  readonly node: AvroNode;
  /** The schema JSON as registered. */
  readonly json: unknown;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'bytes']);

/**
 * Schema JSON for avsc: `{"type": "long", ...}` becomes `"long"` so that the bigint long type of
 * the registry applies (avsc looks the registry up only for names); annotations stay in the AvroNode.
 */
function forAvsc(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(forAvsc);
  if (json === null || typeof json !== 'object') return json;
  const o = json as Record<string, unknown>;
  if (typeof o.type === 'string' && PRIMITIVES.has(o.type)) return o.type;
  const out: Record<string, unknown> = { ...o };
  if (typeof o.type === 'object') out.type = forAvsc(o.type);
  if (o.items !== undefined) out.items = forAvsc(o.items);
  if (o.values !== undefined) out.values = forAvsc(o.values);
  if (Array.isArray(o.fields)) out.fields = o.fields.map((f: Record<string, unknown>) => ({ ...f, type: forAvsc(f.type) }));
  return out;
}

function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

/** Resolves schema JSON into an AvroNode; `names` holds named types (full and short names). */
export function avroNode(json: unknown, names: Map<string, AvroNode> = new Map(), namespace?: string): AvroNode {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json)) return { kind: json as AvroPrimitive };
    const named = names.get(fullName(json, namespace)) ?? names.get(json);
    if (!named) throw new Error(`Undefined name: ${json}`);
    return named;
  }
  if (Array.isArray(json)) return { kind: 'union', branches: json.map((b) => avroNode(b, names, namespace)) };
  const o = json as Record<string, unknown>;
  const type = o.type;
  const logical = typeof o.logicalType === 'string' ? o.logicalType : undefined;
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  const params = (o['connect.parameters'] ?? {}) as Record<string, string>;
  const decimalAttrs = {
    ...(logical ? { logical } : {}),
    ...(o.precision !== undefined || params['connect.decimal.precision'] !== undefined ? { precision: num(o.precision ?? params['connect.decimal.precision']) } : {}),
    ...(o.scale !== undefined || params.scale !== undefined ? { scale: num(o.scale ?? params.scale) } : {}),
  };
  if (typeof type === 'string' && PRIMITIVES.has(type)) {
    return { kind: type as AvroPrimitive, ...decimalAttrs, ...(typeof o['connect.name'] === 'string' ? { connectName: o['connect.name'] } : {}) } as AvroNode;
  }
  const ns = typeof o.namespace === 'string' ? o.namespace : namespace;
  switch (type) {
    case 'record':
    case 'error': {
      const name = fullName(String(o.name), ns);
      const fields: AvroField[] = [];
      const node: AvroNode = { kind: 'record', name, fields };
      names.set(name, node);
      const innerNs = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : ns;
      for (const f of (o.fields ?? []) as Record<string, unknown>[]) {
        fields.push({ name: String(f.name), type: avroNode(f.type, names, innerNs), ...('default' in f ? { hasDefault: true } : {}) });
      }
      return node;
    }
    case 'enum': {
      const node: AvroNode = { kind: 'enum', name: fullName(String(o.name), ns), symbols: (o.symbols ?? []) as string[] };
      names.set(node.name, node);
      return node;
    }
    case 'fixed': {
      const node = { kind: 'fixed', name: fullName(String(o.name), ns), size: Number(o.size), ...decimalAttrs } as AvroNode;
      names.set((node as { name: string }).name, node);
      return node;
    }
    case 'array': {
      const items = avroNode(o.items, names, ns);
      const mapEntry = o['connect.internal.type'] === 'MapEntry'
        || (items.kind === 'record' && (items.name === 'io.confluent.connect.avro.MapEntry' || items.name.endsWith('MapEntry')));
      return { kind: 'array', items, mapEntry };
    }
    case 'map': return { kind: 'map', values: avroNode(o.values, names, ns) };
    default:
      if (typeof type === 'object' && type !== null) return avroNode(type, names, ns);
      throw new Error(`Unknown Avro type: ${JSON.stringify(type)}`);
  }
}

/** Parses a registered Avro schema with its references (resolved through `sr`). */
export function parseAvroSchema(def: SchemaDefinition, sr?: Pick<SchemaRegistryClient, 'getVersion'>): ParsedAvro {
  const registry: Record<string, unknown> = { long: LongType };
  const names = new Map<string, AvroNode>();
  const seen = new Set<string>();
  const addRefs = (d: SchemaDefinition): void => {
    for (const ref of d.references ?? []) {
      const key = `${ref.subject}/${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const target = sr?.getVersion(ref.subject, ref.version);
      if (!target) throw new Error(`reference ${ref.name} (${ref.subject} version ${ref.version}) not found`);
      addRefs(target);
      const json = JSON.parse(target.schema) as unknown;
      avro.Type.forSchema(forAvsc(json) as avro.Schema, { registry: registry as never, wrapUnions: 'auto' });
      avroNode(json, names);
    }
  };
  addRefs(def);
  const json = JSON.parse(def.schema) as unknown;
  const type = avro.Type.forSchema(forAvsc(json) as avro.Schema, { registry: registry as never, wrapUnions: 'auto' });
  return { type, node: avroNode(json, names), json };
}

/** avsc Type only (validation and compatibility). */
export function parseAvroDefinition(def: SchemaDefinition, sr?: Pick<SchemaRegistryClient, 'getVersion'>): avro.Type {
  return parseAvroSchema(def, sr).type;
}

/** avsc Type of a standalone schema JSON. */
export function avroType(json: unknown): avro.Type {
  return avro.Type.forSchema(forAvsc(json) as avro.Schema, { registry: { long: LongType } as never, wrapUnions: 'auto' });
}
