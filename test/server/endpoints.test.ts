/** Transport and endpoint behaviour: h2c and HTTP/1.1 on one port, error shapes, many subscribers, slow clients. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http2 from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';

function h2(url: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on('error', reject);
    const req = session.request({ ':method': body === undefined ? 'GET' : 'POST', ':path': path, 'content-type': 'application/json', ...headers });
    let status = 0;
    let text = '';
    req.on('response', (h) => { status = Number(h[':status']); });
    req.setEncoding('utf8');
    req.on('data', (d) => { text += d; });
    req.on('end', () => { session.close(); resolve({ status, text }); });
    req.end(body);
  });
}

const post = async (server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(server.restUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};

describe('server endpoints', () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-endpoints-'));
    server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: dir, config: {}, log: () => {} });
    await post(server, '/ksql', { ksql: "CREATE STREAM S (ID INT KEY, V STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);" });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTP/1.1 and h2c on the same port', async () => {
    const a = await fetch(`${server.restUrl}/info`);
    expect((await a.json() as { KsqlServerInfo: { version: string } }).KsqlServerInfo.version).toBe('7.6.0');
    const b = await h2(server.restUrl, '/info');
    expect(b.status).toBe(200);
    expect(JSON.parse(b.text).KsqlServerInfo.serverStatus).toBe('RUNNING');
  });

  it('answers ksqlDB error shapes', async () => {
    expect(await post(server, '/inserts-stream', { target: 'S' })).toMatchObject({ status: 400, text: expect.stringContaining('40004') });
    expect(await post(server, '/close-query', { queryId: 'nope' })).toEqual({ status: 400, text: '{"@type":"generic_error","error_code":40000,"message":"No query with id nope"}' });
    const sel = await post(server, '/ksql', { ksql: 'SELECT * FROM S;' });
    expect(sel.status).toBe(400);
    expect(JSON.parse(sel.text).error_code).toBe(40002);
    const bad = await post(server, '/ksql', { ksql: 'SELECT * FROM;' });
    expect(JSON.parse(bad.text)).toMatchObject({ '@type': 'statement_error', error_code: 40001 });
    const prop = await post(server, '/ksql', { ksql: 'SHOW STREAMS;', streamsProperties: { 'ksql.service.id': 'x' } });
    expect(prop.status).toBe(400);
    const nf = await fetch(`${server.restUrl}/nope`);
    expect(nf.status).toBe(404);
    expect(await nf.text()).toBe('Not Found');
    const print = await h2(server.restUrl, '/query', JSON.stringify({ ksql: "PRINT 's';" }));
    expect(print.status).toBe(405);
  });

  it('answers ASSERT SCHEMA with an assert_schema entity, and a failed assertion with 417 / 41700', async () => {
    const ok = await post(server, '/ksql', { ksql: "ASSERT NOT EXISTS SCHEMA SUBJECT 'nope-value' TIMEOUT 0 SECONDS;" });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual([{
      '@type': 'assert_schema', statementText: "ASSERT NOT EXISTS SCHEMA SUBJECT 'nope-value' TIMEOUT 0 SECONDS;", subject: 'nope-value', id: null, exists: false, warnings: [],
    }]);
    const failed = await post(server, '/ksql', { ksql: 'ASSERT SCHEMA ID 4242 TIMEOUT 0 SECONDS;' });
    expect(failed.status).toBe(417);
    expect(JSON.parse(failed.text)).toMatchObject({ error_code: 41700, message: 'Schema with id 4242 does not exist' });
  });

  it('streams /query-stream over h2c with Accept negotiation and inserts over /inserts-stream', async () => {
    const ins = await h2(server.restUrl, '/inserts-stream', '{"target":"s"}\n{"ID":1,"V":"a"}\n{"id":2,"v":"b"}\n', { accept: 'application/json' });
    expect(ins).toEqual({ status: 200, text: '[{"seq":0,"status":"ok"},{"seq":1,"status":"ok"}]' });
    const json = await h2(server.restUrl, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM S;' }), { accept: 'application/json' });
    const arr = JSON.parse(json.text);
    expect(arr[0].columnNames).toEqual(['ID', 'V']);
    expect(arr.slice(1)).toEqual([[1, 'a'], [2, 'b']]);
    const delimited = await post(server, '/query-stream', { sql: 'SELECT V FROM S WHERE ID = 2;' });
    expect(delimited.text.split('\n').slice(1)).toEqual(['["b"]', '']);
  });

  it('serves hundreds of concurrent push subscribers and ends them when their connections close', async () => {
    const n = 200;
    const controllers = Array.from({ length: n }, () => new AbortController());
    const readers = await Promise.all(controllers.map(async (c) => {
      const res = await fetch(`${server.restUrl}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM S EMIT CHANGES;' }), signal: c.signal });
      return res.body!.getReader();
    }));
    expect(server.pushQueryCount()).toBe(n);
    await post(server, '/ksql', { ksql: "INSERT INTO S (ID, V) VALUES (9, 'z');" });
    const decoder = new TextDecoder();
    await Promise.all(readers.map(async (r) => {
      let text = '';
      while (!text.includes('"z"')) text += decoder.decode((await r.read()).value);
    }));
    for (const c of controllers) c.abort();
    for (let i = 0; i < 100 && server.pushQueryCount() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.pushQueryCount()).toBe(0);
  });

  it('emits a push aggregation with the default cache when the cache flushes (commit interval)', async () => {
    const c = new AbortController();
    const res = await fetch(`${server.restUrl}/query-stream`, {
      method: 'POST', signal: c.signal,
      body: JSON.stringify({ sql: 'SELECT V, COUNT(*) AS N FROM S GROUP BY V EMIT CHANGES;', properties: { 'auto.offset.reset': 'earliest', 'commit.interval.ms': '200' } }),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    await post(server, '/ksql', { ksql: "INSERT INTO S (ID, V) VALUES (20, 'agg'); INSERT INTO S (ID, V) VALUES (21, 'agg');" });
    let text = '';
    const deadline = Date.now() + 20_000;
    while (!text.includes('["agg",2]') && Date.now() < deadline) text += decoder.decode((await reader.read()).value);
    c.abort();
    expect(text).toContain('["agg",2]');
  });
});
