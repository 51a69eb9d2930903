/**
 * On-disk key layout of a task's RocksDB (one database per task, see backend.ts):
 *
 *   00 'offsets'                       → encodeValue([[source, offset], ...])
 *   00 'metadata'                      → encodeValue({...})
 *   00 'store/' name                   → encodeValue({ id, kind, ... })   store registry
 *   01 id:u16                          → KV store entries:  ++ serialisedKey
 *   01 id:u16 00 len:u32 key start:i64 → window values      (key-major: fetch / fetchRange)
 *   01 id:u16 01 start:i64 key         → ''                 window time index (fetchAll, expiry)
 *   01 id:u16 00 len:u32 key end:i64 start:i64 → session values (Kafka Streams' key ++ end ++ start)
 *   01 id:u16 01 end:i64 start:i64 key → ''                 session end-time index (expiry)
 *   01 id:u16 02                       → i64                window/session expiry watermark
 *
 * i64 = order-preserving 64-bit integer (bytes.ts); u16/u32 big-endian. Store ids are small
 * integers assigned on first use and recorded in the registry in the same atomic batch as the
 * store's first data, so short prefixes cost 3 bytes per key instead of the store name.
 * The length prefix on window/session keys keeps one key's windows contiguous whatever the key
 * bytes are (a bare `key ++ start` would interleave keys that are prefixes of each other).
 */
import { ByteWriter, readOrderedInt64 } from './bytes.js';

export const SYSTEM = 0x00;
export const DATA = 0x01;
export const PRIMARY = 0x00;
export const TIME_INDEX = 0x01;
/** Store-local subspace for a store's own bookkeeping (the expiry watermark, low-water.ts). */
export const META = 0x02;

export const OFFSETS_KEY = Buffer.from('\x00offsets', 'latin1');
export const METADATA_KEY = Buffer.from('\x00metadata', 'latin1');
export const REGISTRY_PREFIX = Buffer.from('\x00store/', 'latin1');
export const MAX_STORE_ID = 0xffff;

export function registryKey(name: string): Buffer {
  return Buffer.concat([REGISTRY_PREFIX, Buffer.from(name, 'utf8')]);
}

export function storePrefix(id: number): Buffer {
  return Buffer.from([DATA, id >> 8, id & 0xff]);
}

/** Smallest key greater than every key starting with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i] = out[i]! + 1;
      return out.subarray(0, i + 1);
    }
  }
  throw new RangeError('No key follows an all-0xFF prefix');
}

export function concat(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length + b.length);
  a.copy(out, 0);
  b.copy(out, a.length);
  return out;
}

const w = new ByteWriter(256);

// The helpers below build and parse STORE-LOCAL keys (without the 3-byte store prefix, which
// PendingWrites adds on the way to RocksDB).

/** 00 ++ len ++ key ++ times... (primary layout of window and session stores). */
export function primaryKey(key: Buffer, t1: number, t2?: number): Buffer {
  w.reset();
  w.byte(PRIMARY);
  w.uint32BE(key.length);
  w.bytes(key);
  w.orderedInt64(t1);
  if (t2 !== undefined) w.orderedInt64(t2);
  return w.finish();
}

/** 01 ++ times... ++ key (time index layout). `key` omitted gives a range bound. */
export function indexKey(t1: number, t2?: number, key?: Buffer): Buffer {
  w.reset();
  w.byte(TIME_INDEX);
  w.orderedInt64(t1);
  if (t2 !== undefined) w.orderedInt64(t2);
  if (key !== undefined) w.bytes(key);
  return w.finish();
}

export const PRIMARY_START = Buffer.from([PRIMARY]);
export const INDEX_START = Buffer.from([TIME_INDEX]);

export interface DecodedKey { readonly key: Buffer; readonly t1: number; readonly t2: number }

/** Inverse of `primaryKey` (`t2` is NaN when the layout has one time). */
export function decodePrimary(local: Buffer, times: 1 | 2): DecodedKey {
  const len = local.readUInt32BE(1);
  const t1At = 5 + len;
  return {
    key: local.subarray(5, t1At),
    t1: readOrderedInt64(local, t1At),
    t2: times === 2 ? readOrderedInt64(local, t1At + 8) : NaN,
  };
}

/** Inverse of `indexKey` with all parts present. */
export function decodeIndex(local: Buffer, times: 1 | 2): DecodedKey {
  return {
    key: local.subarray(1 + 8 * times),
    t1: readOrderedInt64(local, 1),
    t2: times === 2 ? readOrderedInt64(local, 9) : NaN,
  };
}
