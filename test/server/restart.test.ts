/**
 * Durable catalog: streams, tables, types and persistent queries survive a restart on the same data
 * dir (replayed from the command topic) and continue from their committed offsets; materialized
 * table values are still there. The aggregate part runs once GROUP BY is supported by the engine.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';

async function ksql(server: RunningServer, text: string) {
  const res = await fetch(`${server.restUrl}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: text }) });
  return { status: res.status, body: await res.json() as unknown };
}

async function query(server: RunningServer, sql: string): Promise<string[]> {
  const res = await fetch(`${server.restUrl}/query`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  expect(res.status).toBe(200);
  return (await res.text()).split('\n');
}

async function eventually(fn: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('restart on the same data dir', () => {
  it('keeps the catalog, the queries and their progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-restart-'));
    const config = { 'ksql.streams.auto.offset.reset': 'earliest' };
    let server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: dir, config, log: () => {} });
    try {
      const setup = await ksql(server, `
        CREATE TYPE ADDRESS AS STRUCT<CITY STRING>;
        CREATE STREAM ORDERS (ID INT KEY, AMOUNT INT, ADDR ADDRESS) WITH (kafka_topic='orders', value_format='JSON', partitions=1);
        CREATE STREAM BIG AS SELECT * FROM ORDERS WHERE AMOUNT > 10;
        CREATE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);
        CREATE TABLE QUSERS AS SELECT * FROM USERS;`);
      expect(setup.status).toBe(200);
      const agg = await ksql(server, 'CREATE TABLE TOTALS AS SELECT ID, SUM(AMOUNT) AS TOTAL FROM ORDERS GROUP BY ID;');
      const withAggregate = agg.status === 200;
      await ksql(server, `
        INSERT INTO ORDERS (ID, AMOUNT) VALUES (1, 5);
        INSERT INTO ORDERS (ID, AMOUNT) VALUES (2, 50);
        INSERT INTO USERS (ID, NAME) VALUES (1, 'ann');
        INSERT INTO USERS (ID, NAME) VALUES (2, 'bob');`);
      await eventually(async () => (await query(server, 'SELECT * FROM BIG;')).some((l) => l.includes('[2,50')));
      await eventually(async () => (await query(server, 'SELECT * FROM QUSERS;')).filter((l) => l.includes('"row"')).length === 2);
      if (withAggregate) await eventually(async () => (await query(server, 'SELECT * FROM TOTALS WHERE ID=2;')).some((l) => l.includes('[2,50]')));
      await server.stop();

      server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: dir, config, log: () => {} });
      const shown = await ksql(server, 'SHOW STREAMS; SHOW TABLES; SHOW QUERIES; SHOW TYPES;');
      const text = JSON.stringify(shown.body);
      for (const name of ['ORDERS', 'BIG', 'USERS', 'QUSERS', 'ADDRESS']) expect(text).toContain(`"${name}"`);
      expect(text).toContain('CSAS_BIG_');
      expect(text).toContain('CTAS_QUSERS_');
      // materialized values are there right after the restart
      const users = await query(server, 'SELECT * FROM QUSERS WHERE ID=2;');
      expect(users.some((l) => l.includes('[2,"bob"]'))).toBe(true);
      // the persistent query continues: new input flows, old input is not processed twice
      await ksql(server, 'INSERT INTO ORDERS (ID, AMOUNT) VALUES (3, 70);');
      await eventually(async () => (await query(server, 'SELECT * FROM BIG;')).some((l) => l.includes('[3,70')));
      const big = (await query(server, 'SELECT * FROM BIG;')).filter((l) => l.includes('"row"'));
      expect(big.length).toBe(2);
      if (withAggregate) {
        await ksql(server, 'INSERT INTO ORDERS (ID, AMOUNT) VALUES (2, 1);');
        await eventually(async () => (await query(server, 'SELECT * FROM TOTALS WHERE ID=2;')).some((l) => l.includes('[2,51]')));
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
