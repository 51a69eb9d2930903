/**
 * SESSION aggregation over a session store (Kafka Streams' KStreamSessionWindowAggregate).
 *
 * A record at `ts` merges every session of its key that ends at or after `ts − gap` and starts at
 * or before `ts + gap` into one session. Unless the merged session ends before the close time
 * (`observed − grace`, then the record is late and dropped), the merged sessions are removed and a
 * tombstone is forwarded for each (timestamped with its end), then the merged result (timestamped
 * with the merged end). Accumulators of merged sessions combine with the functions' `merge`.
 *
 * EMIT FINAL emits each session once, when the close time passes its end.
 */
import type { WindowSpec } from '../../physical/steps.js';
import type { KeyValueStore, SessionStore, SessionWindow } from '../../state/stores.js';
import type { Downstream, Operator } from '../operator.js';
import type { Rec } from '../record.js';
import type { Aggregator, StoredAggregate } from './aggregator.js';

const NO_TIME = -1;

export class SessionAggregateOp implements Operator {
  private observed: number;
  private lastEmitClose: number;
  private readonly gap: number;

  constructor(
    private readonly spec: WindowSpec,
    private readonly emitFinal: boolean,
    private readonly agg: Aggregator,
    private readonly store: SessionStore<unknown[], StoredAggregate>,
    private readonly meta: KeyValueStore<string, number>,
    private readonly downstream: Downstream,
    private readonly sendOld: boolean,
    /** EMIT FINAL: sessions by [end, start, key], so closed ones are found by a range scan. */
    private readonly byEnd?: KeyValueStore<[number, number, unknown[]], number>,
  ) {
    this.gap = spec.gapMs!;
    this.observed = meta.get('observed') ?? NO_TIME;
    this.lastEmitClose = meta.get('lastEmitClose') ?? NO_TIME;
  }

  process(rec: Rec): void {
    const row = rec.row;
    if (row === null) return;
    const ts = rec.ts;
    if (ts > this.observed) {
      this.observed = ts;
      this.meta.put('observed', ts);
    }
    const closeTime = this.observed - this.spec.graceMs;
    const merged: [SessionWindow, StoredAggregate][] = [...this.store.findSessions(rec.key, ts - this.gap, ts + this.gap)];
    let accs = this.agg.initialize();
    let start = ts;
    let end = ts;
    for (const [w, stored] of merged) {
      accs = this.agg.merge(accs, stored);
      if (w.start < start) start = w.start;
      if (w.end > end) end = w.end;
    }
    if (end < closeTime) {
      if (this.emitFinal) this.emitClosed(rec, closeTime);
      return; // late
    }
    if (start !== ts || end !== ts) {
      for (const [w, stored] of merged) {
        this.store.remove(rec.key, w);
        this.byEnd?.delete([w.end, w.start, rec.key]);
        if (!this.emitFinal) {
          this.downstream({ ...rec, ts: w.end, window: w, row: null, oldRow: this.sendOld ? this.agg.result(rec.key, stored, w) : undefined });
        }
      }
    }
    accs = this.agg.add(row, accs);
    const window = { start, end };
    this.store.put(rec.key, window, accs);
    this.byEnd?.put([end, start, rec.key], 1);
    if (!this.emitFinal) {
      this.downstream({ ...rec, ts: end, window, row: this.agg.result(rec.key, accs, window), oldRow: this.sendOld ? null : undefined });
    } else {
      this.emitClosed(rec, closeTime);
    }
  }

  /** Emits sessions that ended before the close time and were not emitted yet. */
  private emitClosed(rec: Rec, closeTime: number): void {
    if (this.lastEmitClose !== NO_TIME && this.lastEmitClose >= closeTime) return;
    if (this.byEnd) {
      const from = this.lastEmitClose === NO_TIME ? Number.MIN_SAFE_INTEGER : this.lastEmitClose;
      const closed = [...this.byEnd.range([from, Number.MIN_SAFE_INTEGER, []], [closeTime - 1, Number.MAX_SAFE_INTEGER, []])];
      for (const [[end, start, key]] of closed) {
        const w = { start, end };
        const stored = [...this.store.findSessions(key, end, start)].find(([x]) => x.start === start && x.end === end)?.[1];
        if (stored !== undefined) {
          this.downstream({ ...rec, key, ts: end, window: w, row: this.agg.result(key, stored, w), oldRow: this.sendOld ? null : undefined });
        }
        this.byEnd.delete([end, start, key]);
      }
    }
    this.lastEmitClose = closeTime;
    this.meta.put('lastEmitClose', closeTime);
  }

  punctuate(): void {
    if (this.observed !== NO_TIME) this.store.expireBefore(this.observed - this.spec.retentionMs);
  }
}
