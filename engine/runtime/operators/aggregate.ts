/**
 * Non-windowed aggregation over a key-value store of [timestamp, ...accumulators] per group.
 *
 * Streams (Kafka Streams' KStreamAggregate): fold the row into the group's accumulators; the
 * output timestamp is the max of the record's and the stored one; the old row sent downstream is
 * the previous result, or the initial one for a new group.
 *
 * Tables (KTableAggregate): subtract the old row (when the group had state), then add the new
 * row; a group whose rows all left keeps its (e.g. zero) result. The old row sent downstream is
 * the previous result, or none for a new group.
 */
import type { AggregateStep } from '../../physical/steps.js';
import type { KeyValueStore } from '../../state/stores.js';
import type { Downstream, Operator, OperatorBuilder } from '../operator.js';
import type { Rec, WindowBounds } from '../record.js';
import { cachingKeyValueStore } from '../../state/caching-store.js';
import { cacheMaxBytes } from '../plan-info.js';
import { Aggregator, KEY_SERIALIZER, requireState, VALUE_SERIALIZER, type StoredAggregate } from './aggregator.js';

class StreamAggregateOp implements Operator {
  constructor(
    private readonly agg: Aggregator,
    private readonly store: KeyValueStore<unknown[], StoredAggregate>,
    private readonly downstream: Downstream,
    /** False when a write-back cache emits the updates when it flushes. */
    private readonly emit: boolean,
    private readonly sendOld: boolean,
    private readonly windowedSource: boolean,
  ) {}

  process(rec: Rec): void {
    const row = rec.row;
    if (row === null) return;
    const window = this.windowedSource ? rec.window : null;
    const storeKey = window ? [...rec.key, window.start, window.end] : rec.key;
    const stored = this.store.get(storeKey);
    const oldAccs = stored === undefined ? this.agg.initialize() : stored.slice(1);
    const ts = stored === undefined ? rec.ts : Math.max(rec.ts, stored[0] as number);
    const newAccs = this.agg.add(row, oldAccs);
    this.store.put(storeKey, [ts, ...newAccs]);
    if (this.emit) this.downstream({
      ...rec, ts, window,
      row: this.agg.result(rec.key, newAccs, window),
      oldRow: this.sendOld ? this.agg.result(rec.key, oldAccs, window) : undefined,
    });
  }
}

class TableAggregateOp implements Operator {
  constructor(
    private readonly agg: Aggregator,
    private readonly store: KeyValueStore<unknown[], StoredAggregate>,
    private readonly downstream: Downstream,
    private readonly emit: boolean,
    private readonly sendOld: boolean,
  ) {}

  process(rec: Rec): void {
    const stored = this.store.get(rec.key);
    const oldAccs = stored === undefined ? undefined : stored.slice(1);
    let accs = oldAccs;
    let ts = rec.ts;
    if (rec.oldRow && oldAccs !== undefined) {
      accs = this.agg.undo(rec.oldRow, oldAccs);
      ts = Math.max(rec.ts, stored![0] as number);
    }
    if (rec.row !== null) {
      accs = this.agg.add(rec.row, accs ?? this.agg.initialize());
      if (stored !== undefined) ts = Math.max(rec.ts, stored[0] as number);
    }
    if (accs === undefined) return;
    this.store.put(rec.key, [ts, ...accs]);
    if (this.emit) this.downstream({
      ...rec, ts, window: null,
      row: this.agg.result(rec.key, accs, null),
      oldRow: !this.sendOld ? undefined : oldAccs === undefined ? null : this.agg.result(rec.key, oldAccs, null),
    });
  }
}

export const buildAggregate: OperatorBuilder<AggregateStep> = (step, ctx, downstream, build) => {
  const state = requireState(ctx, step.id);
  const agg = new Aggregator(step, ctx);
  const inner = state.keyValueStore(step.storeName, { keySerializer: KEY_SERIALIZER, valueSerializer: VALUE_SERIALIZER });
  const maxBytes = cacheMaxBytes(ctx.properties);
  const sendOld = step.sendOldValues === true;
  const store = maxBytes === 0 ? inner : cachingKeyValueStore(state, inner, {
    maxBytes, keySerializer: KEY_SERIALIZER, sendOldValues: sendOld,
    onFlush: (e) => downstream(step.windowedSource
      ? flushedRecord(agg, e.key.slice(0, -2), e.newValue, e.oldValue, { start: e.key[e.key.length - 2] as number, end: e.key[e.key.length - 1] as number }, ctx.partition, sendOld)
      : flushedRecord(agg, e.key, e.newValue, e.oldValue, null, ctx.partition, sendOld)),
  });
  const emit = maxBytes === 0;
  const op = step.type === 'tableAggregateV1'
    ? new TableAggregateOp(agg, store, downstream, emit, sendOld)
    : new StreamAggregateOp(agg, store, downstream, emit, sendOld, step.windowedSource === true);
  build(step.source, (rec) => op.process(rec));
  return op;
};

/** The record a write-back cache emits for a group when it flushes (Kafka Streams' cache flush listener). */
export function flushedRecord(
  agg: Aggregator, key: unknown[], value: StoredAggregate | undefined, old: StoredAggregate | undefined,
  window: WindowBounds | null, partition: number, sendOld: boolean,
): Rec {
  return {
    key,
    row: value === undefined ? null : agg.result(key, value.slice(1), window),
    oldRow: !sendOld ? undefined : old === undefined ? null : agg.result(key, old.slice(1), window),
    ts: (value ?? old)![0] as number,
    window, headers: [], partition, offset: -1,
  };
}
