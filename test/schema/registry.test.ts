/** The in-process schema registry and its Confluent REST API (fastify inject), and the journal. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { SchemaRegistryError } from '../../engine/schema/types.js';
import { JournaledSchemaRegistry, registerSchemaRegistryRoutes } from '../../server/schema-registry/index.js';
import { schemaFormat } from '../../engine/serde/index.js';

const avro = (fields: unknown[]) => ({ schemaType: 'AVRO' as const, schema: JSON.stringify({ type: 'record', name: 'R', fields }) });

describe('InMemorySchemaRegistry', () => {
  it('gives one id per schema across subjects and one version per change', () => {
    const sr = new InMemorySchemaRegistry();
    const a = sr.register('a-value', avro([{ name: 'x', type: 'int' }]));
    expect(sr.register('a-value', avro([{ name: 'x', type: 'int' }]))).toBe(a);
    expect(sr.register('b-value', { schemaType: 'AVRO', schema: ' {"type":"record","name":"R","fields":[{"name":"x","type":"int"}]} ' })).toBe(a);
    expect(sr.versions('a-value')).toEqual([1]);
    const b = sr.register('a-value', avro([{ name: 'x', type: 'int' }, { name: 'y', type: ['null', 'string'], default: null }]));
    expect(b).not.toBe(a);
    expect(sr.getLatest('a-value')).toMatchObject({ id: b, version: 2 });
    expect(sr.subjectVersionsForId(a)).toEqual([{ subject: 'a-value', version: 1 }, { subject: 'b-value', version: 1 }]);
  });

  it('checks BACKWARD compatibility by default (a new field needs a default)', () => {
    const sr = new InMemorySchemaRegistry();
    sr.register('s', avro([{ name: 'x', type: 'int' }]));
    expect(sr.testCompatibility('s', avro([{ name: 'x', type: 'int' }, { name: 'y', type: 'string' }]))).toHaveLength(1);
    expect(() => sr.register('s', avro([{ name: 'x', type: 'int' }, { name: 'y', type: 'string' }]))).toThrow(SchemaRegistryError);
    expect(sr.testCompatibility('s', avro([{ name: 'x', type: 'long' }]))).toEqual([]); // int promotes to long
    sr.setCompatibility('NONE', 's');
    expect(() => sr.register('s', avro([{ name: 'x', type: 'string' }]))).not.toThrow();
  });

  it('checks Protobuf and JSON schema changes', () => {
    const sr = new InMemorySchemaRegistry();
    const proto = (body: string) => ({ schemaType: 'PROTOBUF' as const, schema: `syntax = "proto3"; message M { ${body} }` });
    sr.register('p', proto('int32 a = 1; string b = 2;'));
    expect(sr.testCompatibility('p', proto('int64 a = 1; string b = 2; bool c = 3;'))).toEqual([]);
    expect(sr.testCompatibility('p', proto('int32 a = 1; double b = 2;'))[0]).toMatch(/FIELD_KIND_CHANGED/);
    const json = (props: Record<string, unknown>, required: string[] = []) => ({ schemaType: 'JSON' as const, schema: JSON.stringify({ type: 'object', properties: props, required }) });
    sr.register('j', json({ a: { type: 'integer' } }));
    expect(sr.testCompatibility('j', json({ a: { type: 'integer' }, b: { type: 'string' } }))).toEqual([]);
    expect(sr.testCompatibility('j', json({ a: { type: 'string' } }))).toHaveLength(1);
    expect(sr.testCompatibility('j', json({ a: { type: 'integer' }, b: { type: 'string' } }, ['b']))).toHaveLength(1);
  });

  it('registers under a fixed id and rejects a different schema for a used id', () => {
    const sr = new InMemorySchemaRegistry();
    expect(sr.register('s', avro([{ name: 'x', type: 'int' }]), { id: 100 })).toBe(100);
    expect(() => sr.register('t', avro([{ name: 'z', type: 'int' }]), { id: 100 })).toThrow(/not permitted/);
    expect(sr.register('t', avro([{ name: 'z', type: 'int' }]))).toBe(101);
  });

  it('resolves Avro and Protobuf references', () => {
    const sr = new InMemorySchemaRegistry();
    sr.register('event', { schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'Event', namespace: 'x', fields: [{ name: 'ts', type: 'long' }] }) });
    const id = sr.register('logistics-value', {
      schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'Logistics', namespace: 'x', fields: [{ name: 'event', type: 'x.Event' }] }),
      references: [{ name: 'x.Event', subject: 'event', version: 1 }],
    });
    expect(schemaFormat('AVRO')!.toSqlType(sr.getById(id)!, sr, {})).toEqual({
      base: 'STRUCT', fields: [{ name: 'event', type: { base: 'STRUCT', fields: [{ name: 'ts', type: { base: 'BIGINT' } }] } }],
    });
    expect(sr.referencedBy('event', 1)).toEqual([id]);
    expect(() => sr.deleteSubject('event')).toThrow(/references exist/);

    sr.register('event.proto', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message Event { int64 timestamp = 1; }' });
    const pid = sr.register('p-value', {
      schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; import "event.proto"; message Logistics { Event event = 1; }',
      references: [{ name: 'event.proto', subject: 'event.proto', version: 1 }],
    });
    expect(schemaFormat('PROTOBUF')!.toSqlType(sr.getById(pid)!, sr, {})).toEqual({
      base: 'STRUCT', fields: [{ name: 'event', type: { base: 'STRUCT', fields: [{ name: 'timestamp', type: { base: 'BIGINT' } }] } }],
    });
    expect(() => sr.register('bad', { schemaType: 'AVRO', schema: '{"type":"record","name":"B","fields":[{"name":"e","type":"y.Missing"}]}' })).toThrow(/Invalid schema/);
  });

  it('soft and permanent deletes', () => {
    const sr = new InMemorySchemaRegistry();
    const id = sr.register('s', avro([{ name: 'x', type: 'int' }]));
    expect(() => sr.deleteSubject('s', true)).toThrow(/not deleted first/);
    expect(sr.deleteSubject('s')).toEqual([1]);
    expect(sr.subjects()).toEqual([]);
    expect(sr.subjects(true)).toEqual(['s']);
    expect(sr.getById(id)).toBeDefined(); // ids stay readable
    expect(sr.deleteSubject('s', true)).toEqual([1]);
    expect(sr.subjects(true)).toEqual([]);
  });
});

describe('schema registry REST API', () => {
  const app = () => {
    const sr = new InMemorySchemaRegistry();
    const f = Fastify();
    registerSchemaRegistryRoutes(f, sr);
    return f;
  };
  const json = { 'content-type': 'application/vnd.schemaregistry.v1+json' };

  it('registers, reads by id, subject and version, and looks up', async () => {
    const f = app();
    const schema = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'int' }] });
    const reg = await f.inject({ method: 'POST', url: '/subjects/t-value/versions', headers: json, payload: { schema } });
    expect(reg.statusCode).toBe(200);
    expect(reg.json()).toEqual({ id: 1 });
    expect((await f.inject('/subjects')).json()).toEqual(['t-value']);
    expect((await f.inject('/subjects/t-value/versions')).json()).toEqual([1]);
    expect((await f.inject('/subjects/t-value/versions/latest')).json()).toEqual({ subject: 't-value', version: 1, id: 1, schema });
    expect((await f.inject('/schemas/ids/1')).json()).toEqual({ schema });
    expect((await f.inject('/schemas/ids/1/versions')).json()).toEqual([{ subject: 't-value', version: 1 }]);
    const look = await f.inject({ method: 'POST', url: '/subjects/t-value', headers: json, payload: { schema } });
    expect(look.json()).toMatchObject({ id: 1, version: 1 });
    expect(reg.headers['content-type']).toContain('application/vnd.schemaregistry.v1+json');
    const proto = await f.inject({ method: 'POST', url: '/subjects/p-value/versions', headers: json, payload: { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message M { int32 a = 1; }' } });
    expect(proto.json()).toEqual({ id: 2 });
    expect((await f.inject('/schemas/ids/2')).json()).toMatchObject({ schemaType: 'PROTOBUF' });
  });

  it('answers Confluent error codes', async () => {
    const f = app();
    expect((await f.inject('/subjects/nope/versions')).json()).toEqual({ error_code: 40401, message: "Subject 'nope' not found." });
    expect((await f.inject('/schemas/ids/42')).statusCode).toBe(404);
    expect((await f.inject('/schemas/ids/42')).json()).toMatchObject({ error_code: 40403 });
    const bad = await f.inject({ method: 'POST', url: '/subjects/x/versions', headers: json, payload: { schema: '{"type":"nope"}' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ error_code: 42201 });
  });

  it('checks compatibility and manages config', async () => {
    const f = app();
    const v1 = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'int' }] });
    const v2 = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }] });
    await f.inject({ method: 'POST', url: '/subjects/c/versions', headers: json, payload: { schema: v1 } });
    expect((await f.inject({ method: 'POST', url: '/compatibility/subjects/c/versions/latest', headers: json, payload: { schema: v2 } })).json())
      .toEqual({ is_compatible: false });
    const conflict = await f.inject({ method: 'POST', url: '/subjects/c/versions', headers: json, payload: { schema: v2 } });
    expect(conflict.statusCode).toBe(409);
    expect((await f.inject('/config')).json()).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await f.inject({ method: 'PUT', url: '/config/c', headers: json, payload: { compatibility: 'NONE' } })).json()).toEqual({ compatibility: 'NONE' });
    expect((await f.inject({ method: 'POST', url: '/subjects/c/versions', headers: json, payload: { schema: v2 } })).json()).toEqual({ id: 2 });
    expect((await f.inject({ method: 'PUT', url: '/config', headers: json, payload: { compatibility: 'SIDEWAYS' } })).json()).toMatchObject({ error_code: 42203 });
  });
});

describe('JournaledSchemaRegistry', () => {
  it('replays registrations, deletes and config after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-srj-'));
    try {
      const path = join(dir, 'schemas.jsonl');
      const a = new JournaledSchemaRegistry(path);
      const id1 = a.register('s', avro([{ name: 'x', type: 'int' }]));
      const id2 = a.register('t', avro([{ name: 'y', type: 'int' }]), { id: 50 });
      a.setCompatibility('FULL', 's');
      a.deleteSubject('t');
      const b = new JournaledSchemaRegistry(path);
      expect(b.getById(id1)?.schema).toBe(a.getById(id1)?.schema);
      expect(b.getById(id2)).toBeDefined();
      expect(b.subjects()).toEqual(['s']);
      expect(b.compatibility('s')).toBe('FULL');
      expect(b.register('u', avro([{ name: 'z', type: 'int' }]))).toBe(51);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
