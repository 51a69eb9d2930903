/**
 * The web console in a real browser: the Sluice server runs in-process on loopback (free ports for
 * REST, the Kafka listener and the embedded Schema Registry) and Debian's Chromium, driven through
 * playwright-core (never a downloaded browser), uses the page as a person would: types SQL into the
 * editor, runs it with Ctrl+Enter, reads the results, the sidebar and the live rows of a push query.
 *
 * The HTTP checks (what `/` and `/console/*` answer) need no browser and always run. The browser part
 * is skipped, saying so, only when no Chromium binary exists (`apt-get install chromium`; `.ci/run`
 * installs it). Every wait is on a DOM or server condition with a generous bound, never a sleep, so a
 * loaded 2-core machine only makes it slower. A screenshot of the live query is left in the temp dir.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/app.js';

/** The Chromium to drive: $CHROMIUM_PATH, else Debian's (or Ubuntu's) package. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .find((p): p is string => !!p && existsSync(p));
const SKIP_MESSAGE = 'no Chromium binary (/usr/bin/chromium; apt-get install chromium): the browser test of the web console is skipped';
if (!CHROMIUM) console.warn(SKIP_MESSAGE);

/** Bound of every wait on the page or the server: generous, for a loaded machine. */
const WAIT = 30_000;
/** Waits until `fn` passes (an expect.poll with a bound fit for a busy CI machine). */
const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: WAIT, interval: 50 });

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-console-'));
  server = await startServer({
    listeners: 'http://127.0.0.1:0', kafkaListener: '127.0.0.1:0', dataDir: join(dir, 'data'), config: {}, log: () => {},
  });
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('web console over HTTP', () => {
  it('serves the page at / and keeps the 307 to /info for JSON clients', async () => {
    const page = await fetch(`${server.restUrl}/`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<textarea id="editor"');
    const curlLike = await fetch(`${server.restUrl}/`, { headers: { accept: '*/*' } });
    expect(curlLike.status).toBe(200);
    await curlLike.arrayBuffer();
    const json = await fetch(`${server.restUrl}/`, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(json.status).toBe(307);
    expect(json.headers.get('location')).toBe('/info');
    await json.arrayBuffer();
  });

  it('serves assets with their content types, ETags and revalidation', async () => {
    const types: Record<string, string> = {
      'app.js': 'text/javascript; charset=utf-8', 'console.css': 'text/css; charset=utf-8', 'favicon.svg': 'image/svg+xml',
    };
    for (const [file, type] of Object.entries(types)) {
      const res = await fetch(`${server.restUrl}/console/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toBe(type);
      expect(res.headers.get('cache-control'), file).toBe('no-cache');
      const etag = res.headers.get('etag');
      expect(etag, file).toMatch(/^"[\w-]+"$/);
      await res.arrayBuffer();
      const again = await fetch(`${server.restUrl}/console/${file}`, { headers: { 'if-none-match': etag! } });
      expect(again.status, file).toBe(304);
    }
    expect((await fetch(`${server.restUrl}/console/index.ts`)).status).toBe(404);
    expect((await fetch(`${server.restUrl}/console/..%2Fapp.ts`)).status).toBe(404);
    expect((await fetch(`${server.restUrl}/console/nope.js`)).status).toBe(404);
  });
});

// each test waits on several conditions, each bounded by WAIT: allow a few slow ones in a row
describe.skipIf(!CHROMIUM)(`web console in Chromium${CHROMIUM ? '' : ` (skipped: ${SKIP_MESSAGE})`}`, { timeout: 4 * WAIT }, () => {
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  /** Streams in the sidebar before the test made any (the server's own KSQL_PROCESSING_LOG). */
  let streamsAtStart = 0;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      timeout: WAIT,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // the browser logs every 4xx answer (the malformed statement's) as "Failed to load resource": not a script error
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console.error: ${m.text()}`);
    });
  }, 2 * WAIT);

  afterAll(async () => {
    await browser?.close();
  }, WAIT);

  /** Types `sql` into the editor and runs it with Ctrl+Enter; resolves with the card of this run. */
  async function run(sql: string): Promise<Locator> {
    const cards = page.locator('#results > .card');
    const before = await cards.count();
    const editor = page.getByLabel('SQL', { exact: true });
    await editor.fill(sql);
    await until(() => page.locator('#run').isEnabled()).toBe(true);
    await editor.press('Control+Enter');
    await until(() => cards.count()).toBe(before + 1);
    // cards are added at the top; `nth(-1 - before)` would move as later runs add theirs, so pin this one
    // by its index from the bottom
    return page.locator(`#results > .card:nth-last-child(${before + 1})`);
  }

  /** The count shown beside a sidebar heading, as a number (empty is 0). */
  async function sidebarCount(id: 'streams' | 'tables' | 'queries'): Promise<number> {
    const text = (await page.locator(`#${id}-count`).textContent()) ?? '';
    return Number(/\((\d+)\)/.exec(text)?.[1] ?? 0);
  }

  it('loads with its catalog and server info, and no script errors', async () => {
    await page.goto(`${server.restUrl}/`);
    await until(() => page.title()).toBe('Sluice console');
    await page.locator('html[data-ready="true"]').waitFor();
    await until(() => page.locator('#server-info').textContent()).toContain('RUNNING');
    // the catalog has loaded: the server's processing log stream is listed
    await until(() => page.locator('#streams').textContent()).toContain('KSQL_PROCESSING_LOG');
    streamsAtStart = await sidebarCount('streams');
    expect(await page.locator('#tables').textContent()).toContain('None yet');
    // the editor has the focus, so typing goes straight into it
    expect(await page.evaluate('document.activeElement?.id')).toBe('editor');
  });

  it('splits scripts at top-level semicolons only', async () => {
    // a string, not a function: vitest rewrites import() in functions it compiles, which the page lacks
    const pieces = await page.evaluate(`(async () => {
      const sql = await import('/console/sql.js');
      return {
        split: sql.splitStatements("INSERT INTO s VALUES ('a;b'); -- c;d\\nSELECT \`x;y\` FROM t /* ; */ EMIT CHANGES; SHOW STREAMS"),
        kinds: sql.plan("CREATE STREAM a (x INT) WITH (kafka_topic='a', value_format='JSON'); SHOW STREAMS; SELECT * FROM a; SET 'auto.offset.reset'='earliest'; PRINT 'a';").map((s) => s.kind),
        steps: sql.plan("SHOW STREAMS;\\n\\n  SHOW TABLES; SELECT 1 FROM x;\\nSHOW TOPICS").map((s) => [s.start, s.text]),
      };
    })()`) as { split: string[]; kinds: string[]; steps: [number, string][] };
    expect(pieces.split).toEqual(["INSERT INTO s VALUES ('a;b');", '-- c;d\nSELECT `x;y` FROM t /* ; */ EMIT CHANGES;', 'SHOW STREAMS;']);
    expect(pieces.kinds).toEqual(['ksql', 'query', 'set', 'print']);
    // statements for /ksql are grouped as written (the server's line numbers then match the editor's)
    expect(pieces.steps).toEqual([[0, 'SHOW STREAMS;\n\n  SHOW TABLES;'], [30, 'SELECT 1 FROM x;'], [47, 'SHOW TOPICS;']]);
  });

  it('creates a stream from the editor and lists it in the sidebar', async () => {
    const card = await run("CREATE STREAM clicks (id INT KEY, url STRING, n BIGINT) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);");
    await until(() => card.locator('.message.ok').textContent()).toContain('Stream created');
    await until(() => page.locator('#streams').textContent()).toContain('CLICKS');
    expect(await sidebarCount('streams')).toBe(streamsAtStart + 1);
    expect(await card.locator('.error').count()).toBe(0);
  });

  it('inserts rows', async () => {
    const card = await run(`INSERT INTO clicks (id, url, n) VALUES (1, 'https://a.example/', 10);
INSERT INTO clicks (id, url, n) VALUES (2, 'https://b.example/', 20);`);
    // ksqlDB answers INSERT … VALUES with no entities: the card says it is done (the rows show in the push query below)
    await until(() => card.locator('.message.ok').textContent()).toContain('Done');
    expect(await card.locator('.error').count()).toBe(0);
  });

  it('shows ksqlDB\'s error for a malformed statement, with line and column, and the page goes on', async () => {
    const card = await run('CREATE STREM oops (x INT);');
    const error = card.locator('.error');
    await error.waitFor();
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.locator('.error-head').textContent()).toContain('Error 40001');
    const message = await error.locator('.error-message').textContent();
    expect(message).toContain('line 1:8');
    expect(message).toContain('Syntax Error');
    expect(await error.locator('.error-statement').textContent()).toContain('CREATE STREM oops (x INT);');
    expect(await error.locator('.error-position').textContent()).toBe('Line 1, column 8 in the editor');
    await until(() => page.locator('#status').textContent()).toMatch(/^Error: line 1:8/);
    // ksqlDB counts lines and columns in the text it was sent; the console says where that is in the editor
    const script = 'SHOW STREAMS;\n\n-- where does it go?\n  SELECT * FROM nope;';
    const missing = (await run(script)).locator('.query .error');
    await missing.waitFor();
    expect(await missing.locator('.error-message').textContent()).toContain('Line: 2, Col: 17: NOPE does not exist') // counted from the comment before it;
    const where = missing.locator('.error-position');
    expect(await where.textContent()).toBe('Line 4, column 17 in the editor');
    await where.click();
    expect(await page.evaluate('document.activeElement.id')).toBe('editor');
    expect(await page.evaluate('document.activeElement.selectionStart')).toBe(script.indexOf('nope'));
    // statements for /ksql go as one request, written as in the editor
    const grouped = (await run('SHOW STREAMS;\nSHOW TABLES;  CREATE STREM oops (x INT);')).locator('.error');
    expect(await grouped.locator('.error-message').textContent()).toContain('line 2:22');
    expect(await grouped.locator('.error-position').textContent()).toBe('Line 2, column 22 in the editor');
    const unknown = (await run('SHOW STREAMS;\n\nCREATE TABLE t AS SELECT * FROM nope;')).locator('.error');
    expect(await unknown.locator('.error-message').textContent()).toContain('NOPE does not exist');
    expect(await unknown.locator('.error-position').textContent()).toBe('Line 3, column 33 in the editor');
    // the page still works: the editor runs the next statement
    const next = await run('SHOW STREAMS;');
    await next.locator('table caption', { hasText: 'Streams' }).waitFor();
    expect(await next.locator('tbody').textContent()).toContain('CLICKS');
  });

  it('describes a stream from the sidebar', async () => {
    const before = await page.locator('#results > .card').count();
    await page.getByRole('button', { name: 'Describe CLICKS' }).click();
    const describe = page.locator(`#results > .card:nth-last-child(${before + 1}) .describe`);
    await describe.waitFor();
    const text = await describe.textContent();
    expect(text).toContain('CLICKS');
    expect(text).toContain('BIGINT');
    expect(text).toContain('KEY');
  });

  it('streams a push query live, and Stop closes it on the server', async () => {
    expect(server.pushQueryCount()).toBe(0);
    await page.getByLabel('auto.offset.reset').selectOption('earliest');
    const card = await run('SELECT id, url, n FROM clicks EMIT CHANGES;');
    const query = card.locator('.query');
    const rows = query.locator('tbody tr');
    await until(() => query.locator('.badge').textContent()).toBe('Streaming');
    await until(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('https://a.example/');
    expect(await rows.nth(1).textContent()).toContain('https://b.example/');
    const head = await query.locator('thead').textContent();
    for (const column of ['ID', 'URL', 'N']) expect(head).toContain(column);
    expect(server.pushQueryCount()).toBe(1);
    expect(await page.locator('#stop-all').isEnabled()).toBe(true);
    const status = page.locator('#status');
    await until(() => status.textContent()).toMatch(/^Query \S+ is streaming$/);

    // rows inserted while the query runs arrive live, in order
    await run("INSERT INTO clicks (id, url, n) VALUES (3, 'https://c.example/', 30);");
    await until(() => rows.count()).toBe(3);
    // the status line tells the INSERT is done and the query still streams (it used to stay at "Running…")
    await until(() => status.textContent()).toMatch(/^Done in \d+ ms · 1 query streaming$/);
    expect(await rows.nth(2).locator('td').allTextContents()).toEqual(['3', 'https://c.example/', '30']);
    await run(`INSERT INTO clicks (id, url, n) VALUES (1, 'https://d.example/', 40);
INSERT INTO clicks (id, url, n) VALUES (4, 'https://e.example/', 50);`);
    await until(() => rows.count()).toBe(5);
    expect(await rows.nth(3).textContent()).toContain('https://d.example/');
    expect(await rows.nth(4).textContent()).toContain('https://e.example/');
    expect(await query.locator('.row-count').textContent()).toBe('5 rows');
    expect(await query.locator('.badge').textContent()).toBe('Streaming');
    await screenshot();

    // Stop asks the server to close the query
    const closing = page.waitForResponse((r) => r.url().endsWith('/close-query'));
    await query.getByRole('button', { name: 'Stop' }).click();
    const closed = await closing;
    expect(closed.status()).toBe(200);
    const queryId = (JSON.parse(closed.request().postData() ?? '{}') as { queryId?: string }).queryId;
    expect(queryId).toBeTruthy();
    await until(() => query.locator('.badge').textContent()).toBe('Stopped');
    await until(() => status.textContent()).toBe('Query stopped: 5 rows');
    await until(() => server.pushQueryCount()).toBe(0);
    expect(await query.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    expect(await page.locator('#stop-all').isDisabled()).toBe(true);
    // closing it again is an error now: the server no longer knows it
    const again = await fetch(`${server.restUrl}/close-query`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queryId }),
    });
    expect(again.status).toBe(400);
    // a row inserted after the stop does not reach the stopped table
    await run("INSERT INTO clicks (id, url, n) VALUES (5, 'https://f.example/', 60);");
    expect(await rows.count()).toBe(5);
  });

  it('runs a pull query on a table', async () => {
    const card = await run('CREATE TABLE click_counts AS SELECT id, COUNT(*) AS views, SUM(n) AS total FROM clicks GROUP BY id;');
    await until(() => card.locator('.message.ok').textContent()).toContain('Created query');
    await until(() => page.locator('#tables').textContent()).toContain('CLICK_COUNTS');
    await until(() => page.locator('#queries').textContent()).toContain('CTAS_CLICK_COUNTS');
    // the table is materialised in the background: wait (on the server) until it has caught up with all rows
    const pullRows = async (sql: string) => {
      const res = await fetch(`${server.restUrl}/query-stream`, {
        method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
        body: JSON.stringify({ sql, properties: {} }),
      });
      return (await res.text()).trim().split('\n').slice(1);
    };
    await until(() => pullRows('SELECT * FROM click_counts;').then((r) => r.length)).toBe(5);
    await until(() => pullRows('SELECT id, views, total FROM click_counts WHERE id = 1;')).toEqual(['[1,2,50]']);

    const pull = await run('SELECT id, views, total FROM click_counts WHERE id = 1;');
    const query = pull.locator('.query');
    await until(() => query.locator('.badge').textContent()).toBe('Done');
    expect(await query.locator('thead').textContent()).toContain('VIEWS');
    expect(await query.locator('tbody tr').count()).toBe(1);
    expect(await query.locator('tbody tr td').allTextContents()).toEqual(['1', '2', '50']);
    expect(await query.locator('.row-count').textContent()).toBe('1 row');
    expect(await page.locator('#status').textContent()).toBe('Query finished: 1 row');
    expect(await page.locator('#stop-all').isDisabled()).toBe(true);
    expect(server.pushQueryCount()).toBe(0);
  });

  it('runs a script of several statements in one go', async () => {
    const card = await run(`CREATE STREAM big AS SELECT id, url FROM clicks WHERE n > 15;
SHOW STREAMS;`);
    await until(() => card.locator('.message.ok').textContent()).toContain('Created query');
    await card.locator('table caption', { hasText: 'Streams' }).waitFor();
    await until(() => page.locator('#queries').textContent()).toContain('CSAS_BIG');
    await until(() => sidebarCount('streams')).toBe(streamsAtStart + 2);
  });

  it('stops the newest running query with Esc', async () => {
    const card = await run('SELECT * FROM big EMIT CHANGES;');
    const query = card.locator('.query');
    await until(() => query.locator('.badge').textContent()).toBe('Streaming');
    await until(() => query.locator('tbody tr').count()).toBe(5); // the rows with n > 15
    expect(server.pushQueryCount()).toBe(1);
    await page.getByLabel('SQL', { exact: true }).press('Escape');
    await until(() => query.locator('.badge').textContent()).toBe('Stopped');
    await until(() => server.pushQueryCount()).toBe(0);
  });

  it('terminates a persistent query from the sidebar', async () => {
    const id = (await page.locator('#queries .query-name', { hasText: /^CSAS_BIG/ }).textContent())!;
    const asked: string[] = [];
    page.once('dialog', (dialog) => { asked.push(dialog.message()); void dialog.accept(); });
    await page.getByRole('button', { name: `Terminate ${id}` }).click();
    await until(() => page.locator('#queries').textContent()).not.toContain('CSAS_BIG');
    expect(asked).toEqual([`Terminate query ${id}?`]);
    expect(await page.locator('#queries').textContent()).toContain('CTAS_CLICK_COUNTS');
    const card = page.locator('#results > .card').first();
    expect(await card.locator('.card-title').textContent()).toBe(`TERMINATE ${id};`);
    await until(() => card.locator('.message.ok').count()).toBe(1);
    expect(await card.locator('.error').count()).toBe(0);
  });

  it('had no script errors', () => {
    expect(pageErrors).toEqual([]);
  });

  async function screenshot(): Promise<void> {
    const path = join(tmpdir(), 'sluice-console.png');
    await page.screenshot({ path, fullPage: false });
    console.log(`web console screenshot: ${path}`);
  }
});
