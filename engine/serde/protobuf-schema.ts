/**
 * Protobuf schemas (protobufjs) ⇄ SQL types, following Confluent's ProtobufData as ksqlDB uses it:
 *   - the generated message is `ConnectDefault1` (or the full schema name), nested structs are
 *     nested messages `ConnectDefault2`, … ; field numbers follow column order;
 *   - DECIMAL is confluent.type.Decimal (precision/scale in `confluent.field_meta` params), DATE
 *     google.type.Date, TIME google.type.TimeOfDay, TIMESTAMP google.protobuf.Timestamp;
 *   - nullable representation: proto3 defaults (null written as the default value), `optional`
 *     fields (OPTIONAL) or google.protobuf wrappers (WRAPPER);
 *   - inference: uint32 is BIGINT (it does not fit INTEGER), enums are STRING, wrappers unwrap.
 * Imports resolve to schema references by name, then to the well-known types built in here.
 */
import protobuf from 'protobufjs';
import { SqlTypes, type SqlType } from '../types/sql-type.js';
import type { SchemaDefinition, SchemaRegistryClient } from '../schema/types.js';

const WELL_KNOWN: Record<string, () => protobuf.INamespace> = {
  'confluent/type/decimal.proto': () => ({
    nested: { confluent: { nested: { type: { nested: { Decimal: { fields: {
      value: { type: 'bytes', id: 1 }, precision: { type: 'uint32', id: 2 }, scale: { type: 'int32', id: 3 },
    } } } } } } },
  }),
  'google/type/date.proto': () => ({
    nested: { google: { nested: { type: { nested: { Date: { fields: {
      year: { type: 'int32', id: 1 }, month: { type: 'int32', id: 2 }, day: { type: 'int32', id: 3 },
    } } } } } } },
  }),
  'google/type/timeofday.proto': () => ({
    nested: { google: { nested: { type: { nested: { TimeOfDay: { fields: {
      hours: { type: 'int32', id: 1 }, minutes: { type: 'int32', id: 2 }, seconds: { type: 'int32', id: 3 }, nanos: { type: 'int32', id: 4 },
    } } } } } } },
  }),
  'confluent/meta.proto': () => ({ nested: {} }),
};

export interface ParsedProto {
  readonly root: protobuf.Root;
  /** Top-level messages of the schema file, in declaration order (message index 0, 1, …). */
  readonly messages: readonly protobuf.Type[];
}

function addImport(root: protobuf.Root, name: string, def: SchemaDefinition, sr: Pick<SchemaRegistryClient, 'getVersion'> | undefined, done: Set<string>): void {
  if (done.has(name)) return;
  done.add(name);
  const ref = def.references?.find((r) => r.name === name);
  if (ref) {
    const target = sr?.getVersion(ref.subject, ref.version);
    if (!target) throw new Error(`reference ${name} (${ref.subject} version ${ref.version}) not found`);
    const parsed = protobuf.parse(target.schema, root, { keepCase: true });
    for (const i of parsed.imports ?? []) addImport(root, i, target, sr, done);
    return;
  }
  const known = WELL_KNOWN[name.toLowerCase()];
  if (known) { root.addJSON(known().nested!); return; }
  const common = (protobuf.common as unknown as { get(n: string): protobuf.INamespace | null }).get(name);
  if (common?.nested) { root.addJSON(common.nested); return; }
  throw new Error(`Cannot resolve import "${name}"`);
}

const cache = new Map<string, ParsedProto>();

/** Parses a registered Protobuf schema with its imports. */
export function parseProtobufSchema(def: SchemaDefinition, sr?: Pick<SchemaRegistryClient, 'getVersion'>): ParsedProto {
  const key = def.references?.length ? undefined : def.schema;
  const hit = key !== undefined ? cache.get(key) : undefined;
  if (hit) return hit;
  const root = new protobuf.Root();
  const parsed = protobuf.parse(def.schema, root, { keepCase: true });
  const ns: protobuf.NamespaceBase = parsed.package ? root.lookup(parsed.package) as protobuf.Namespace : root;
  const messages = ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
  const done = new Set<string>();
  for (const i of parsed.imports ?? []) addImport(root, i, def, sr, done);
  for (const i of parsed.weakImports ?? []) addImport(root, i, def, sr, done);
  root.resolveAll();
  const out = { root, messages };
  if (key !== undefined) cache.set(key, out);
  return out;
}

/** The message named by `fullSchemaName` (or the first message) and its Confluent message-index path. */
export function selectMessage(p: ParsedProto, fullSchemaName?: string): { type: protobuf.Type; indexes: number[] } {
  if (fullSchemaName === undefined) {
    const first = p.messages[0];
    if (!first) throw new Error('Protobuf schema has no message');
    return { type: first, indexes: [0] };
  }
  const type = p.root.lookupType(fullSchemaName.startsWith('.') ? fullSchemaName : `.${fullSchemaName}`);
  return { type, indexes: indexesOf(p, type) };
}

export function indexesOf(p: ParsedProto, type: protobuf.Type): number[] {
  const path: number[] = [];
  let t: protobuf.Type = type;
  while (t.parent instanceof protobuf.Type) {
    const parent: protobuf.Type = t.parent;
    path.unshift(parent.nestedArray.filter((n) => n instanceof protobuf.Type).indexOf(t));
    t = parent;
  }
  path.unshift(p.messages.indexOf(t as protobuf.Type));
  return path;
}

/** The message at a Confluent message-index path. */
export function messageAt(p: ParsedProto, indexes: readonly number[]): protobuf.Type {
  let type = p.messages[indexes[0] ?? 0];
  for (const i of indexes.slice(1)) type = type?.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)[i];
  if (!type) throw new Error(`No message at index path [${indexes.join(', ')}]`);
  return type;
}

const WRAPPERS: Record<string, SqlType> = {
  'google.protobuf.BoolValue': SqlTypes.BOOLEAN,
  'google.protobuf.Int32Value': SqlTypes.INTEGER,
  'google.protobuf.UInt32Value': SqlTypes.BIGINT,
  'google.protobuf.Int64Value': SqlTypes.BIGINT,
  'google.protobuf.UInt64Value': SqlTypes.BIGINT,
  'google.protobuf.FloatValue': SqlTypes.DOUBLE,
  'google.protobuf.DoubleValue': SqlTypes.DOUBLE,
  'google.protobuf.StringValue': SqlTypes.STRING,
  'google.protobuf.BytesValue': SqlTypes.BYTES,
};

export function fullNameOf(t: protobuf.ReflectionObject): string {
  return t.fullName.startsWith('.') ? t.fullName.slice(1) : t.fullName;
}

export function scalarType(name: string): SqlType | undefined {
  switch (name) {
    case 'bool': return SqlTypes.BOOLEAN;
    case 'int32': case 'sint32': case 'sfixed32': return SqlTypes.INTEGER;
    case 'uint32': case 'fixed32': case 'int64': case 'sint64': case 'sfixed64': case 'uint64': case 'fixed64': return SqlTypes.BIGINT;
    case 'float': case 'double': return SqlTypes.DOUBLE;
    case 'string': return SqlTypes.STRING;
    case 'bytes': return SqlTypes.BYTES;
    default: return undefined;
  }
}

function decimalParams(f: protobuf.Field): { precision: number; scale: number } {
  let precision = 64;
  let scale = 0;
  for (const o of (f.parsedOptions ?? []) as Record<string, unknown>[]) {
    const meta = o['(confluent.field_meta)'] as { params?: { key: string; value: string }[] } | undefined;
    for (const p of meta?.params ?? []) {
      if (p.key === 'precision') precision = Number(p.value);
      if (p.key === 'scale') scale = Number(p.value);
    }
  }
  return { precision, scale };
}

/** SQL type of one field's element (ignoring `repeated`). */
export function fieldElementType(f: protobuf.Field, depth: number): SqlType {
  const scalar = scalarType(f.type);
  if (scalar) return scalar;
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Enum) return SqlTypes.STRING;
  if (!(rt instanceof protobuf.Type)) throw new Error(`Unresolved Protobuf type ${f.type}`);
  const name = fullNameOf(rt);
  if (WRAPPERS[name]) return WRAPPERS[name]!;
  if (name === 'confluent.type.Decimal') { const p = decimalParams(f); return SqlTypes.decimal(p.precision, p.scale); }
  if (name === 'google.type.Date') return SqlTypes.DATE;
  if (name === 'google.type.TimeOfDay') return SqlTypes.TIME;
  if (name === 'google.protobuf.Timestamp') return SqlTypes.TIMESTAMP;
  return messageToSqlType(rt, depth + 1);
}

export function fieldType(f: protobuf.Field, depth = 0): SqlType {
  if (f instanceof protobuf.MapField) {
    const k = scalarType(f.keyType) ?? SqlTypes.STRING;
    return SqlTypes.map(k, fieldElementType(f, depth));
  }
  const t = fieldElementType(f, depth);
  return f.repeated ? SqlTypes.array(t) : t;
}

/** Connect's reading of a message as a SQL struct (field names as written). */
export function messageToSqlType(type: protobuf.Type, depth = 0): SqlType {
  if (depth > 64) throw new Error('Recursive Protobuf schemas are not supported');
  return SqlTypes.struct(messageMembers(type).map((m) => (m.kind === 'field'
    ? { name: m.field.name, type: fieldType(m.field, depth) }
    : { name: m.name, type: SqlTypes.struct(m.fields.map((f) => ({ name: f.name, type: fieldType(f, depth) }))) })));
}

/** A message's columns: plain fields, and each real `oneof` as one struct column `<name>_<index>` (ProtobufData). */
export type MessageMember =
  | { readonly kind: 'field'; readonly field: protobuf.Field }
  | { readonly kind: 'oneof'; readonly name: string; readonly fields: readonly protobuf.Field[] };

export function isSyntheticOneof(o: protobuf.OneOf): boolean {
  return o.oneof.length === 1 && o.name.startsWith('_') && o.fieldsArray[0]?.options?.proto3_optional === true;
}

export function messageMembers(type: protobuf.Type): MessageMember[] {
  const out: MessageMember[] = [];
  const seen = new Set<protobuf.OneOf>();
  for (const f of type.fieldsArray) {
    const o = f.partOf;
    if (!o || isSyntheticOneof(o)) { out.push({ kind: 'field', field: f }); continue; }
    if (seen.has(o)) continue;
    seen.add(o);
    out.push({ kind: 'oneof', name: `${o.name}_${type.oneofsArray.indexOf(o)}`, fields: o.fieldsArray });
  }
  return out;
}

// ---- generation ----

export type NullableRepresentation = 'DEFAULT' | 'OPTIONAL' | 'WRAPPER';

const SCALAR_NAMES: Partial<Record<SqlType['base'], string>> = {
  BOOLEAN: 'bool', INTEGER: 'int32', BIGINT: 'int64', DOUBLE: 'double', STRING: 'string', BYTES: 'bytes',
};
const WRAPPER_NAMES: Partial<Record<SqlType['base'], string>> = {
  BOOLEAN: 'google.protobuf.BoolValue', INTEGER: 'google.protobuf.Int32Value', BIGINT: 'google.protobuf.Int64Value',
  DOUBLE: 'google.protobuf.DoubleValue', STRING: 'google.protobuf.StringValue', BYTES: 'google.protobuf.BytesValue',
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The .proto text ksqlDB would register for a struct side. */
export function sqlToProtoSchema(type: SqlType, fullSchemaName: string | undefined, nullable: NullableRepresentation): string {
  if (type.base !== 'STRUCT') type = SqlTypes.struct([{ name: 'ROWVAL', type }]);
  const full = fullSchemaName ?? 'ConnectDefault1';
  const dot = full.lastIndexOf('.');
  const pkg = dot < 0 ? undefined : full.slice(0, dot);
  const rootName = dot < 0 ? full : full.slice(dot + 1);
  const imports = new Set<string>();
  let counter = 1;
  const message = (t: Extract<SqlType, { base: 'STRUCT' }>, name: string, indent: string): string => {
    const nested: string[] = [];
    const lines: string[] = [];
    t.fields.forEach((f, i) => {
      if (!IDENT.test(f.name)) throw new Error(`Schema is not compatible with Protobuf: illegal field name ${f.name}`);
      const fieldType = (ft: SqlType, allowWrapper: boolean): string => {
        switch (ft.base) {
          case 'DECIMAL': imports.add('confluent/type/decimal.proto'); return 'confluent.type.Decimal';
          case 'DATE': imports.add('google/type/date.proto'); return 'google.type.Date';
          case 'TIME': imports.add('google/type/timeofday.proto'); return 'google.type.TimeOfDay';
          case 'TIMESTAMP': imports.add('google/protobuf/timestamp.proto'); return 'google.protobuf.Timestamp';
          case 'STRUCT': {
            const n = `ConnectDefault${++counter}`;
            nested.push(message(ft, n, indent + '  '));
            return n;
          }
          case 'ARRAY': case 'MAP': throw new Error('nested collections');
          default:
            if (allowWrapper && nullable === 'WRAPPER') { imports.add('google/protobuf/wrappers.proto'); return WRAPPER_NAMES[ft.base]!; }
            return SCALAR_NAMES[ft.base]!;
        }
      };
      const n = i + 1;
      let decl: string;
      if (f.type.base === 'ARRAY') {
        decl = `repeated ${fieldType(f.type.element, false)} ${f.name} = ${n}`;
      } else if (f.type.base === 'MAP') {
        const k = SCALAR_NAMES[f.type.key.base] ?? 'string';
        decl = `map<${k}, ${fieldType(f.type.value, false)}> ${f.name} = ${n}`;
      } else {
        const ft = fieldType(f.type, true);
        const opt = nullable === 'OPTIONAL' && SCALAR_NAMES[f.type.base] !== undefined ? 'optional ' : '';
        decl = `${opt}${ft} ${f.name} = ${n}`;
      }
      if (f.type.base === 'DECIMAL') {
        imports.add('confluent/meta.proto');
        decl += ` [(confluent.field_meta) = { params: [{ key: "precision", value: "${f.type.precision}" }, { key: "scale", value: "${f.type.scale}" }] }]`;
      }
      lines.push(`${indent}  ${decl};`);
    });
    return `${indent}message ${name} {\n${lines.join('\n')}${lines.length ? '\n' : ''}${nested.map((x) => '\n' + x).join('')}${indent}}\n`;
  };
  const body = message(type, rootName, '');
  const head = ['syntax = "proto3";', ''];
  if (pkg) head.push(`package ${pkg};`, '');
  if (imports.size) { for (const i of imports) head.push(`import "${i}";`); head.push(''); }
  return head.join('\n') + '\n' + body;
}
