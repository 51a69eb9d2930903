/**
 * TUMBLING / HOPPING aggregation over a window store (Kafka Streams' KStreamWindowAggregate).
 *
 * - The operator tracks its own observed stream time (records that reach it); a record is added
 *   to each window containing it whose end is after `observed − grace`, otherwise dropped as late.
 * - EMIT CHANGES: every update is forwarded, timestamped with the max record time of the window.
 * - EMIT FINAL (Kafka Streams' EmitStrategy.onWindowClose, which ksqlDB uses): when the close time
 *   `observed − grace` advances, windows with start in [lower, closeTime − size] are emitted once,
 *   where lower = 0 for the first emission and max(0, lastClose − size) afterwards, further
 *   limited to starts ≥ (latest window start written) − retention: the time-ordered window store
 *   that backs the strategy hides windows older than its retention from range fetches. (This is
 *   why, in ksqlDB, windows that closed long before a jump in stream time are never emitted.)
 */
import type { AggregateStep, WindowSpec } from '../../physical/steps.js';
import type { KeyValueStore, WindowStore } from '../../state/stores.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec } from '../record.js';
import { Aggregator, KEY_SERIALIZER, metaStore, requireState, VALUE_SERIALIZER, type StoredAggregate } from './aggregator.js';
import { SessionAggregateOp } from './session-aggregate.js';
import { flushedRecord } from './aggregate.js';
import { cachingKeyValueStore } from '../../state/caching-store.js';
import { orderedKeySerializer, valueSerializer } from '../../state/codec.js';
import { cacheMaxBytes } from '../plan-info.js';

const NO_TIME = -1;

/** Window starts containing `ts`, in start order (Kafka Streams' TimeWindows.windowsFor). */
export function windowStartsFor(ts: number, size: number, advance: number): number[] {
  let start = Math.floor(Math.max(0, ts - size + advance) / advance) * advance;
  const out: number[] = [];
  while (start <= ts) {
    out.push(start);
    start += advance;
  }
  return out;
}

class WindowedAggregateOp implements Operator {
  private observed: number;
  private lastEmitClose: number;
  private maxStart: number;
  private readonly size: number;
  private readonly advance: number;

  constructor(
    private readonly spec: WindowSpec,
    private readonly emitFinal: boolean,
    private readonly agg: Aggregator,
    private readonly store: WindowStore<unknown[], StoredAggregate>,
    private readonly meta: KeyValueStore<string, number>,
    private readonly downstream: Downstream,
    /** Write-back cache in front of the window store (EMIT CHANGES with cache.max.bytes.buffering > 0). */
    private readonly sendOld: boolean,
    private readonly cache?: KeyValueStore<[unknown[], number], StoredAggregate>,
  ) {
    this.size = spec.sizeMs!;
    this.advance = spec.advanceMs ?? this.size;
    this.observed = meta.get('observed') ?? NO_TIME;
    this.lastEmitClose = meta.get('lastEmitClose') ?? NO_TIME;
    this.maxStart = meta.get('maxStart') ?? NO_TIME;
  }

  process(rec: Rec): void {
    const row = rec.row;
    if (row === null) return;
    if (rec.ts > this.observed) {
      this.observed = rec.ts;
      this.meta.put('observed', this.observed);
    }
    const closeTime = this.observed - this.spec.graceMs;
    for (const start of windowStartsFor(rec.ts, this.size, this.advance)) {
      const end = start + this.size;
      if (end <= closeTime) continue; // late: the window has closed
      const stored = this.cache ? this.cache.get([rec.key, start]) : this.store.fetch(rec.key, start);
      const oldAccs = stored === undefined ? this.agg.initialize() : stored.slice(1);
      const ts = stored === undefined ? rec.ts : Math.max(rec.ts, stored[0] as number);
      const newAccs = this.agg.add(row, oldAccs);
      if (this.cache) this.cache.put([rec.key, start], [ts, ...newAccs]);
      else this.store.put(rec.key, start, [ts, ...newAccs]);
      if (start > this.maxStart) {
        this.maxStart = start;
        this.meta.put('maxStart', start);
      }
      if (!this.emitFinal && !this.cache) {
        const window = { start, end };
        this.downstream({
          ...rec, ts, window,
          row: this.agg.result(rec.key, newAccs, window),
          oldRow: this.sendOld ? this.agg.result(rec.key, oldAccs, window) : undefined,
        });
      }
    }
    if (this.emitFinal) this.emitClosed(rec, closeTime);
  }

  private emitClosed(rec: Rec, closeTime: number): void {
    if (this.lastEmitClose !== NO_TIME && this.lastEmitClose >= closeTime) return;
    const upper = closeTime - this.size;
    if (upper < 0) return;
    const lower = this.lastEmitClose === NO_TIME ? 0 : Math.max(0, this.lastEmitClose - this.size);
    const from = Math.max(lower, this.maxStart - this.spec.retentionMs);
    if (upper >= from) {
      for (const [key, start, stored] of this.store.fetchAll(from, upper)) {
        const window = { start, end: start + this.size };
        this.downstream({
          ...rec, key, ts: stored[0] as number, window,
          row: this.agg.result(key, stored.slice(1), window),
          oldRow: this.sendOld ? null : undefined,
        });
      }
    }
    this.lastEmitClose = closeTime;
    this.meta.put('lastEmitClose', closeTime);
  }

  punctuate(): void {
    // Windows that can no longer be updated or emitted are dropped from the store.
    if (this.observed !== NO_TIME) this.store.expireBefore(this.observed - this.spec.retentionMs - this.size);
  }
}

const WINDOW_KEY_SERIALIZER = orderedKeySerializer<[unknown[], number]>();

/** A window store seen as a key-value store keyed by [key, window start] (what the write-back cache wraps). */
function windowAsKeyValue<V>(store: WindowStore<unknown[], V>): KeyValueStore<[unknown[], number], V> {
  return {
    name: store.name,
    get: ([k, start]) => store.fetch(k, start),
    put: ([k, start], v) => store.put(k, start, v),
    delete: ([k, start]) => store.put(k, start, null),
    range: () => { throw new Error('range over a cached window store is not supported'); },
    all: () => { throw new Error('scan over a cached window store is not supported'); },
    approximateCount: () => 0,
  };
}

export const buildWindowedAggregate: OperatorBuilder<AggregateStep> = (step, ctx, downstream, build) => {
  const spec = step.window!;
  const state = requireState(ctx, step.id);
  const agg = new Aggregator(step, ctx);
  const meta = metaStore(state, step.storeName);
  const sendOld = step.sendOldValues === true;
  let op: Operator;
  if (spec.type === 'SESSION') {
    const store = state.sessionStore(step.storeName, { keySerializer: KEY_SERIALIZER, valueSerializer: VALUE_SERIALIZER, retentionMs: spec.retentionMs });
    const byEnd = step.emitFinal ? state.keyValueStore<[number, number, unknown[]], number>(`${step.storeName}-by-end`, {
      keySerializer: orderedKeySerializer<[number, number, unknown[]]>(), valueSerializer: valueSerializer<number>(),
    }) : undefined;
    op = new SessionAggregateOp(spec, step.emitFinal === true, agg, store, meta, downstream, sendOld, byEnd);
  } else {
    const store = state.windowStore(step.storeName, {
      keySerializer: KEY_SERIALIZER, valueSerializer: VALUE_SERIALIZER, retentionMs: spec.retentionMs, windowSizeMs: spec.sizeMs!,
    });
    const maxBytes = cacheMaxBytes(ctx.properties);
    const size = spec.sizeMs!;
    const cache = maxBytes === 0 || step.emitFinal ? undefined : cachingKeyValueStore(state, windowAsKeyValue(store), {
      maxBytes, keySerializer: WINDOW_KEY_SERIALIZER, sendOldValues: sendOld,
      onFlush: (e) => downstream(flushedRecord(agg, e.key[0], e.newValue, e.oldValue, { start: e.key[1], end: e.key[1] + size }, ctx.partition, sendOld)),
    });
    op = new WindowedAggregateOp(spec, step.emitFinal === true, agg, store, meta, downstream, sendOld, cache);
  }
  build(step.source, (rec) => op.process(rec));
  return op;
};

