/**
 * Schema compatibility checks (Confluent's levels). AVRO uses Avro's schema resolution rules
 * (avsc's resolver): "BACKWARD" means the new schema can read data written with the old one.
 * JSON schema and Protobuf get the structural rules that matter most: a changed field type or a
 * removed required property is incompatible; anything else is accepted.
 */
import avro from 'avsc';
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
        return undefined;
    }
  } catch (e) {
    return (e as Error).message;
  }
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
