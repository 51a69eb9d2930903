/** The REPL driven through its stdin against an in-process server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';

const BIN = resolve(__dirname, '../../bin/sluice.js');

describe('sluice cli', () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-repl-'));
    server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir: join(dir, 'data'), config: {}, log: () => {} });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function cli() {
    const child = spawn(process.execPath, [BIN, 'cli', server.restUrl], { env: { ...process.env, KSQL_HISTORY_FILE: join(dir, 'history') } });
    let out = '';
    child.stdout.on('data', (d) => { out += d.toString(); });
    child.stderr.on('data', (d) => { out += d.toString(); });
    const waitFor = async (text: string | RegExp, ms = 15000) => {
      const end = Date.now() + ms;
      while (!(typeof text === 'string' ? out.includes(text) : text.test(out))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${String(text)}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    return { child, send: (s: string) => child.stdin.write(s), waitFor, output: () => out, exited };
  }

  it('runs statements, variables, properties, scripts and shows errors with a caret', async () => {
    const script = join(dir, 'script.sql');
    writeFileSync(script, "CREATE STREAM FROMSCRIPT (ID INT KEY, V STRING) WITH (kafka_topic='fs', value_format='JSON', partitions=1);\n");
    const c = cli();
    await c.waitFor('Having trouble?');
    expect(c.output()).toContain('Server v7.6.0');
    c.send("CREATE STREAM S (ID INT KEY,\n  NAME STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);\n");
    await c.waitFor('Stream created');
    c.send("DEFINE src = 'S';\nINSERT INTO ${src} (ID, NAME) VALUES (1, 'one');\nSHOW VARIABLES;\n");
    await c.waitFor(/src\s+\| S/);
    c.send("SET 'auto.offset.reset'='earliest';\n");
    await c.waitFor("Successfully changed local property 'auto.offset.reset' to 'earliest'");
    c.send('SELECT * FROM S EMIT CHANGES LIMIT 1;\n');
    await c.waitFor('Limit Reached');
    await c.waitFor('Query terminated');
    c.send(`RUN SCRIPT '${script}';\n`);
    await c.waitFor(/Stream created[\s\S]*Stream created/);
    c.send('SELECT * FROM S WHERE ID = ;\n');
    await c.waitFor('Syntax Error');
    await c.waitFor(/SELECT \* FROM S WHERE ID = ;\n\s+\^/);
    c.send('output JSON\nSHOW STREAMS;\n');
    await c.waitFor('"@type" : "streams"');
    c.send('exit\n');
    expect(await c.exited).toBe(0);
  });

  it('streams a push query until Ctrl-C, which closes it on the server', async () => {
    const c = cli();
    await c.waitFor('Having trouble?');
    c.send("CREATE STREAM P (ID INT KEY, V STRING) WITH (kafka_topic='p', value_format='JSON', partitions=1);\n");
    await c.waitFor('Stream created');
    c.send('SELECT * FROM P EMIT CHANGES;\n');
    await c.waitFor('|ID');
    await fetch(`${server.restUrl}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: "INSERT INTO P (ID, V) VALUES (7, 'seven');" }) });
    await c.waitFor('seven');
    c.child.kill('SIGINT');
    await c.waitFor('Query terminated');
    // the query is gone on the server
    for (let i = 0; i < 40 && server.pushQueryCount() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.pushQueryCount()).toBe(0);
    c.send('SHOW STREAMS;\n');
    await c.waitFor(/ P\s+\| p/);
    c.send('exit\n');
    expect(await c.exited).toBe(0);
  });
});
