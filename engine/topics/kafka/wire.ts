/**
 * Fetch and Produce request bodies and response decoders that keep record batches as raw bytes
 * (see kafkajs-internals.ts for why kafkajs's own decoders are not used). Versions: Fetch 4–11 and
 * Produce 3–7 (record batch v2; the range every Kafka since 0.11, Sluice's listener and
 * librdkafka's mock cluster share). Non-flexible encodings only.
 */
import { encoderOf, type KjsBroker, type ProtocolRequest } from './kafkajs-internals.js';

export const FETCH_KEY = 1;
export const PRODUCE_KEY = 0;
export const CREATE_TOPICS_KEY = 19;
export const DELETE_TOPICS_KEY = 20;
export const DESCRIBE_CONFIGS_KEY = 32;

/** Highest version of `apiKey` in [min, max] the broker advertises, or undefined. */
export function negotiate(broker: KjsBroker, apiKey: number, min: number, max: number): number | undefined {
  const v = broker.versions?.[apiKey];
  if (!v) return undefined;
  const chosen = Math.min(max, v.maxVersion);
  return chosen >= Math.max(min, v.minVersion) ? chosen : undefined;
}

class Writer {
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  i8(v: number): this { this.ensure(1); this.buf.writeInt8(v, this.pos); this.pos += 1; return this; }
  i16(v: number): this { this.ensure(2); this.buf.writeInt16BE(v, this.pos); this.pos += 2; return this; }
  i32(v: number): this { this.ensure(4); this.buf.writeInt32BE(v, this.pos); this.pos += 4; return this; }
  i64(v: number): this { this.ensure(8); this.buf.writeBigInt64BE(BigInt(v), this.pos); this.pos += 8; return this; }
  str(s: string | null): this {
    if (s === null) return this.i16(-1);
    const n = Buffer.byteLength(s);
    this.i16(n);
    this.ensure(n);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
    return this;
  }
  bytes(b: Buffer): this {
    this.i32(b.length);
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }
  done(): Buffer { return this.buf.subarray(0, this.pos); }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  i16(): number { const v = this.buf.readInt16BE(this.pos); this.pos += 2; return v; }
  i32(): number { const v = this.buf.readInt32BE(this.pos); this.pos += 4; return v; }
  i64(): number { const v = Number(this.buf.readBigInt64BE(this.pos)); this.pos += 8; return v; }
  str(): string | null {
    const n = this.i16();
    if (n < 0) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  bytes(): Buffer | null {
    const n = this.i32();
    if (n < 0) return null;
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

export interface FetchPartitionRequest {
  readonly partition: number;
  readonly offset: number;
  readonly maxBytes: number;
}

export interface FetchRequest {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** 0 = READ_UNCOMMITTED, 1 = READ_COMMITTED. */
  readonly isolationLevel: number;
  readonly topics: ReadonlyMap<string, readonly FetchPartitionRequest[]>;
}

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: number;
}

export interface FetchPartitionResponse {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly abortedTransactions: readonly AbortedTransaction[];
  /** The raw record set: whole batches, possibly followed by a truncated one. */
  readonly records: Buffer | null;
}

export interface FetchResponse {
  readonly errorCode: number;
  readonly partitions: FetchPartitionResponse[];
}

export function fetchRequest(version: number, req: FetchRequest): ProtocolRequest<FetchResponse> {
  const w = new Writer().i32(-1).i32(req.maxWaitMs).i32(req.minBytes).i32(req.maxBytes).i8(req.isolationLevel);
  if (version >= 7) w.i32(0).i32(-1); // no fetch session
  w.i32(req.topics.size);
  for (const [topic, parts] of req.topics) {
    w.str(topic).i32(parts.length);
    for (const p of parts) {
      w.i32(p.partition);
      if (version >= 9) w.i32(-1); // current leader epoch unknown
      w.i64(p.offset);
      if (version >= 5) w.i64(-1); // log start offset (followers only)
      w.i32(p.maxBytes);
    }
  }
  if (version >= 7) w.i32(0); // forgotten topics
  if (version >= 11) w.str('');
  const body = w.done();
  return {
    request: { apiKey: FETCH_KEY, apiVersion: version, apiName: 'Fetch', encode: () => encoderOf(body) },
    response: { decode: (payload) => decodeFetch(version, payload), parse: (r) => r },
    requestTimeout: req.maxWaitMs + 30000,
  };
}

function decodeFetch(version: number, payload: Buffer): FetchResponse {
  const r = new Reader(payload);
  r.i32(); // throttle
  let errorCode = 0;
  if (version >= 7) {
    errorCode = r.i16();
    r.i32(); // session id
  }
  const partitions: FetchPartitionResponse[] = [];
  for (let t = r.i32(); t > 0; t--) {
    const topic = r.str() ?? '';
    for (let n = r.i32(); n > 0; n--) {
      const partition = r.i32();
      const pErr = r.i16();
      const highWatermark = r.i64();
      const lastStableOffset = r.i64();
      if (version >= 5) r.i64(); // log start offset
      const aborted: AbortedTransaction[] = [];
      const na = r.i32();
      for (let a = 0; a < na; a++) {
        const producerId = r.buf.readBigInt64BE(r.pos);
        r.pos += 8;
        aborted.push({ producerId, firstOffset: r.i64() });
      }
      if (version >= 11) r.i32(); // preferred read replica
      partitions.push({ topic, partition, errorCode: pErr, highWatermark, lastStableOffset, abortedTransactions: aborted, records: r.bytes() });
    }
  }
  return { errorCode, partitions };
}

export interface ProducePartitionResponse {
  readonly errorCode: number;
  readonly baseOffset: number;
}

/** Produce of one record batch (`batch` is a whole RecordBatch v2) to one partition. */
export function produceRequest(
  version: number,
  topic: string,
  partition: number,
  batch: Buffer,
  acks: number,
  timeoutMs: number,
): ProtocolRequest<ProducePartitionResponse> {
  const body = new Writer().str(null).i16(acks).i32(timeoutMs).i32(1).str(topic).i32(1).i32(partition).bytes(batch).done();
  return {
    request: {
      apiKey: PRODUCE_KEY, apiVersion: version, apiName: 'Produce', encode: () => encoderOf(body),
      expectResponse: () => acks !== 0,
    },
    response: {
      decode: (payload) => {
        const r = new Reader(payload);
        r.i32(); // topics
        r.str();
        r.i32(); // partitions
        r.i32();
        const errorCode = r.i16();
        const baseOffset = r.i64();
        return { errorCode, baseOffset };
      },
      parse: (x) => x,
    },
    requestTimeout: timeoutMs + 30000,
  };
}
