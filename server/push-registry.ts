/**
 * The transient push queries a server is running, by id: `/close-query` and `TERMINATE <id>` end
 * them, a closed connection ends its own, and `ksql.max.push.queries` bounds how many run at once.
 */
import type { TransientQuery, TransientRun } from '../engine/index.js';

export interface RunningPush {
  readonly query: TransientQuery;
  readonly run: TransientRun;
  /** Ends the query and its response (an optional in-stream error for the client). */
  close(error?: string): void;
}

export class PushRegistry {
  private readonly running = new Map<string, RunningPush>();

  constructor(readonly maxQueries: number) {}

  get size(): number {
    return this.running.size;
  }

  has(id: string): boolean {
    return this.running.has(id);
  }

  add(p: RunningPush): void {
    this.running.set(p.query.queryId, p);
  }

  remove(id: string): void {
    this.running.delete(id);
  }

  /** Closes a query; false when the id is unknown. */
  close(id: string): boolean {
    const p = this.running.get(id);
    if (!p) return false;
    this.running.delete(id);
    p.close();
    return true;
  }

  list(): RunningPush[] {
    return [...this.running.values()];
  }

  closeAll(): void {
    for (const id of [...this.running.keys()]) this.close(id);
  }
}
