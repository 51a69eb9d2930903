/**
 * Schema compatibility checks (Confluent's levels). AVRO uses Avro's schema resolution rules
 * (avsc's resolver): "BACKWARD" means the new schema can read data written with the old one.
 * JSON schema and Protobuf get the structural rules that matter most: a changed type (JSON) or a
 * field number reused with a wire-incompatible type or another message name (Protobuf), or a new
 * required JSON property, is incompatible; anything else is accepted.
 */
import avro from 'avsc';
import protobuf from 'protobufjs';
import type { CompatibilityLevel, SchemaDefinition } from './types.js';

export type AvroResolver = (def: SchemaDefinition) => avro.Type;

/** Whether `reader` can read what `writer` wrote, or the reason it cannot. */
function canRead(reader: SchemaDefinition, writer: SchemaDefinition, parse: AvroResolver): string | undefined {
  if (reader.schemaType !== writer.schemaType) return `schema type changed from ${writer.schemaType} to ${reader.schemaType}`;
  try {
    switch (reader.schemaType) {
      case 'AVRO':
        parse(reader).createResolver(parse(writer));
        return undefined;
      case 'JSON':
        return jsonCanRead(JSON.parse(reader.schema), JSON.parse(writer.schema), '#');
      case 'PROTOBUF':
        return protobufCanRead(reader.schema, writer.schema);
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/** Wire-compatible Protobuf scalar groups (a field may move within its group). */
const WIRE_GROUPS: readonly (readonly string[])[] = [
  ['int32', 'uint32', 'int64', 'uint64', 'bool'], ['sint32', 'sint64'], ['fixed32', 'sfixed32'], ['fixed64', 'sfixed64'],
  ['string', 'bytes'],
];

function sameWireType(a: string, b: string): boolean {
  if (a === b) return true;
  return WIRE_GROUPS.some((g) => g.includes(a) && g.includes(b));
}

/** Fields of the first message of each schema, by number: a number reused with another type breaks readers. */
function protobufCanRead(readerText: string, writerText: string): string | undefined {
  const first = (text: string): protobuf.Type | undefined => {
    const parsed = protobuf.parse(text, { keepCase: true });
    const ns: protobuf.NamespaceBase = parsed.package ? parsed.root.lookup(parsed.package) as protobuf.Namespace : parsed.root;
    return ns.nestedArray.find((n): n is protobuf.Type => n instanceof protobuf.Type);
  };
  const r = first(readerText);
  const w = first(writerText);
  if (!r || !w) return undefined;
  if (r.name !== w.name) return `MESSAGE_REMOVED: ${w.name}`;
  for (const wf of w.fieldsArray) {
    const rf = r.fieldsArray.find((f) => f.id === wf.id);
    if (!rf) continue;
    if (rf.repeated !== wf.repeated || (rf instanceof protobuf.MapField) !== (wf instanceof protobuf.MapField) || !sameWireType(rf.type, wf.type)) {
      return `FIELD_KIND_CHANGED: field ${wf.id} (${wf.name}) changed from ${wf.type} to ${rf.type}`;
    }
  }
  return undefined;
}

function jsonCanRead(reader: Record<string, unknown>, writer: Record<string, unknown>, path: string): string | undefined {
  if (typeof reader !== 'object' || typeof writer !== 'object' || reader === null || writer === null) return undefined;
  if (reader.type !== undefined && writer.type !== undefined && JSON.stringify(reader.type) !== JSON.stringify(writer.type)) {
    return `TYPE_CHANGED at ${path}`;
  }
  const rp = (reader.properties ?? {}) as Record<string, Record<string, unknown>>;
  const wp = (writer.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((reader.required ?? []) as string[]);
  for (const name of Object.keys(rp)) {
    if (!(name in wp)) {
      if (required.has(name)) return `REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL at ${path}/properties/${name}`;
      continue;
    }
    const p = jsonCanRead(rp[name]!, wp[name]!, `${path}/properties/${name}`);
    if (p) return p;
  }
  return undefined;
}

/**
 * Checks `candidate` against the existing versions (oldest first) under `level`; returns the first
 * problem, or undefined when it is compatible.
 */
export function checkCompatibility(
  level: CompatibilityLevel, candidate: SchemaDefinition, existing: readonly SchemaDefinition[], parse: AvroResolver,
): string | undefined {
  if (level === 'NONE' || existing.length === 0) return undefined;
  const against = level.endsWith('_TRANSITIVE') ? existing : existing.slice(-1);
  for (const old of against) {
    if (level.startsWith('BACKWARD') || level.startsWith('FULL')) {
      const p = canRead(candidate, old, parse);
      if (p) return p;
    }
    if (level.startsWith('FORWARD') || level.startsWith('FULL')) {
      const p = canRead(old, candidate, parse);
      if (p) return p;
    }
  }
  return undefined;
}
