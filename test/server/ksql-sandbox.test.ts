/** POST /ksql validates the whole request in a sandbox before executing any statement (ksqlDB's RequestValidator). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';

type Entity = Record<string, unknown> & { '@type': string };

describe('POST /ksql request validation', () => {
  let server: RunningServer;
  let dir: string;
  const ksql = async (sql: string, extra: Record<string, unknown> = {}) => {
    const res = await fetch(`${server.restUrl}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql, ...extra }) });
    return { status: res.status, body: await res.json() as unknown };
  };
  const names = async (what: 'STREAMS' | 'TOPICS') => {
    const [e] = (await ksql(`SHOW ${what};`)).body as Entity[];
    return ((e![what.toLowerCase()] ?? e!.topics) as { name: string }[]).map((s) => s.name);
  };
  const lastSequence = async () => {
    const [e] = (await ksql("CREATE TYPE IF NOT EXISTS SEQ_PROBE AS INT;")).body as Entity[];
    return e!.commandSequenceNumber as number;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-ksql-sandbox-'));
    server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: dir, config: {}, log: () => {} });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a request whose second statement fails, with nothing created or logged', async () => {
    const seq = await lastSequence();
    const first = "CREATE STREAM DUP (ID INT KEY, V STRING) WITH (kafka_topic='dup_topic', value_format='JSON', partitions=1);";
    const second = "CREATE STREAM DUP (ID INT KEY, W STRING) WITH (kafka_topic='dup_topic2', value_format='JSON', partitions=1);";
    const res = await ksql(`${first}\n${second}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      '@type': 'statement_error', error_code: 40001,
      message: "Cannot add stream 'DUP': A stream with the same name already exists",
      statementText: second, entities: [],
    });
    expect(await names('STREAMS')).not.toContain('DUP');
    const topics = await names('TOPICS');
    expect(topics).not.toContain('dup_topic');
    expect(topics).not.toContain('dup_topic2');
    // the probe's own command is the only one written since
    expect(await lastSequence()).toBe(seq + 1);
  });

  it('runs a valid multi-statement request and returns every entity in order', async () => {
    const res = await ksql(`
      CREATE STREAM M1 (ID INT KEY, V STRING) WITH (kafka_topic='m1', value_format='JSON', partitions=1);
      SET 'auto.offset.reset'='earliest';
      DEFINE sink = 'M2';
      CREATE STREAM \${sink} AS SELECT ID, UCASE(V) AS U FROM M1;
      SHOW VARIABLES;
      DESCRIBE M2;
      INSERT INTO M1 (ID, V) VALUES (1, 'a');`);
    expect(res.status).toBe(200);
    const entities = res.body as Entity[];
    expect(entities.map((e) => e['@type'])).toEqual(['currentStatus', 'currentStatus', 'variables', 'sourceDescription']);
    expect(entities[0]).toMatchObject({ commandStatus: { status: 'SUCCESS', message: 'Stream created' } });
    expect(entities[1]).toMatchObject({ statementText: 'CREATE STREAM M2 AS SELECT ID, UCASE(V) AS U FROM M1;', commandStatus: { status: 'SUCCESS' } });
    expect(entities[2]).toMatchObject({ variables: [{ name: 'SINK', value: 'M2' }] });
    expect(entities[3]).toMatchObject({ sourceDescription: { name: 'M2', topic: 'M2' } });
    expect(await names('STREAMS')).toEqual(expect.arrayContaining(['M1', 'M2']));
  });

  it('validates a CSAS on a stream created earlier in the same request, and rejects one on an unknown stream', async () => {
    const ok = await ksql(`
      CREATE STREAM C1 (ID INT KEY, V INT) WITH (kafka_topic='c1', value_format='JSON', partitions=2);
      CREATE STREAM C2 AS SELECT * FROM C1 WHERE V > 0;
      ASSERT TOPIC C2 WITH (PARTITIONS=2);`);
    expect(ok.status).toBe(200);
    expect((ok.body as Entity[]).map((e) => e['@type'])).toEqual(['currentStatus', 'currentStatus', 'assert_topic']);

    const bad = await ksql(`
      CREATE STREAM C3 (ID INT KEY, V INT) WITH (kafka_topic='c3', value_format='JSON', partitions=1);
      CREATE STREAM C4 AS SELECT * FROM NOPE;`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ '@type': 'statement_error', statementText: 'CREATE STREAM C4 AS SELECT * FROM NOPE;', entities: [] });
    expect(await names('STREAMS')).not.toContain('C3');
  });

  it('fails a whole request on a failed assertion (417) before running anything', async () => {
    const res = await ksql(`
      CREATE STREAM D1 (ID INT KEY) WITH (kafka_topic='d1', value_format='JSON', partitions=1);
      ASSERT TOPIC no_such_topic TIMEOUT 0 SECONDS;`);
    expect(res.status).toBe(417);
    expect(res.body).toMatchObject({ error_code: 41700, entities: [] });
    expect(await names('STREAMS')).not.toContain('D1');
  });
});
