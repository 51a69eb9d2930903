/**
 * The processing log: where record-level failures go instead of stopping a query (ksqlDB's
 * `KSQL_PROCESSING_LOG`). Entries are kept in a bounded in-memory ring and handed to listeners
 * (the engine writes them to the processing-log topic).
 */
export type ProcessingLogType = 'DESERIALIZATION_ERROR' | 'RECORD_PROCESSING_ERROR' | 'PRODUCTION_ERROR' | 'SERIALIZATION_ERROR';

export interface ProcessingLogEntry {
  readonly time: number;
  readonly queryId: string;
  readonly type: ProcessingLogType;
  readonly message: string;
  readonly topic?: string;
  readonly record?: string;
}

export class ProcessingLog {
  private readonly entries: ProcessingLogEntry[] = [];
  private readonly listeners = new Set<(e: ProcessingLogEntry) => void>();

  constructor(private readonly capacity = 1000, private readonly clock: () => number = Date.now) {}

  log(entry: Omit<ProcessingLogEntry, 'time'>): void {
    const full = { ...entry, time: this.clock() };
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.shift();
    for (const l of this.listeners) l(full);
  }

  recent(): readonly ProcessingLogEntry[] {
    return this.entries;
  }

  subscribe(listener: (e: ProcessingLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
