/**
 * PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n] (reference §1.6): one line per record,
 * `rowtime: 2022/03/18 15:53:22.989 Z, key: 18, value: {...}, partition: 0`, preceded by the guessed
 * key and value formats (repeated when the guess changes).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { ErrorCode, type Statement } from '../../engine/index.js';
import { genericError } from '../entities.js';
import { isHttp2 } from '../transport.js';
import { StreamWriter } from '../stream-writer.js';
import type { ServerContext } from '../context.js';

type Print = Extract<Statement, { kind: 'Print' }>;

export async function runPrint(req: FastifyRequest, reply: FastifyReply, sc: ServerContext, st: Print, mode: 'text' | 'delimited'): Promise<FastifyReply> {
  const topics = sc.engine.topics;
  const name = st.topic.replace(/^'(.*)'$/, '$1');
  const desc = await topics.describeTopic(name);
  if (!desc) {
    const all = await topics.listTopics();
    const hint = all.filter((t) => t.name.toLowerCase() === name.toLowerCase()).map((t) => `\n\tprint ${t.name};`).join('');
    const message = `Could not find topic '${name}', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.${hint ? `\nDid you mean:${hint}` : ''}`;
    return reply.code(400).type('application/json').send(genericError(ErrorCode.BAD_REQUEST, message));
  }
  reply.hijack();
  const res = reply.raw as ServerResponse;
  const writer = new StreamWriter(res, { framePerWrite: isHttp2(req), maxBufferedBytes: sc.maxBufferedBytes });
  writer.begin(200, { 'content-type': mode === 'text' ? 'application/json' : 'application/vnd.ksqlapi.delimited.v1' });
  let closed = false;
  res.on('close', () => { closed = true; });
  const offsets: number[] = [];
  for (let p = 0; p < desc.partitions; p++) {
    offsets.push(st.fromBeginning ? await topics.startOffset(name, p) : await topics.endOffset(name, p));
  }
  const interval = Math.max(1, st.interval ?? 1);
  let seen = 0;
  let printed = 0;
  let lastFormats = '';
  const limit = st.limit;
  while (!closed && (limit === undefined || printed < limit)) {
    let got = 0;
    for (let p = 0; p < desc.partitions && !closed; p++) {
      const records = await topics.read(name, p, offsets[p]!, 100, desc.partitions === 1 ? 500 : 0);
      for (const r of records) {
        offsets[p] = r.offset + 1;
        got++;
        if (seen++ % interval !== 0) continue;
        const k = guess(r.key);
        const v = guess(r.value);
        const formats = `Key format: ${k.format}\nValue format: ${v.format}\n`;
        if (formats !== lastFormats) { writer.write(formats); lastFormats = formats; }
        writer.write(`rowtime: ${rowtime(r.timestamp)}, key: ${k.text}, value: ${v.text}, partition: ${r.partition}\n`);
        printed++;
        if (limit !== undefined && printed >= limit) break;
      }
      if (limit !== undefined && printed >= limit) break;
    }
    if (got === 0) {
      if (mode === 'text') writer.write('\n');
      if (desc.partitions > 1) await new Promise((r) => setTimeout(r, 200));
    }
  }
  writer.end();
  return reply;
}

function rowtime(ts: number): string {
  if (ts < 0) return 'N/A';
  const d = new Date(ts);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)} Z`;
}

/** ksqlDB's format guessing, simplified: JSON text, UTF-8 text, or 4/8-byte numbers. */
function guess(bytes: Buffer | null): { format: string; text: string } {
  if (bytes === null) return { format: '¯\\_(ツ)_/¯ - no data processed', text: '<null>' };
  const s = bytes.toString('utf8');
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(s);
  if (printable) {
    try {
      JSON.parse(s);
      return { format: 'JSON or KAFKA_STRING', text: s };
    } catch {
      return { format: 'KAFKA_STRING', text: s };
    }
  }
  if (bytes.length === 4) return { format: 'KAFKA_INT', text: String(bytes.readInt32BE(0)) };
  if (bytes.length === 8) return { format: 'KAFKA_BIGINT or KAFKA_DOUBLE', text: String(bytes.readBigInt64BE(0)) };
  return { format: 'KAFKA_BYTES', text: bytes.toString('base64') };
}
