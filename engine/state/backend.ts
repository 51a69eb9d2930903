import { mkdir, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { RocksOpenOptions } from './rocks-binding.js';
import type { StateBackend, TaskState } from './stores.js';
import { RocksTaskState } from './task-state.js';

export interface RocksStateBackendOptions {
  /**
   * fsync RocksDB's write-ahead log on every commit (default true). Without it a commit survives
   * a process crash (SIGKILL, OOM) but not a power loss or kernel crash; with it each commit costs
   * one fsync (≈0.2 ms on a local SSD, more on network disks), on the calling thread.
   */
  readonly syncCommits?: boolean;
  /** Passed to RocksDB's open for every task (cache size, compression, parallelism, ...). */
  readonly rocksOptions?: RocksOpenOptions;
}

/**
 * One RocksDB database per task, at `<dataDir>/state/<queryId>/<taskId>`.
 *
 * Why per task rather than one per query with per-task key prefixes: a task is the unit of
 * commit (one WriteBatch must cover exactly its stores and offsets), of parallelism (tasks run on
 * different worker threads; a RocksLevel handle belongs to one thread) and of movement (in Kafka
 * mode a task's partition moves to another instance; its state directory is dropped or restored
 * as a whole, which is a directory removal instead of a range delete). The cost is a fixed
 * per-database overhead (memtable, block cache: 8 MiB by default, file handles), which
 * `rocksOptions.cacheSize` and friends bound when a query has many partitions.
 * Stores within a task share the database under 3-byte key prefixes (keyspace.ts), since column
 * families would have to be declared before open while stores are created lazily by operators.
 */
export class RocksStateBackend implements StateBackend {
  private readonly tasks = new Map<string, Promise<RocksTaskState>>();
  private closed = false;

  constructor(readonly dataDir: string, private readonly options: RocksStateBackendOptions = {}) {}

  taskPath(queryId: string, taskId: string): string {
    return join(this.queryPath(queryId), pathSegment(taskId));
  }

  openTask(queryId: string, taskId: string): Promise<TaskState> {
    if (this.closed) return Promise.reject(new Error('State backend is closed'));
    const path = this.taskPath(queryId, taskId);
    if (this.tasks.has(path)) return Promise.reject(new Error(`Task ${queryId}/${taskId} is already open`));
    const opening = (async () => {
      await mkdir(path, { recursive: true });
      return RocksTaskState.open(path, {
        syncCommits: this.options.syncCommits ?? true,
        ...(this.options.rocksOptions ? { rocksOptions: this.options.rocksOptions } : {}),
        onClose: () => this.tasks.delete(path),
      });
    })();
    this.tasks.set(path, opening);
    opening.catch(() => this.tasks.delete(path));
    return opening;
  }

  async destroyQuery(queryId: string): Promise<void> {
    const dir = this.queryPath(queryId);
    await Promise.all([...this.tasks].filter(([p]) => p.startsWith(dir + sep)).map(async ([, t]) => (await t).close()));
    await rm(dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.tasks.values()].map(async (t) => (await t).close()));
  }

  private queryPath(queryId: string): string {
    return join(this.dataDir, 'state', pathSegment(queryId));
  }
}

export function createRocksStateBackend(dataDir: string, options?: RocksStateBackendOptions): RocksStateBackend {
  return new RocksStateBackend(dataDir, options);
}

/** Ids become single path segments: no separators, no `.`/`..`. */
function pathSegment(id: string): string {
  if (id === '') throw new Error('Empty query or task id');
  const seg = encodeURIComponent(id);
  return seg === '.' || seg === '..' ? seg.replace(/\./g, '%2E') : seg;
}
