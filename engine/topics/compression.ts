/**
 * Record-batch codecs (attributes bits 0-2). The log stores producer batches as they came, so
 * codecs are needed only to decode records in-process (read, offsetForTime, compaction) and to
 * encode batches the engine appends itself.
 *
 * gzip: node:zlib. snappy: snappyjs (pure JS; reads raw and xerial-framed, as Java/kafkajs/librdkafka
 * write both). lz4: lz4js (pure JS, LZ4 frame format = KIP-57 for magic 2). zstd: @mongodb-js/zstd
 * (napi-rs prebuilt; Node 20's zlib has no zstd).
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import * as snappy from 'snappyjs';
import * as lz4 from 'lz4js';
import * as zstd from '@mongodb-js/zstd';

export const enum Codec {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const NAMES: Record<string, Codec> = { none: Codec.None, uncompressed: Codec.None, producer: Codec.None, gzip: Codec.Gzip, snappy: Codec.Snappy, lz4: Codec.Lz4, zstd: Codec.Zstd };

/** Maps a Kafka `compression.type` value to a codec id (unknown → none). */
export function codecFromName(name: string | undefined): Codec {
  return (name !== undefined ? NAMES[name.toLowerCase()] : undefined) ?? Codec.None;
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function unsnappy(data: Buffer): Buffer {
  if (data.length < 16 || !data.subarray(0, 8).equals(XERIAL_MAGIC)) return toBuffer(snappy.uncompress(data));
  // xerial framing: 8-byte magic, int32 version, int32 compat, then [int32 size, chunk]...
  const parts: Buffer[] = [];
  let pos = 16;
  while (pos + 4 <= data.length) {
    const size = data.readInt32BE(pos);
    pos += 4;
    parts.push(toBuffer(snappy.uncompress(data.subarray(pos, pos + size))));
    pos += size;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Decompresses a batch's record section. Synchronous except for zstd. */
export function decompress(codec: number, data: Buffer): Buffer | Promise<Buffer> {
  switch (codec) {
    case Codec.None:
      return data;
    case Codec.Gzip:
      return gunzipSync(data);
    case Codec.Snappy:
      return unsnappy(data);
    case Codec.Lz4:
      return toBuffer(lz4.decompress(data));
    case Codec.Zstd:
      return zstd.decompress(data);
    default:
      throw new Error(`unknown compression codec ${codec}`);
  }
}

/** Compresses a batch's record section (raw snappy, LZ4 frame, as librdkafka writes them). */
export function compress(codec: number, data: Buffer): Buffer | Promise<Buffer> {
  switch (codec) {
    case Codec.None:
      return data;
    case Codec.Gzip:
      return gzipSync(data);
    case Codec.Snappy:
      return toBuffer(snappy.compress(data));
    case Codec.Lz4:
      return toBuffer(lz4.compress(data));
    case Codec.Zstd:
      return zstd.compress(data);
    default:
      throw new Error(`unknown compression codec ${codec}`);
  }
}
