/** ASSERT SCHEMA against the schema registry: entities, ksqlDB's failure messages, 41700 and the timeout. */
import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { SchemaRegistryError, type SchemaRegistryClient } from '../../engine/schema/types.js';
import type { StatementResult } from '../../engine/exec/results.js';

const AVRO = { schemaType: 'AVRO' as const, schema: '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}' };

function setup(registry: SchemaRegistryClient = new InMemorySchemaRegistry()) {
  const d = new TestDriver({ topics: new MemoryTopics(), functions: createFunctionRegistry(), config: {}, schemaRegistry: registry });
  return (sql: string): Promise<StatementResult> => d.execute(parseScript(sql)[0]!);
}

async function failure(p: Promise<unknown>): Promise<{ message: string; code: number | undefined }> {
  const e = await p.then(() => { throw new Error('assertion passed'); }, (x: Error) => x);
  return { message: e.message.split('\n')[0]!, code: (e.cause as { errorCode?: number } | undefined)?.errorCode };
}

describe('ASSERT SCHEMA', () => {
  it('passes with an assert_schema entity for a subject, an id, or an id under a subject', async () => {
    const sr = new InMemorySchemaRegistry();
    const id = sr.register('s-value', AVRO);
    const run = setup(sr);
    expect(await run("ASSERT SCHEMA SUBJECT 's-value' TIMEOUT 0 SECONDS;")).toEqual({
      kind: 'entity',
      entity: { '@type': 'assert_schema', statementText: "ASSERT SCHEMA SUBJECT 's-value' TIMEOUT 0 SECONDS;", subject: 's-value', id: null, exists: true, warnings: [] },
    });
    expect(await run(`ASSERT SCHEMA ID ${id} TIMEOUT 0 SECONDS;`)).toMatchObject({ entity: { subject: null, id, exists: true } });
    expect(await run(`ASSERT SCHEMA SUBJECT 's-value' ID ${id} TIMEOUT 0 SECONDS;`)).toMatchObject({ entity: { subject: 's-value', id } });
    expect(await run("ASSERT NOT EXISTS SCHEMA SUBJECT 'other' TIMEOUT 0 SECONDS;")).toMatchObject({ entity: { subject: 'other', exists: false } });
    expect(await run(`ASSERT NOT EXISTS SCHEMA SUBJECT 'other' ID ${id} TIMEOUT 0 SECONDS;`)).toMatchObject({ entity: { exists: false } });
  });

  it("fails with ksqlDB's messages and the 41700 code", async () => {
    const sr = new InMemorySchemaRegistry();
    const id = sr.register('s-value', AVRO);
    const run = setup(sr);
    expect(await failure(run("ASSERT SCHEMA SUBJECT 'nope' TIMEOUT 0 SECONDS;"))).toEqual({ message: 'Schema with subject name nope does not exist', code: 41700 });
    expect(await failure(run('ASSERT SCHEMA ID 999 TIMEOUT 0 SECONDS;'))).toEqual({ message: 'Schema with id 999 does not exist', code: 41700 });
    expect((await failure(run(`ASSERT SCHEMA SUBJECT 'nope' ID ${id} TIMEOUT 0 SECONDS;`))).message).toBe(`Schema with subject name nope id ${id} does not exist`);
    expect((await failure(run(`ASSERT NOT EXISTS SCHEMA ID ${id} TIMEOUT 0 SECONDS;`))).message).toBe(`Schema with id ${id} exists`);
  });

  it('waits up to the timeout for the schema to appear', async () => {
    const sr = new InMemorySchemaRegistry();
    const run = setup(sr);
    setTimeout(() => sr.register('late-value', AVRO), 150);
    expect(await run("ASSERT SCHEMA SUBJECT 'late-value' TIMEOUT 2 SECONDS;")).toMatchObject({ entity: { exists: true } });
  });

  it('reports a registry that cannot answer', async () => {
    const broken = new InMemorySchemaRegistry();
    broken.fetchLatest = () => Promise.reject(new SchemaRegistryError(500, 50001, 'boom'));
    const run = setup(broken);
    expect(await failure(run("ASSERT SCHEMA SUBJECT 's' TIMEOUT 0 SECONDS;"))).toEqual({ message: 'Cannot check schema existence: boom', code: 41700 });
  });
});
