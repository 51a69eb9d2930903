/**
 * The JSON_SR format (ksqlDB's KsqlJsonSerdeFactory with JSON schema): the JSON format's text after
 * Confluent framing. Written with the schema ksqlDB generates (registered under
 * `<topic>-key|value`) or the KEY_/VALUE_SCHEMA_ID one; read like JSON once the 5-byte header is
 * skipped (ksqlDB does not consult the writer schema to read JSON).
 */
import { parseJsonExact } from './json-exact.js';
import { compileReader } from './json-read.js';
import { compileWriter } from './json-write.js';
import { createJsonSerde } from './json.js';
import { jsonSchemaToSqlType, sqlToJsonSchema } from './json-schema.js';
import { defaultSchemaRegistry, fullSchemaNameOf, isWrappedSide, schemaIdOf, sideType, frame, unframe, type SchemaFormat } from './sr-common.js';
import type { FormatImpl, RowSerde } from './types.js';
import { containsBase, deserializeError, serializeError } from './util.js';
import type { SchemaDefinition, SchemaRegistryClient } from '../schema/types.js';

function referencedSchemas(def: SchemaDefinition, sr: SchemaRegistryClient | undefined): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of def.references ?? []) {
    const target = sr?.getVersion(r.subject, r.version);
    if (!target) throw new Error(`reference ${r.name} not found`);
    out.set(r.name, JSON.parse(target.schema) as Record<string, unknown>);
    for (const [k, v] of referencedSchemas(target, sr)) out.set(k, v);
  }
  return out;
}

export const JSON_SR_SCHEMA_FORMAT: SchemaFormat = {
  schemaType: 'JSON',
  fromSqlType(type, options) {
    return { schemaType: 'JSON', schema: JSON.stringify(sqlToJsonSchema(type, options.fullSchemaName)) };
  },
  toSqlType(def, sr) {
    const schema = JSON.parse(def.schema) as Record<string, unknown>;
    return jsonSchemaToSqlType(schema, schema, referencedSchemas(def, sr));
  },
  codec(_def, _sr, type) {
    const write = compileWriter(type);
    const read = compileReader(type);
    return {
      encode: (v) => Buffer.from(write(v), 'utf8'),
      decode: (payload) => {
        const tree = parseJsonExact(payload.toString('utf8'));
        return tree === null ? null : read(tree);
      },
    };
  },
};

export const JSON_SR_FORMAT: FormatImpl = {
  name: 'JSON_SR',
  properties: ['fullschemaname', 'schemaid'],
  canWrap: true,
  canUnwrap: true,
  checkSchema(columns) {
    const badMap = columns.some((c) => containsBase(c.type, (t) => t.base === 'MAP' && t.key.base !== 'STRING'));
    return badMap ? 'JSON only supports MAP types with STRING keys' : undefined;
  },
  create(columns, spec, role, options): RowSerde {
    const json = createJsonSerde(columns, spec, role, options);
    const sr = options.schemaRegistry ?? defaultSchemaRegistry();
    const schemaId = schemaIdOf(spec);
    const fullSchemaName = fullSchemaNameOf(spec);
    let id: number | undefined;
    const writerId = (): number => {
      if (id !== undefined) return id;
      if (schemaId !== undefined) return (id = schemaId);
      const type = sideType(columns, isWrappedSide(columns, spec, role));
      const def = JSON_SR_SCHEMA_FORMAT.fromSqlType(type, { role, properties: spec.properties ?? {}, ...(fullSchemaName ? { fullSchemaName } : {}) });
      return (id = sr.register(`${options.topic ?? ''}-${role}`, def));
    };
    return {
      serialize(values) {
        const text = json.serialize(values);
        if (text === null) return null;
        try { return frame(writerId(), text); } catch (e) { throw serializeError(role, options, e); }
      },
      deserialize(bytes) {
        if (bytes === null) return null;
        let payload: Buffer;
        try { payload = unframe(bytes).payload; } catch (e) { throw deserializeError(role, options, e); }
        return json.deserialize(payload);
      },
    };
  },
};
