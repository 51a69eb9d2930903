/**
 * POST /inserts-stream (HTTP/2 only, reference §1.9): the first body line names the target stream,
 * each further line is a JSON row (key and value columns by name, case-insensitive). Each row is
 * acknowledged with its sequence number once appended; a bad row ends the stream with an error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { ErrorCode, insertJsonRow } from '../../engine/index.js';
import { genericError } from '../entities.js';
import { isHttp2 } from '../transport.js';
import { StreamWriter } from '../stream-writer.js';
import { negotiate, DELIMITED } from './query.js';
import type { ServerContext } from '../context.js';

export function registerInsertsRoute(app: FastifyInstance, sc: ServerContext): void {
  // The body is a stream of lines: hand the raw request stream to the handler.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post('/inserts-stream', (req, reply) => handleInserts(req, reply, sc));
  });
}

async function* lines(stream: Readable): AsyncGenerator<string> {
  let buf = '';
  for await (const chunk of stream) {
    buf += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) yield line;
    }
  }
  if (buf.trim()) yield buf.trim();
}

async function handleInserts(req: FastifyRequest, reply: FastifyReply, sc: ServerContext): Promise<FastifyReply> {
  if (!isHttp2(req)) {
    return reply.code(400).type('application/json').send(genericError(ErrorCode.HTTP2_ONLY, 'This endpoint is only available when using HTTP2'));
  }
  const type = negotiate(req.headers.accept, [DELIMITED, 'application/json']);
  if (!type) return reply.code(406).type('application/json').send(genericError(40600, 'Not Acceptable'));
  const json = type === 'application/json';
  const body = (req.body ?? req.raw) as Readable;
  const it = lines(body)[Symbol.asyncIterator]();
  const first = await it.next();
  let target = '';
  try {
    const args = JSON.parse(first.done ? '{}' : first.value) as { target?: unknown };
    target = typeof args.target === 'string' ? args.target : '';
  } catch {
    return reply.code(400).type('application/json').send(genericError(ErrorCode.BAD_REQUEST, 'Invalid JSON in inserts stream'));
  }
  const source = sc.engine.metaStore.getSource(target.toUpperCase()) ?? sc.engine.metaStore.getSource(target);
  if (!source) {
    return reply.code(400).type('application/json').send(genericError(ErrorCode.BAD_REQUEST, `Cannot insert values into an unknown stream: \`${target}\``));
  }
  if (source.kind !== 'STREAM') {
    return reply.code(400).type('application/json').send(genericError(ErrorCode.BAD_REQUEST, `Cannot insert values into a table: \`${target}\`. Use INSERT INTO ... VALUES instead.`));
  }
  reply.hijack();
  const res = reply.raw as ServerResponse;
  const writer = new StreamWriter(res, { framePerWrite: true, maxBufferedBytes: sc.maxBufferedBytes });
  writer.begin(200, { 'content-type': json ? 'application/json' : DELIMITED }, json ? '[' : undefined);
  let seq = 0;
  const ack = (o: Record<string, unknown>) => writer.write(json ? `${seq > 0 ? ',' : ''}${JSON.stringify(o)}` : `${JSON.stringify(o)}\n`);
  try {
    for (let next = await it.next(); !next.done; next = await it.next()) {
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(next.value) as Record<string, unknown>;
      } catch {
        ack({ status: 'error', seq, error_code: ErrorCode.BAD_REQUEST, message: 'Invalid JSON in inserts stream' });
        break;
      }
      try {
        await insertJsonRow(sc.engine, source, row);
        ack(json ? { seq, status: 'ok' } : { status: 'ok', seq });
      } catch (e) {
        ack({ status: 'error', seq, error_code: ErrorCode.BAD_REQUEST, message: (e as Error).message });
        break;
      }
      seq++;
    }
  } finally {
    writer.end(json ? ']' : undefined);
  }
  return reply;
}
