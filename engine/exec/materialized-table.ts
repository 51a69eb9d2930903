/**
 * Materialized tables: what pull queries read (ksqlDB's `Materialization`).
 *
 * A pull query on a table asks its `MaterializedTable` for rows by key, by key range or by a full
 * scan, then applies the query's full WHERE clause and projection itself. Implementations may
 * therefore return a superset of the matching rows (e.g. ignore the window bounds); they must never
 * miss a row.
 *
 * Two implementations are intended:
 * - `TopicMaterializedTable` (here): keeps the latest record per key of the table's topic in memory,
 *   catching up to the topic's end offsets before each read. It needs no state store, works for
 *   CTAS sinks (whose topic is the table's changelog) and CREATE SOURCE TABLE topics, and is exactly
 *   consistent with what the persistent query has written.
 * - A store-backed one from the stateful work (RocksDB `KeyValueStore` / `WindowStore` /
 *   `SessionStore` of the query that builds the table). It registers itself through
 *   `MaterializationProvider`; the pull-query code does not change.
 *
 * Rows use the table's logical schema: `key` holds the key columns in schema order and `value` the
 * value-side columns (including header columns) in schema order.
 */
import type { DataSource } from '../catalog/source.js';
import { keyColumns, serializedValueColumns, valueColumns } from '../catalog/schema.js';
import type { ConsumedRecord, RecordHeader, Topics } from '../topics/topics.js';
import { rowSerde } from '../runtime/serdes.js';
import { decodeWindowedKey } from '../runtime/windowing.js';

export interface MaterializedRow {
  readonly key: readonly unknown[];
  readonly value: readonly unknown[];
  /** The row's timestamp (ROWTIME). */
  readonly rowtime: number;
  /** Present for windowed tables. */
  readonly window?: { readonly start: number; readonly end: number };
  readonly partition: number;
  readonly offset: number;
  /** The serialised key, when known: scans return rows in key-byte order (RocksDB's order). */
  readonly keyBytes?: Buffer;
}

/** Window-start / window-end bounds a pull query puts on a windowed table (inclusive, optional). */
export interface WindowBoundsFilter {
  readonly startFrom?: number;
  readonly startTo?: number;
  readonly endFrom?: number;
  readonly endTo?: number;
}

/**
 * Read access to one materialized table. All methods read a consistent snapshot taken when the
 * returned promise resolves. Keys are compared by value (the key columns' runtime values).
 */
export interface MaterializedTable {
  readonly windowed: boolean;
  /** Rows with exactly this key (one for non-windowed tables, one per window otherwise). */
  get(key: readonly unknown[], windows?: WindowBoundsFilter): Promise<MaterializedRow[]>;
  /** Every row (table scan). Ranges on keys are served by scanning and filtering. */
  scan(windows?: WindowBoundsFilter): Promise<MaterializedRow[]>;
}

/**
 * Returns the materialization of a queryable table, or undefined to fall back to the default
 * (topic-backed) one. The stateful work plugs its store-backed tables in here.
 */
export type MaterializationProvider = (source: DataSource) => MaterializedTable | undefined;

/** Whether a pull query may read `source` (ksqlDB: CTAS sinks and CREATE SOURCE TABLE). */
export function isQueryableTable(source: DataSource): boolean {
  return source.kind === 'TABLE' && (source.isSink || source.isSource);
}

function inWindow(w: { start: number; end: number } | undefined, f: WindowBoundsFilter | undefined): boolean {
  if (!w || !f) return true;
  return (f.startFrom === undefined || w.start >= f.startFrom) && (f.startTo === undefined || w.start <= f.startTo)
    && (f.endFrom === undefined || w.end >= f.endFrom) && (f.endTo === undefined || w.end <= f.endTo);
}

/**
 * The latest record per (key bytes, window) of a table's topic, kept in memory and caught up to the
 * end offsets on every read. Tombstones remove entries. Records that cannot be deserialised are
 * skipped (the persistent query logs them).
 */
export class TopicMaterializedTable implements MaterializedTable {
  readonly windowed: boolean;
  /** key text → (key bytes + window id → row) */
  private readonly rows = new Map<string, Map<string, MaterializedRow>>();
  /** key bytes + window id → key text, to apply tombstones without deserialising. */
  private readonly ids = new Map<string, string>();
  private readonly offsets = new Map<number, number>();
  private readonly keySerde;
  private readonly valueSerde;
  private readonly valueCols;
  private catchingUp: Promise<void> | undefined;

  constructor(private readonly source: DataSource, private readonly topics: Topics) {
    this.windowed = source.window !== undefined;
    this.keySerde = rowSerde(source.keyFormat, keyColumns(source.schema), 'key');
    this.valueSerde = rowSerde(source.valueFormat, serializedValueColumns(source.schema), 'value');
    this.valueCols = valueColumns(source.schema);
  }

  async get(key: readonly unknown[], windows?: WindowBoundsFilter): Promise<MaterializedRow[]> {
    await this.catchUp();
    const rows = this.rows.get(keyString(key));
    return rows ? [...rows.values()].filter((r) => inWindow(r.window, windows)).sort(byKeyBytes) : [];
  }

  async scan(windows?: WindowBoundsFilter): Promise<MaterializedRow[]> {
    await this.catchUp();
    const out: MaterializedRow[] = [];
    for (const rows of this.rows.values()) for (const r of rows.values()) if (inWindow(r.window, windows)) out.push(r);
    return out.sort(byKeyBytes);
  }

  private catchUp(): Promise<void> {
    // Concurrent readers share one catch-up pass.
    this.catchingUp ??= this.readToEnd().finally(() => { this.catchingUp = undefined; });
    return this.catchingUp;
  }

  private async readToEnd(): Promise<void> {
    const desc = await this.topics.describeTopic(this.source.topic);
    if (!desc) return;
    for (let p = 0; p < desc.partitions; p++) {
      const end = await this.topics.endOffset(this.source.topic, p);
      let offset = this.offsets.get(p) ?? (await this.topics.startOffset(this.source.topic, p));
      while (offset < end) {
        const batch = await this.topics.read(this.source.topic, p, offset, 1000, 0);
        if (batch.length === 0) break;
        for (const r of batch) this.apply(r);
        offset = batch[batch.length - 1]!.offset + 1;
      }
      this.offsets.set(p, offset);
    }
  }

  private remove(id: string): void {
    const ks = this.ids.get(id);
    if (ks === undefined) return;
    this.ids.delete(id);
    const rows = this.rows.get(ks);
    rows?.delete(id);
    if (rows && rows.size === 0) this.rows.delete(ks);
  }

  private apply(r: ConsumedRecord): void {
    if (r.key === null) return;
    let keyBytes: Buffer = r.key;
    let window: { start: number; end: number } | undefined;
    if (this.source.window) {
      const w = decodeWindowedKey(r.key, this.source.window.type, this.source.window.sizeMs);
      keyBytes = w.inner;
      window = { start: w.start, end: w.end };
    }
    const id = keyBytes.toString('base64') + (window ? `@${window.start}` + (this.source.window?.type === 'SESSION' ? `-${window.end}` : '') : '');
    if (r.value === null) {
      this.remove(id);
      return;
    }
    try {
      const key = this.keySerde.deserialize(keyBytes) ?? [];
      const value = this.valueSerde.deserialize(r.value);
      if (value === null) {
        this.remove(id);
        return;
      }
      const full: unknown[] = [];
      let v = 0;
      for (const c of this.valueCols) {
        if (c.namespace === 'VALUE') full.push(value[v++] ?? null);
        else if (c.namespace === 'HEADERS') full.push(r.headers.map((h) => ({ KEY: h.key, VALUE: h.value })));
        else full.push(lastHeader(r.headers, c.headerKey!));
      }
      const ks = keyString(key);
      let rows = this.rows.get(ks);
      if (!rows) this.rows.set(ks, (rows = new Map()));
      rows.set(id, { key, value: full, rowtime: r.timestamp, ...(window ? { window } : {}), partition: r.partition, offset: r.offset, keyBytes });
      this.ids.set(id, ks);
    } catch {
      // undeserialisable record: the query that wrote it (or the source topic's producer) is at fault
    }
  }
}

function byKeyBytes(a: MaterializedRow, b: MaterializedRow): number {
  const c = a.keyBytes && b.keyBytes ? Buffer.compare(a.keyBytes, b.keyBytes) : 0;
  return c !== 0 ? c : (a.window?.start ?? 0) - (b.window?.start ?? 0);
}

function lastHeader(headers: readonly RecordHeader[], key: string): Buffer | null {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]!.key === key) return headers[i]!.value;
  return null;
}

/** A stable text form of key values for equality (numbers, strings, structs, decimals, bytes). */
export function keyString(key: readonly unknown[]): string {
  return JSON.stringify(key, (_k, v) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v && typeof v === 'object' && 'type' in v && (v as { type: unknown }).type === 'Buffer') return v;
    if (v instanceof Map) return Object.fromEntries(v);
    if (v && typeof v === 'object' && typeof (v as { toPlainString?: unknown }).toPlainString === 'function') {
      return `dec:${(v as { toPlainString(): string }).toPlainString()}`;
    }
    return v;
  });
}
