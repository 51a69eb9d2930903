/**
 * POST /query (StreamedRow JSON array, reference §1.6), POST /query-stream (delimited, JSON array
 * or StreamedRow, §1.7) and POST /close-query (§1.8).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import {
  ErrorCode, KsqlException, KsqlStatementException, parseScript, prepareTransientQuery, restRowWriter,
  transientColumnTypes, transientSchemaString,
  type ParsedStatement, type TransientCompletion, type TransientQuery,
} from '../../engine/index.js';
import { genericError } from '../entities.js';
import { isHttp2 } from '../transport.js';
import { StreamWriter } from '../stream-writer.js';
import { propertyProblem } from '../properties.js';
import { runPrint } from './print.js';
import type { ServerContext } from '../context.js';

export const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
export const KSQL_V1_JSON = 'application/vnd.ksql.v1+json';
export const KSQL_V1_PROTOBUF = 'application/vnd.ksql.v1+protobuf';
const INTERNAL_ERROR = 'The server encountered an internal error when processing the query. Please consult the server logs for more information.';

export type Framing = 'streamed' | 'delimited' | 'json';

/** Picks the first acceptable type in `offered` order for `*\/*`, honouring q-values (Vert.x `produces`). */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (!accept || !accept.trim()) return offered[0];
  const ranges = accept.split(',').map((part) => {
    const [type, ...params] = part.trim().split(';').map((s) => s.trim());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    return { type: type!.toLowerCase(), q: Number.isNaN(q) ? 1 : q };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
  for (const r of ranges) {
    if (r.type === '*/*') return offered[0];
    const [main, sub] = r.type.split('/');
    const hit = offered.find((o) => o === r.type || (sub === '*' && o.startsWith(`${main}/`)));
    if (hit) return hit;
  }
  return undefined;
}

function sendError(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json').send(body);
}

function statementErrorBody(e: unknown, text: string) {
  const message = e instanceof KsqlStatementException ? e.unloggedMessage : e instanceof Error ? e.message : String(e);
  return { '@type': 'statement_error', error_code: ErrorCode.BAD_STATEMENT, message, statementText: text, entities: [] };
}

interface ParsedQueryRequest {
  readonly statement: ParsedStatement;
  readonly overrides: Record<string, unknown>;
}

/** Parses the single statement of a query request; answers the error itself and returns undefined on failure. */
function parseQueryRequest(
  reply: FastifyReply, text: string, variables: Record<string, unknown> | undefined, props: Record<string, unknown> | undefined,
): ParsedQueryRequest | undefined {
  for (const name of Object.keys(props ?? {})) {
    const problem = propertyProblem(name);
    if (problem) { sendError(reply, 400, genericError(ErrorCode.BAD_REQUEST, problem)); return undefined; }
  }
  let statements: ParsedStatement[];
  try {
    const vars = Object.fromEntries(Object.entries(variables ?? {}).map(([k, v]) => [k, String(v)]));
    statements = parseScript(text, { variables: vars, allowMissingTerminator: true });
  } catch (e) {
    sendError(reply, 400, statementErrorBody(e, text));
    return undefined;
  }
  if (statements.length !== 1) {
    sendError(reply, 400, statementErrorBody(new KsqlException(`Expected exactly one KSQL statement; found ${statements.length} instead`), text));
    return undefined;
  }
  return { statement: statements[0]!, overrides: { ...(props ?? {}) } };
}

export function registerQueryRoutes(app: FastifyInstance, sc: ServerContext): void {
  app.post('/query', async (req, reply) => {
    const body = (req.body ?? {}) as { ksql?: unknown; streamsProperties?: Record<string, unknown>; sessionVariables?: Record<string, unknown> };
    const text = typeof body.ksql === 'string' ? body.ksql : '';
    const parsed = parseQueryRequest(reply, text, body.sessionVariables, body.streamsProperties);
    if (!parsed) return reply;
    const st = parsed.statement.statement;
    if (st.kind === 'Print') {
      if (isHttp2(req)) return sendError(reply, 405, genericError(40500, 'The /query endpoint is not available using HTTP2'));
      return runPrint(req, reply, sc, st, 'text');
    }
    if (st.kind !== 'Query') {
      return sendError(reply, 400, statementErrorBody(new KsqlException(`Statement type \`${st.kind}' not supported for this resource`), text));
    }
    const type = negotiate(req.headers.accept, [KSQL_V1_JSON, 'application/json', DELIMITED, KSQL_V1_PROTOBUF]);
    if (!type || type === KSQL_V1_PROTOBUF) return sendError(reply, 406, genericError(40600, 'Not Acceptable'));
    const framing: Framing = type === DELIMITED ? 'delimited' : 'streamed';
    return startQuery(req, reply, sc, parsed, framing, framing === 'streamed' ? KSQL_V1_JSON : DELIMITED);
  });

  app.post('/query-stream', async (req, reply) => {
    const body = (req.body ?? {}) as {
      sql?: unknown; properties?: Record<string, unknown>; streamsProperties?: Record<string, unknown>; sessionVariables?: Record<string, unknown>;
    };
    if (typeof body.sql !== 'string') return sendError(reply, 400, genericError(ErrorCode.BAD_REQUEST, 'No sql in request'));
    const props = { ...(body.streamsProperties ?? {}), ...(body.properties ?? {}) };
    const parsed = parseQueryRequest(reply, body.sql, body.sessionVariables, props);
    if (!parsed) return reply;
    const st = parsed.statement.statement;
    if (st.kind === 'Print') {
      const t = negotiate(req.headers.accept, [DELIMITED]);
      if (!t) return sendError(reply, 406, genericError(40600, 'Not Acceptable'));
      return runPrint(req, reply, sc, st, 'delimited');
    }
    if (st.kind !== 'Query') {
      return sendError(reply, 400, statementErrorBody(new KsqlException(`Statement type \`${st.kind}' not supported for this resource`), body.sql));
    }
    const type = negotiate(req.headers.accept, [DELIMITED, 'application/json', KSQL_V1_JSON]);
    if (!type) return sendError(reply, 406, genericError(40600, 'Not Acceptable'));
    const framing: Framing = type === DELIMITED ? 'delimited' : type === 'application/json' ? 'json' : 'streamed';
    return startQuery(req, reply, sc, parsed, framing, type);
  });

  app.post('/close-query', async (req, reply) => {
    const body = (req.body ?? {}) as { queryId?: unknown };
    const id = typeof body.queryId === 'string' ? body.queryId : '';
    if (!sc.pushQueries.close(id)) return sendError(reply, 400, genericError(ErrorCode.BAD_REQUEST, `No query with id ${id}`));
    return reply.code(200).send();
  });
}

/** Framing of one result stream (header, rows, completion, in-stream error). */
export interface Framer {
  header(q: TransientQuery): string;
  row(values: unknown[], tombstone: boolean): string | undefined;
  completion(kind: TransientQuery['kind'], how: TransientCompletion): string;
  error(e: unknown): string;
}

export function framer(framing: Framing, q: TransientQuery): Framer {
  const write = restRowWriter(q.columns.map((c) => c.type));
  let first = true;
  const sep = () => { const s = first ? '' : ',\n'; first = false; return s; };
  const errorObject = (e: unknown) => JSON.stringify(genericError(ErrorCode.SERVER_ERROR, e instanceof Error ? e.message : String(e)));
  switch (framing) {
    case 'streamed':
      return {
        header: (tq) => `[${sep()}${JSON.stringify({ header: { queryId: tq.queryId, schema: transientSchemaString(tq.columns) } })}`,
        row: (values, tombstone) => `,\n{"row":{"columns":${write(values)}${tombstone ? ',"tombstone":true' : ''}}}`,
        completion: (kind, how) => {
          const msg = finalMessage(kind, how);
          return msg ? `,\n{"finalMessage":${JSON.stringify(msg)}}]` : ']';
        },
        error: (e) => `,\n{"errorMessage":${errorObject(e)}}]`,
      };
    case 'delimited':
      return {
        header: (tq) => `${metadata(tq)}\n`,
        row: (values, tombstone) => (tombstone ? undefined : `${write(values)}\n`),
        completion: () => '',
        error: (e) => `${errorObject(e)}\n`,
      };
    case 'json':
      return {
        header: (tq) => `[${metadata(tq)}`,
        row: (values, tombstone) => (tombstone ? undefined : `,${write(values)}`),
        completion: () => ']',
        error: (e) => `,${errorObject(e)}]`,
      };
  }
}

function metadata(q: TransientQuery): string {
  return JSON.stringify({ queryId: q.queryId, columnNames: q.columns.map((c) => c.name), columnTypes: transientColumnTypes(q.columns) });
}

/** `/query` finalMessage rules: push LIMIT → "Limit Reached"; stream pulls → "Query Completed"; table pulls none. */
function finalMessage(kind: TransientQuery['kind'], how: TransientCompletion): string | undefined {
  if (kind === 'PULL_TABLE' || how === 'CLOSED') return undefined;
  if (how === 'LIMIT') return 'Limit Reached';
  return 'Query Completed';
}

async function startQuery(
  req: FastifyRequest, reply: FastifyReply, sc: ServerContext, parsed: ParsedQueryRequest, framing: Framing, contentType: string,
): Promise<FastifyReply> {
  let query: TransientQuery;
  try {
    query = prepareTransientQuery(sc.engine, parsed.statement, { overrides: parsed.overrides, ...(sc.materialization ? { materialization: sc.materialization } : {}) });
  } catch (e) {
    if (e instanceof KsqlException) return sendError(reply, 400, statementErrorBody(e, parsed.statement.text));
    return sendError(reply, 500, genericError(ErrorCode.SERVER_ERROR, INTERNAL_ERROR));
  }
  if (query.kind === 'PUSH' && sc.pushQueries.size >= sc.pushQueries.maxQueries) {
    return sendError(reply, 400, genericError(ErrorCode.TOO_MANY_PUSH_QUERIES, `Not executing query since limit of ${sc.pushQueries.maxQueries} push queries has been reached.`));
  }
  reply.hijack();
  const res = reply.raw as ServerResponse;
  const writer = new StreamWriter(res, { framePerWrite: isHttp2(req) && framing !== 'json', maxBufferedBytes: sc.maxBufferedBytes });
  const f = framer(framing, query);
  let overflow = false;
  const run = query.start({
    row(values, tombstone) {
      const piece = f.row(values, tombstone);
      if (piece !== undefined && !writer.write(piece) && !overflow) {
        overflow = true;
        run.close();
      }
    },
  });
  const onClose = () => run.close();
  res.on('close', onClose);
  if (query.kind === 'PUSH') {
    sc.pushQueries.add({ query, run, close: () => run.close() });
  }
  try {
    await run.ready;
    writer.begin(200, { 'content-type': contentType }, f.header(query));
    const how = await run.done;
    if (overflow) {
      writer.abort(f.error(new Error(`Push query ${query.queryId} was closed because the client could not keep up (more than ${sc.maxBufferedBytes} bytes buffered).`)));
    } else {
      writer.end(f.completion(query.kind, how));
    }
  } catch (e) {
    if (!writer.isStarted) writer.begin(200, { 'content-type': contentType }, f.header(query));
    writer.end(f.error(e));
  } finally {
    sc.pushQueries.remove(query.queryId);
    res.off('close', onClose);
  }
  return reply;
}
