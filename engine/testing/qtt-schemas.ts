/**
 * Registers a QTT case's `topics[].keySchema / valueSchema` in the case's mock schema registry
 * (ksqlDB's TestCaseBuilderUtil): subjects `<topic>-key|value`, schemas with `keySchemaId` /
 * `valueSchemaId` first and under that exact id, references (`[{name, format, schema}]`) under
 * the subject `name`, version 1. The mock registry checks no compatibility, like ksqlDB's.
 */
import type * as A from '../sql/ast.js';
import { InMemorySchemaRegistry } from '../schema/memory-registry.js';
import type { SchemaDefinition, SchemaReference, SchemaType } from '../schema/types.js';
import { WithProperties } from '../planner/with-properties.js';
import { specToPlain, type QttCase, type TopicSpec } from './qtt-case.js';
import { stringifySpec } from './spec-serde.js';
import { resolveTypeNode } from '../analyzer/types.js';
import type { Column } from '../catalog/schema.js';
import { chooseFormats } from '../exec/formats.js';
import { isWrappedSide, schemaFormat, sideType, type FormatName } from '../serde/index.js';
import type { SqlType } from '../types/sql-type.js';

interface RefSpec { readonly name: string; readonly format?: string; readonly schema: unknown }

function schemaTypeOf(format: string | undefined, schema: unknown): SchemaType {
  const f = (format ?? '').toUpperCase();
  if (f === 'AVRO') return 'AVRO';
  if (f === 'JSON_SR' || f === 'JSON') return 'JSON';
  if (f === 'PROTOBUF' || f === 'PROTOBUF_NOSR') return 'PROTOBUF';
  if (typeof schema === 'string' && /\b(syntax|message)\b/.test(schema)) return 'PROTOBUF';
  if (typeof schema === 'object' && schema !== null && !Array.isArray(schema)) {
    const o = schema as Record<string, unknown>;
    if ('oneOf' in o || 'properties' in o || '$schema' in o || 'anyOf' in o) return 'JSON';
    if (['object', 'integer', 'number'].includes(String(o.type))) return 'JSON';
  }
  return 'AVRO';
}

function schemaText(type: SchemaType, schema: unknown): string {
  if (type === 'PROTOBUF') return String(schema);
  return stringifySpec(schema);
}

/** Formats of the topic's sides as declared by the case's CREATE statements (when topics[] omits them). */
function declaredFormats(statements: readonly A.ParsedStatement[], topic: string): { key?: string; value?: string } {
  for (const s of statements) {
    const st = s.statement;
    if (st.kind !== 'CreateSource' && st.kind !== 'CreateAsSelect') continue;
    try {
      const props = new WithProperties(st.properties, new Set(st.properties.map((p) => p.name.toUpperCase())));
      const t = props.string('KAFKA_TOPIC') ?? (st.kind === 'CreateAsSelect' ? st.name : undefined);
      if (t !== topic) continue;
      const both = props.string('FORMAT');
      const key = both ?? props.string('KEY_FORMAT');
      const value = both ?? props.string('VALUE_FORMAT');
      return { ...(key ? { key } : {}), ...(value ? { value } : {}) };
    } catch {
      continue;
    }
  }
  return {};
}

export function registerCaseSchemas(c: Pick<QttCase, 'name' | 'format' | 'topics' | 'properties'>, statements: readonly A.ParsedStatement[], sr: InMemorySchemaRegistry): void {
  const work: { topic: TopicSpec; role: 'key' | 'value'; id?: number }[] = [];
  for (const t of c.topics) {
    for (const role of ['key', 'value'] as const) {
      const schema = role === 'key' ? t.keySchema : t.valueSchema;
      if (schema === undefined || schema === null) continue;
      const idSpec = role === 'key' ? t.keySchemaId : t.valueSchemaId;
      work.push({ topic: t, role, ...(idSpec !== undefined ? { id: Number(specToPlain(idSpec)) } : {}) });
    }
  }
  work.sort((a, b) => (a.id === undefined ? 1 : 0) - (b.id === undefined ? 1 : 0));
  const supplied = new Set(work.map((w) => `${w.topic.name}-${w.role}`));
  let statementsDone = false;
  for (const w of work) {
    if (w.id === undefined && !statementsDone) {
      statementsDone = true;
      registerStatementSchemas(c, statements, sr, supplied);
    }
    const t = w.topic as TopicSpec & { keySchemaReferences?: RefSpec[]; valueSchemaReferences?: RefSpec[] };
    const schema = w.role === 'key' ? t.keySchema : t.valueSchema;
    const declared = declaredFormats(statements, t.name);
    const format = (w.role === 'key' ? t.keyFormat ?? declared.key : t.valueFormat ?? declared.value) ?? c.format;
    const type = schemaTypeOf(format, schema);
    const references: SchemaReference[] = [];
    for (const r of (w.role === 'key' ? t.keySchemaReferences : t.valueSchemaReferences) ?? []) {
      const rtype = schemaTypeOf(r.format ?? format, r.schema);
      const existing = sr.getLatest(r.name);
      if (!existing) sr.register(r.name, { schemaType: rtype, schema: schemaText(rtype, r.schema) });
      references.push({ name: r.name, subject: r.name, version: sr.getLatest(r.name)!.version });
    }
    const def: SchemaDefinition = { schemaType: type, schema: schemaText(type, schema), ...(references.length ? { references } : {}) };
    sr.register(`${t.name}-${w.role}`, def, w.id !== undefined ? { id: w.id } : {});
  }
  if (!statementsDone) registerStatementSchemas(c, statements, sr, supplied);
}

/**
 * Schemas generated from the declared columns of CREATE statements in schema-registry formats, as
 * ksqlDB's runner registers them (after the topics with fixed ids, before the other topics).
 */
function registerStatementSchemas(c: Pick<QttCase, 'name' | 'format' | 'topics' | 'properties'>, statements: readonly A.ParsedStatement[], sr: InMemorySchemaRegistry, supplied: ReadonlySet<string>): void {
  const types = new Map<string, SqlType>();
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.properties)) config[k] = specToPlain(v);
  for (const s of statements) {
    const st = s.statement;
    try {
      if (st.kind === 'CreateType') { types.set(st.name.toUpperCase(), resolveTypeNode(st.type, (n) => types.get(n.toUpperCase()))); continue; }
      if (st.kind !== 'CreateSource' || st.elements.length === 0) continue;
      const props = new WithProperties(st.properties);
      const topic = props.string('KAFKA_TOPIC');
      if (topic === undefined) continue;
      const { keyFormat, valueFormat } = chooseFormats(props, { config });
      const columns: Column[] = st.elements.map((e) => ({
        name: e.name, type: resolveTypeNode(e.type, (n) => types.get(n.toUpperCase())),
        namespace: e.constraint?.kind === 'Key' || e.constraint?.kind === 'PrimaryKey' ? 'KEY' as const : 'VALUE' as const,
      })).filter((col) => !st.elements.find((e) => e.name === col.name && (e.constraint?.kind === 'Headers' || e.constraint?.kind === 'Header')));
      const wrap = props.boolean('WRAP_SINGLE_VALUE');
      for (const [role, format] of [['key', keyFormat], ['value', valueFormat]] as const) {
        const cols = columns.filter((col) => col.namespace === (role === 'key' ? 'KEY' : 'VALUE'));
        const f = schemaFormat(format.format);
        const subject = `${topic}-${role}`;
        if (!f || format.format === 'PROTOBUF_NOSR' || cols.length === 0 || supplied.has(subject) || sr.getLatest(subject)) continue;
        const spec = { format: format.format as FormatName, properties: format.properties, ...(role === 'value' && wrap !== undefined ? { wrapSingle: wrap } : {}) };
        const type = sideType(cols, isWrappedSide(cols, spec, role));
        const fullSchemaName = format.properties.fullSchemaName;
        sr.register(subject, f.fromSqlType(type, { role, properties: format.properties, ...(fullSchemaName !== undefined ? { fullSchemaName } : {}) }));
      }
    } catch {
      // statements that cannot be planned fail later, when they run
    }
  }
}

/** The per-case mock registry. */
export function caseSchemaRegistry(): InMemorySchemaRegistry {
  const sr = new InMemorySchemaRegistry();
  sr.setCompatibility('NONE');
  return sr;
}
