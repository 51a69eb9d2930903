/**
 * Writes a streamed response one piece at a time with bounded buffering.
 *
 * - Over HTTP/2 each piece is written only after the previous one has been flushed, so that each
 *   becomes its own DATA frame (the npm `ksqldb-client` JSON-parses every frame on its own).
 * - Pieces written before `begin()` wait behind the header, so a query may deliver rows while the
 *   header is still being decided.
 * - When more than `maxBufferedBytes` are waiting (a slow client), `write` returns false and the
 *   caller drops the query with an error instead of growing memory.
 */
import type { ServerResponse } from 'node:http';

export interface StreamWriterOptions {
  readonly framePerWrite: boolean;
  readonly maxBufferedBytes: number;
}

export class StreamWriter {
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private writing = false;
  private started = false;
  private ending: string | undefined;
  private ended = false;
  closed = false;

  constructor(private readonly res: ServerResponse, private readonly options: StreamWriterOptions) {
    res.on('close', () => { this.closed = true; });
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Sends the status and headers, then `first` ahead of anything written so far. */
  begin(status: number, headers: Record<string, string>, first?: string): void {
    if (this.closed || this.started) return;
    this.res.writeHead(status, headers);
    this.started = true;
    if (first !== undefined) {
      this.queue.unshift(first);
      this.queuedBytes += first.length;
    }
    this.pump();
  }

  /** Queues a piece; false when the client is too slow (the buffer bound is exceeded). */
  write(piece: string): boolean {
    if (this.closed || this.ending !== undefined) return !this.closed;
    this.queue.push(piece);
    this.queuedBytes += piece.length;
    this.pump();
    return this.queuedBytes + (this.res.writableLength ?? 0) <= this.options.maxBufferedBytes;
  }

  /** Ends the response after everything queued (plus `last`). */
  end(last?: string): void {
    if (this.ending !== undefined || this.ended) return;
    this.ending = last ?? '';
    this.pump();
  }

  /** Drops whatever is queued and ends now (slow client, shutdown). */
  abort(last?: string): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.ending = last ?? '';
    this.pump();
  }

  private pump(): void {
    if (!this.started || this.writing || this.ended) return;
    if (this.closed) {
      this.ended = true;
      return;
    }
    if (this.queue.length === 0) {
      if (this.ending !== undefined) {
        this.ended = true;
        if (this.ending) this.res.end(this.ending);
        else this.res.end();
      }
      return;
    }
    if (!this.options.framePerWrite) {
      const all = this.queue.join('');
      this.queue.length = 0;
      this.queuedBytes = 0;
      const ok = this.res.write(all);
      if (!ok) {
        this.writing = true;
        this.res.once('drain', () => { this.writing = false; this.pump(); });
      } else if (this.ending !== undefined) {
        this.pump();
      }
      return;
    }
    const piece = this.queue.shift()!;
    this.queuedBytes -= piece.length;
    this.writing = true;
    this.res.write(piece, () => {
      this.writing = false;
      this.pump();
    });
  }
}
