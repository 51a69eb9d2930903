/**
 * The npm `ksqldb-client` (HTTP/2 prior knowledge) as an outside client: create a stream, insert
 * rows, a push query over /query-stream on h2c closed with /close-query, and a pull query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer, type RunningServer } from '../../server/app.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const KsqldbClient = require('ksqldb-client') as any;

describe('ksqldb-client against Sluice', () => {
  let server: RunningServer;
  let dir: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let client: any;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-client-'));
    server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: dir, config: {}, log: () => {} });
    const port = new URL(server.restUrl).port;
    client = new KsqldbClient({ host: 'http://127.0.0.1', port: Number(port) });
    await client.connect();
  });

  afterAll(async () => {
    await client?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a stream, inserts, streams and pulls', async () => {
    const created = await client.executeStatement(
      "CREATE STREAM words (word STRING KEY, n INT) WITH (kafka_topic='words', value_format='JSON', partitions=1);",
    );
    expect(created.error).toBeUndefined();
    expect(created.data?.[0]?.commandStatus?.status ?? created.data?.commandStatus?.status ?? created).toBeTruthy();

    const streams = await client.listStreams();
    expect(JSON.stringify(streams)).toContain('WORDS');

    const rows: unknown[] = [];
    let queryId: string | undefined;
    const gotTwo = new Promise<void>((resolve) => {
      void client.streamQuery("SELECT * FROM words EMIT CHANGES;", (d: { metadata?: { queryId?: string }; rows?: unknown[] }) => {
        if (d.metadata?.queryId) queryId = d.metadata.queryId;
        for (const r of d.rows ?? []) rows.push(r);
        if (rows.length >= 2) resolve();
      });
    });
    // wait until the push query is registered before inserting
    for (let i = 0; i < 50 && queryId === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    expect(queryId).toMatch(/^transient_WORDS_/);

    for (const [word, n] of [['a', 1], ['b', 2]] as const) {
      const ack = await client.insertInto('words', { WORD: word, N: n });
      expect(ack.error).toBeUndefined();
    }
    await gotTwo;
    expect(rows).toEqual([{ WORD: 'a', N: 1 }, { WORD: 'b', N: 2 }]);

    const closed = await client.terminatePushQuery(queryId);
    expect(closed.error).toBeUndefined();

    const pulled = await client.query('SELECT * FROM words WHERE n > 1;');
    expect(pulled.error).toBeUndefined();
    expect(pulled.data.rows).toEqual([{ WORD: 'b', N: 2 }]);
  });
});
