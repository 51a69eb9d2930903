/** POST /ksql/terminate: TERMINATE CLUSTER with deleteTopicList, then a server that is shut down and restarts empty. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';

async function post(server: RunningServer, path: string, body: unknown) {
  const res = await fetch(`${server.restUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as unknown };
}

describe('POST /ksql/terminate', () => {
  it('terminates queries, drops sources, deletes the listed topics and their subjects, and shuts the server down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-terminate-'));
    let server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: dir, config: {}, log: () => {} });
    try {
      const setup = await post(server, '/ksql', { ksql: `
        CREATE STREAM S (ID INT KEY, V STRING) WITH (kafka_topic='keep_me', value_format='JSON', partitions=1);
        CREATE STREAM FOO AS SELECT * FROM S;
        CREATE STREAM BAR_1 WITH (value_format='AVRO') AS SELECT * FROM S;` });
      expect(setup.status).toBe(200);
      expect(await server.engine.schemaRegistry.fetchLatest('BAR_1-value')).toBeDefined();

      expect(await post(server, '/ksql/terminate', { deleteTopicList: ['bar_('] })).toEqual({
        status: 400, body: { '@type': 'generic_error', error_code: 40000, message: 'Invalid pattern: bar_(' },
      });

      const res = await post(server, '/ksql/terminate', { deleteTopicList: ['FOO', 'bar.*'] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([{
        '@type': 'currentStatus', statementText: 'TERMINATE CLUSTER;', commandId: 'cluster/TerminateCluster/terminate',
        commandStatus: { status: 'QUEUED', message: 'Statement written to command topic', queryId: null },
        commandSequenceNumber: 3, warnings: [],
      }]);
      expect(server.engine.queries.size).toBe(0);
      expect(server.engine.metaStore.allSources()).toEqual([]);
      expect(await server.topics.describeTopic('FOO')).toBeUndefined();
      expect(await server.topics.describeTopic('BAR_1')).toBeUndefined();
      expect(await server.topics.describeTopic('keep_me')).toBeDefined();
      expect(await server.engine.schemaRegistry.fetchLatest('BAR_1-value')).toBeUndefined();

      expect(await post(server, '/ksql', { ksql: 'SHOW STREAMS;' })).toEqual({
        status: 503, body: { '@type': 'generic_error', error_code: 50304, message: 'The server is shut down' },
      });

      await server.stop();
      server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: dir, config: {}, log: () => {} });
      const streams = await post(server, '/ksql', { ksql: 'SHOW STREAMS;' });
      // Nothing replays: only the processing log stream every server creates at startup.
      expect((streams.body as { streams: { name: string }[] }[])[0]!.streams.map((s) => s.name)).toEqual(['KSQL_PROCESSING_LOG']);
      expect(server.engine.queries.size).toBe(0);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
