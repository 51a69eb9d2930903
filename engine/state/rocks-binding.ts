/**
 * The only file that touches `@nxtedition/rocksdb`. The binding's public API is abstract-level's
 * (callback/promise based); its synchronous paths are underscore methods of `RocksLevel`,
 * `ChainedBatch` and `Iterator` (`_getManySync`, `_writeSync`, `_seekSync`, `_nextvSync`,
 * `_closeSync`). The operator core needs synchronous reads, so we use them here and nowhere else:
 * if a binding upgrade renames them, this file is the whole blast radius.
 *
 * Sync closes bypass abstract-level's resource tracking, so we detach resources ourselves
 * (otherwise every iterator and batch would stay referenced by the db until close).
 */
import { createRequire } from 'node:module';

interface NativeIterator {
  _nextvSync(size: number, options: object): { rows: Buffer[]; finished: boolean };
  _closeSync(): void;
}

interface NativeBatch {
  _put(key: Buffer, value: Buffer, options: object): void;
  _del(key: Buffer, options: object): void;
  _writeSync(options: { sync?: boolean }): void;
  _closeSync(): void;
  readonly length: number;
}

interface NativeDb {
  readonly status: string;
  open(options?: object): Promise<void>;
  close(): Promise<void>;
  batch(): NativeBatch;
  iterator(options: object): NativeIterator;
  detachResource(resource: object): void;
  _getManySync(keys: Buffer[], options: object): (Buffer | undefined | null)[];
  getProperty(name: string): string;
}

// The package ships no type declarations; a typed require keeps the `any` inside this file.
const require = createRequire(import.meta.url);
const { RocksLevel } = require('@nxtedition/rocksdb') as { RocksLevel: new (location: string) => NativeDb };

/** RocksDB options accepted by the binding's `open` (see its binding.cc `InitOptions`). */
export interface RocksOpenOptions {
  /** Block cache bytes per database (binding default 8 MiB). */
  readonly cacheSize?: number;
  /** Background threads hint (binding default: half the cores; RocksDB's env pool is process-wide). */
  readonly parallelism?: number;
  readonly compression?: boolean;
  readonly [option: string]: unknown;
}

const EMPTY = {};
const BUFFERS = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;

export interface ScanBounds {
  readonly gte?: Buffer;
  readonly gt?: Buffer;
  readonly lt?: Buffer;
  readonly lte?: Buffer;
  /** Skip value copies when only keys are needed (counts, expiry scans). */
  readonly keysOnly?: boolean;
}

/** A synchronously readable RocksDB instance with atomic batch writes. */
export class RocksDb {
  private constructor(private readonly db: NativeDb, readonly location: string) {}

  static async open(location: string, options: RocksOpenOptions = {}): Promise<RocksDb> {
    const db = new RocksLevel(location);
    await db.open({ createIfMissing: true, ...options });
    return new RocksDb(db, location);
  }

  get isOpen(): boolean {
    return this.db.status === 'open';
  }

  get(key: Buffer): Buffer | undefined {
    const v = this.db._getManySync([key], EMPTY)[0];
    return v ?? undefined;
  }

  getMany(keys: Buffer[]): (Buffer | undefined)[] {
    return this.db._getManySync(keys, EMPTY).map((v) => v ?? undefined);
  }

  /**
   * Synchronous ordered scan, pulling `chunk` entries per native call. Yields [key, value] (value
   * is an empty buffer with `keysOnly`). The native iterator reads an implicit snapshot taken at
   * creation and is closed when the generator finishes or is returned early.
   */
  *scan(bounds: ScanBounds, chunk = 256): Generator<[Buffer, Buffer]> {
    const options: Record<string, unknown> = { ...BUFFERS, values: !bounds.keysOnly };
    // abstract-level encodes every range option present, so absent bounds must be absent keys.
    if (bounds.gte) options.gte = bounds.gte;
    if (bounds.gt) options.gt = bounds.gt;
    if (bounds.lt) options.lt = bounds.lt;
    if (bounds.lte) options.lte = bounds.lte;
    const it = this.db.iterator(options);
    // The native side tracks open iterators itself (closes them on db close, detaches on
    // finalise), so abstract-level's strong reference is only a leak for generators that are
    // dropped without being finished or returned.
    this.db.detachResource(it);
    const empty = Buffer.alloc(0);
    try {
      let size = 16; // small first read: many scans stop after a few entries
      for (;;) {
        if (this.db.status !== 'open') throw new Error(`RocksDB ${this.location} was closed during a scan`);
        const { rows, finished } = it._nextvSync(size, EMPTY);
        for (let i = 0; i < rows.length; i += 2) yield [rows[i]!, rows[i + 1] ?? empty];
        if (finished) return;
        size = chunk;
      }
    } finally {
      if (this.db.status === 'open') it._closeSync();
    }
  }

  /** Applies puts (value Buffer) and deletes (value null) atomically; `sync` fsyncs the WAL. */
  write(entries: Iterable<readonly [Buffer, Buffer | null]>, sync: boolean): number {
    const batch = this.db.batch();
    let n = 0;
    try {
      for (const [k, v] of entries) {
        if (v === null) batch._del(k, EMPTY);
        else batch._put(k, v, EMPTY);
        n++;
      }
      batch._writeSync({ sync });
    } finally {
      batch._closeSync();
      this.db.detachResource(batch);
    }
    return n;
  }

  property(name: string): string {
    return this.db.getProperty(name);
  }

  async close(): Promise<void> {
    if (this.db.status === 'open') await this.db.close();
  }
}
