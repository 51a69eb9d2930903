/**
 * The metastore: streams, tables and custom types by name, plus which persistent queries read
 * from and write to each source (for DROP dependency checks and DESCRIBE).
 */
import { KsqlException } from '../errors/index.js';
import type { SqlType } from '../types/sql-type.js';
import type { DataSource } from './source.js';

export class MetaStore {
  private readonly sources = new Map<string, DataSource>();
  private readonly types = new Map<string, SqlType>();
  private readonly readers = new Map<string, Set<string>>();
  private readonly writers = new Map<string, Set<string>>();

  /**
   * A copy for a sandboxed engine: its own maps over the same (immutable) sources and types, so
   * adding, replacing or dropping in the copy leaves this store alone. Costs one pointer per entry.
   */
  copy(): MetaStore {
    const c = new MetaStore();
    for (const [k, v] of this.sources) c.sources.set(k, v);
    for (const [k, v] of this.types) c.types.set(k, v);
    for (const [k, v] of this.readers) c.readers.set(k, new Set(v));
    for (const [k, v] of this.writers) c.writers.set(k, new Set(v));
    return c;
  }

  getSource(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  allSources(): DataSource[] {
    return [...this.sources.values()];
  }

  putSource(source: DataSource, allowReplace = false): void {
    const existing = this.sources.get(source.name);
    if (existing && !allowReplace) {
      const kind = existing.kind === 'STREAM' ? 'stream' : 'table';
      throw new KsqlException(`Cannot add ${source.kind.toLowerCase()} '${source.name}': A ${kind} with the same name already exists`);
    }
    this.sources.set(source.name, source);
  }

  deleteSource(name: string): void {
    this.sources.delete(name);
    this.readers.delete(name);
    this.writers.delete(name);
  }

  getType(name: string): SqlType | undefined {
    return this.types.get(name);
  }

  allTypes(): [string, SqlType][] {
    return [...this.types.entries()];
  }

  putType(name: string, type: SqlType): void {
    this.types.set(name, type);
  }

  deleteType(name: string): boolean {
    return this.types.delete(name);
  }

  linkQuery(queryId: string, sourceNames: readonly string[], sinkName: string | undefined): void {
    for (const s of sourceNames) getOrCreate(this.readers, s).add(queryId);
    if (sinkName) getOrCreate(this.writers, sinkName).add(queryId);
  }

  unlinkQuery(queryId: string): void {
    for (const set of this.readers.values()) set.delete(queryId);
    for (const set of this.writers.values()) set.delete(queryId);
  }

  queriesReading(name: string): string[] {
    return [...(this.readers.get(name) ?? [])];
  }

  queriesWriting(name: string): string[] {
    return [...(this.writers.get(name) ?? [])];
  }
}

function getOrCreate<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  return s;
}
