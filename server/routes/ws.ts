/**
 * GET /ws/query?request=<KsqlRequest JSON> (reference §1.10): the schema as a FieldInfo array, then
 * one StreamedRow per text frame; close 1000 "done" on completion, 1003 for statement errors and
 * 1011 for runtime errors. A closed socket ends its query.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  KsqlStatementException, parseScript, prepareTransientQuery, restRowWriter, type SqlType,
} from '../../engine/index.js';
import type { ServerContext } from '../context.js';

export function createWsHandler(sc: ServerContext): { handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean; close(): void } {
  const wss = new WebSocketServer({ noServer: true });
  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws/query') return false;
      wss.handleUpgrade(req, socket, head, (ws) => void serve(ws, url, sc));
      return true;
    },
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

function schemaInfo(t: SqlType): Record<string, unknown> {
  switch (t.base) {
    case 'ARRAY': return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(t.element) };
    case 'MAP': return { type: 'MAP', fields: null, memberSchema: schemaInfo(t.value) };
    case 'STRUCT': return { type: 'STRUCT', fields: t.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })), memberSchema: null };
    case 'DECIMAL': return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: t.precision, scale: t.scale } };
    default: return { type: t.base, fields: null, memberSchema: null };
  }
}

async function serve(ws: WebSocket, url: URL, sc: ServerContext): Promise<void> {
  let request: { ksql?: string; streamsProperties?: Record<string, unknown>; sessionVariables?: Record<string, unknown> };
  try {
    request = JSON.parse(url.searchParams.get('request') ?? '{}');
    const version = url.searchParams.get('version');
    if (version !== null && version !== '1') throw new Error(`Received invalid api version: ${version}`);
  } catch (e) {
    ws.close(1003, String((e as Error).message).slice(0, 120));
    return;
  }
  let query;
  try {
    const vars = Object.fromEntries(Object.entries(request.sessionVariables ?? {}).map(([k, v]) => [k, String(v)]));
    const statements = parseScript(request.ksql ?? '', { variables: vars, allowMissingTerminator: true });
    if (statements.length !== 1 || statements[0]!.statement.kind !== 'Query') throw new KsqlStatementException('Expected a single SELECT statement', request.ksql ?? '');
    query = prepareTransientQuery(sc.engine, statements[0]!, { overrides: request.streamsProperties ?? {}, ...(sc.materialization ? { materialization: sc.materialization } : {}) });
  } catch (e) {
    const msg = e instanceof KsqlStatementException ? e.unloggedMessage : (e as Error).message;
    ws.close(1003, msg.slice(0, 120));
    return;
  }
  const write = restRowWriter(query.columns.map((c) => c.type));
  const run = query.start({
    row(values, tombstone) {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(`{"row":{"columns":${write(values)}${tombstone ? ',"tombstone":true' : ''}}}`);
      if (ws.bufferedAmount > sc.maxBufferedBytes) run.close();
    },
  });
  ws.on('close', () => run.close());
  if (query.kind === 'PUSH') sc.pushQueries.add({ query, run, close: () => run.close() });
  try {
    await run.ready;
    ws.send(JSON.stringify(query.columns.map((c) => ({ name: c.name, schema: schemaInfo(c.type) }))));
    await run.done;
    if (ws.readyState === ws.OPEN) ws.close(1000, 'done');
  } catch (e) {
    if (ws.readyState === ws.OPEN) ws.close(1011, String((e as Error).message).slice(0, 120));
  } finally {
    sc.pushQueries.remove(query.queryId);
  }
}
