/** Garbage, truncated frames and wrong versions close one connection at most, never the process. */
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../server/kafka/codec.js';
import { kafka, startBroker, type TestBroker } from './helpers.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker?.close();
});

/** Sends raw bytes; resolves with whatever came back before the server closed or `ms` passed. */
function exchange(bytes: Buffer, ms = 300): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closed = false;
    const s = net.connect(broker.listener.port, '127.0.0.1', () => s.write(bytes));
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {});
    s.on('close', () => {
      closed = true;
    });
    setTimeout(() => {
      s.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    }, ms);
  });
}

function request(apiKey: number, version: number, correlationId: number, body: Buffer = Buffer.alloc(0), flexible = false): Buffer {
  const w = new Writer().int16(apiKey).int16(version).int32(correlationId).nullableString('fuzz');
  if (flexible) w.emptyTags();
  w.raw(body);
  const payload = w.toBuffer();
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

async function apiVersionsWorks(): Promise<void> {
  const { data } = await exchange(request(18, 2, 99));
  const r = new Reader(data);
  expect(r.int32()).toBe(data.length - 4);
  expect(r.int32()).toBe(99);
  expect(r.int16()).toBe(0);
}

describe('malformed input', () => {
  it('answers unsupported ApiVersions versions in v0 format with error 35', async () => {
    const { data } = await exchange(request(18, 9, 7, Buffer.from([1, 2, 3]), true));
    const r = new Reader(data, 4);
    expect(r.int32()).toBe(7);
    expect(r.int16()).toBe(35);
    const keys = r.array((x) => [x.int16(), x.int16(), x.int16()]);
    expect(keys).toEqual([[18, 0, 3]]);
  });

  it('answers ApiVersions v3 (flexible body, v0 header) and pipelined requests in order', async () => {
    const v3body = new Writer().compactNullableString('test').compactNullableString('1.0').emptyTags().toBuffer();
    const { data } = await exchange(Buffer.concat([request(18, 3, 1, v3body, true), request(18, 0, 2), request(3, 4, 3, new Writer().int32(0).bool(false).toBuffer())]));
    const r = new Reader(data);
    const s1 = r.int32();
    expect(r.int32()).toBe(1);
    expect(r.int16()).toBe(0);
    const n = r.uvarint() - 1;
    expect(n).toBeGreaterThan(10);
    r.pos += n * 7;
    expect(r.int32()).toBe(0); // throttle
    r.skipTags();
    expect(r.pos).toBe(4 + s1);
    const s2 = r.int32();
    expect(r.int32()).toBe(2);
    r.pos += s2 - 4;
    r.int32();
    expect(r.int32()).toBe(3);
  });

  it('closes the connection on bad sizes, unknown APIs, unsupported versions and short bodies', async () => {
    const cases: Buffer[] = [
      Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]), // negative size
      Buffer.from([0x7f, 0xff, 0xff, 0xff]), // 2 GB frame
      Buffer.from([0, 0, 0, 2, 0, 1]), // too small for a header
      request(999, 0, 1), // unknown API
      request(0, 99, 1), // unsupported Produce version
      request(3, 4, 1, Buffer.from([0, 0, 0, 5, 0])), // Metadata array longer than the frame
      request(1, 11, 1, Buffer.from([0, 0, 0])), // truncated Fetch body
      request(0, 7, 1, new Writer().nullableString(null).int16(1).int32(1000).int32(1).string('t').int32(1).int32(0).int32(100).toBuffer()), // records length past the end
    ];
    for (const c of cases) {
      const { closed } = await exchange(c);
      expect(closed).toBe(true);
    }
    await apiVersionsWorks();
  });

  it('rejects garbage record batches with CORRUPT_MESSAGE and keeps serving', async () => {
    const body = new Writer().nullableString(null).int16(1).int32(1000).array(['junk'], (w, t) => {
      w.string(t);
      w.array([0], (w2) => {
        w2.int32(0).bytes(Buffer.alloc(80, 7));
      });
    });
    const { data, closed } = await exchange(request(0, 7, 5, body.toBuffer()));
    expect(closed).toBe(false);
    const r = new Reader(data, 4);
    expect(r.int32()).toBe(5);
    const topics = r.array((t) => ({ name: t.string(), parts: t.array((p) => ({ index: p.int32(), error: p.int16(), base: p.int64(), lat: p.int64(), lso: p.int64() })) }));
    expect(topics[0]!.parts[0]!.error).toBe(2);
  });

  it('survives random bytes and random well-framed requests', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => rand(256)));
    const sockets: Promise<unknown>[] = [];
    for (let i = 0; i < 150; i++) {
      let bytes: Buffer;
      if (i % 3 === 0) bytes = randomBytes(1 + rand(200));
      else {
        const apiKey = [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 32][rand(18)]!;
        const versions = [0, 1, 2, 3, 4, 5, 7, 11][rand(8)]!;
        const body = randomBytes(rand(120));
        // sometimes truncate the frame (the server must just wait, then see the close)
        const full = request(apiKey, versions, i, body);
        bytes = i % 5 === 0 ? full.subarray(0, Math.max(4, full.length - 1 - rand(10))) : full;
      }
      sockets.push(exchange(bytes, 150));
      if (sockets.length >= 20) await Promise.all(sockets.splice(0));
    }
    await Promise.all(sockets);
    await apiVersionsWorks();
    // and real clients still work
    const admin = kafka(broker.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'after-fuzz', numPartitions: 1 }] });
    expect(await admin.listTopics()).toContain('after-fuzz');
    await admin.disconnect();
  });
});
