/**
 * Stream-stream join (Kafka Streams' KStreamKStreamJoin). Each side's records are kept in a window
 * store (a list of rows per key and timestamp); a record joins the other side's records with
 * left.ts − before ≤ right.ts ≤ left.ts + after, and the result carries the larger timestamp.
 *
 * A store hides records older than its own observed stream time − retention (retention =
 * before + after + grace), as a RocksDB window store does, so late records stop matching.
 *
 * Outer results (the side that must appear without a match):
 * - without GRACE PERIOD (legacy JoinWindows.of): emitted at once when a record finds no match;
 * - with GRACE PERIOD (spurious-result fix): the record waits in an outer store, ordered by
 *   timestamp, until stream time passes its window end + grace; a match removes it. A record that
 *   is already too late to be matched is emitted at once.
 */
import type { JoinStep } from '../../physical/steps.js';
import type { KeyValueStore, WindowStore } from '../../state/stores.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import {
  hasNullKey, JOIN_KEY_SERIALIZER, JoinClock, joinState, JoinRows, matchKey, ROWS_SERIALIZER,
} from './join-common.js';

const DEFAULT_GRACE_BASE = 24 * 60 * 60 * 1000;

/** Clock slots: shared stream time, min time in the outer store, observed time of each store. */
const STREAM_TIME = 0, MIN_TIME = 1, OBSERVED = 2;

class StreamStreamJoinOp implements Operator {
  private readonly graceMs: number;
  private readonly retentionMs: number;
  private readonly outerSides: readonly [boolean, boolean];
  private readonly lastExpiry: [number, number] = [-1, -1];

  constructor(
    private readonly step: JoinStep,
    private readonly stores: readonly [WindowStore<unknown[], unknown[][]>, WindowStore<unknown[], unknown[][]>],
    private readonly outer: KeyValueStore<unknown[], unknown[][]> | undefined,
    private readonly clock: JoinClock,
    private readonly rows: JoinRows,
    private readonly downstream: Downstream,
  ) {
    const before = step.beforeMs!;
    const after = step.afterMs!;
    this.graceMs = step.graceMs ?? Math.max(DEFAULT_GRACE_BASE - 2 * before, 0);
    this.retentionMs = before + after + this.graceMs;
    const t = step.joinType;
    this.outerSides = [t === 'LEFT' || t === 'FULL', t === 'RIGHT' || t === 'FULL'];
  }

  process(rec: Rec): void {
    this.processSide(0, rec);
  }

  processSide(side: 0 | 1, rec: Rec): void {
    if (rec.row === null || hasNullKey(rec)) return;
    const c = this.clock.values;
    const ts = rec.ts;
    const key = matchKey(rec);
    this.remember(side, key, ts, rec.row);
    const before = this.step.beforeMs!;
    const after = this.step.afterMs!;
    const timeFrom = Math.max(0, ts - (side === 0 ? before : after));
    const timeTo = Math.max(0, ts + (side === 0 ? after : before));
    c[STREAM_TIME] = Math.max(c[STREAM_TIME]!, ts);
    if (this.outer && ts === c[STREAM_TIME]) this.emitClosedOuter(rec, side === 0 ? after : before);

    const other = (1 - side) as 0 | 1;
    const from = Math.max(timeFrom, c[OBSERVED + other]! - this.retentionMs + 1);
    let matched = false;
    for (const [otherTs, otherRows] of this.stores[other].fetchRange(key, from, timeTo)) {
      this.outer?.delete([otherTs, other, ...key]);
      for (const otherRow of otherRows) {
        matched = true;
        const [l, r] = side === 0 ? [rec.row, otherRow] : [otherRow, rec.row];
        this.downstream({ ...rec, row: this.rows.row(rec.key[0], l, r), ts: Math.max(ts, otherTs), oldRow: undefined });
      }
    }
    if (!matched && this.outerSides[side]) {
      if (!this.outer || timeTo < c[STREAM_TIME]!) {
        this.emitPadded(rec, side, rec.row, rec.key, ts);
      } else {
        c[MIN_TIME] = Math.min(c[MIN_TIME]!, ts);
        const k = [ts, side, ...key];
        const waiting = this.outer.get(k) ?? [];
        waiting.push(rec.row);
        this.outer.put(k, waiting);
      }
    }
    this.clock.save();
  }

  private remember(side: 0 | 1, key: unknown[], ts: number, row: unknown[]): void {
    const store = this.stores[side];
    const list = store.fetch(key, ts) ?? [];
    list.push(row);
    store.put(key, ts, list);
    const c = this.clock.values;
    c[OBSERVED + side] = Math.max(c[OBSERVED + side]!, ts);
    const horizon = c[OBSERVED + side]! - this.retentionMs;
    // Expire in steps of half the retention (like segments) rather than on every record.
    if (horizon > this.lastExpiry[side] + this.retentionMs / 2) {
      store.expireBefore(horizon);
      this.lastExpiry[side] = horizon;
    }
  }

  private emitPadded(rec: Rec, side: 0 | 1, row: unknown[], key: unknown[], ts: number): void {
    const [l, r] = side === 0 ? [row, null] : [null, row];
    this.downstream({ ...rec, key, row: this.rows.row(key[0], l, r), ts, oldRow: undefined });
  }

  /** Emits waiting outer records whose window (plus grace) has closed, oldest first. */
  private emitClosedOuter(rec: Rec, lookAhead: number): void {
    const c = this.clock.values;
    if (c[MIN_TIME]! + lookAhead + this.graceMs >= c[STREAM_TIME]!) return;
    const done: unknown[][] = [];
    let min = Number.MAX_SAFE_INTEGER;
    for (const [k, rows] of this.outer!.all()) {
      const ts = k[0] as number;
      const side = k[1] as 0 | 1;
      const lookBack = side === 0 ? this.step.afterMs! : this.step.beforeMs!;
      if (ts + lookBack + this.graceMs >= c[STREAM_TIME]!) {
        min = Math.min(min, ts);
        continue;
      }
      const key = k.slice(2);
      const window = rec.window && key.length >= 2 ? { start: key[key.length - 2] as number, end: key[key.length - 1] as number } : null;
      const recordKey = window ? key.slice(0, -2) : key;
      for (const row of rows) this.emitPadded({ ...rec, window }, side, row, recordKey, ts);
      done.push(k);
    }
    for (const k of done) this.outer!.delete(k);
    c[MIN_TIME] = min;
  }
}

export const buildStreamStreamJoin: OperatorBuilder<JoinStep> = (step, ctx, downstream, build) => {
  const state = joinState(ctx, step);
  const size = step.beforeMs! + step.afterMs!;
  const grace = step.graceMs ?? Math.max(DEFAULT_GRACE_BASE - 2 * step.beforeMs!, 0);
  const opts = { keySerializer: JOIN_KEY_SERIALIZER, valueSerializer: ROWS_SERIALIZER, retentionMs: size + grace, windowSizeMs: size };
  const stores = [
    state.windowStore<unknown[], unknown[][]>(`${step.storeName}-this`, opts),
    state.windowStore<unknown[], unknown[][]>(`${step.storeName}-other`, opts),
  ] as const;
  const outerJoin = step.joinType !== 'INNER' && step.graceMs !== undefined;
  const outer = outerJoin
    ? state.keyValueStore<unknown[], unknown[][]>(`${step.storeName}-outer`, { keySerializer: JOIN_KEY_SERIALIZER, valueSerializer: ROWS_SERIALIZER })
    : undefined;
  const clock = new JoinClock(state, step.storeName, [-1, Number.MAX_SAFE_INTEGER, -1, -1]);
  const op = new StreamStreamJoinOp(step, stores, outer, clock, new JoinRows(step, true), downstream);
  build(step.sources[0], (rec) => op.processSide(0, rec));
  build(step.sources[1], (rec) => op.processSide(1, rec));
  return op;
};
