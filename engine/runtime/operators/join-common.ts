/**
 * Shared pieces of the join operators: output rows [join key, ...left, ...right] with the missing
 * side padded with NULLs, store serialisers, and the record-key tuple a join matches on (the key
 * plus the window bounds for windowed sources, so only equal windows join).
 */
import type { JoinStep } from '../../physical/steps.js';
import type { KeyValueStore, Serializer, TaskState } from '../../state/stores.js';
import { orderedKeySerializer, valueSerializer } from '../../state/codec.js';
import { StreamsException } from '../../errors/index.js';
import type { TaskContext } from '../operator.js';
import type { Rec } from '../record.js';

export const JOIN_KEY_SERIALIZER: Serializer<unknown[]> = orderedKeySerializer<unknown[]>();
export const ROW_SERIALIZER: Serializer<unknown[]> = valueSerializer<unknown[]>();
export const ROWS_SERIALIZER: Serializer<unknown[][]> = valueSerializer<unknown[][]>();

export function joinState(ctx: TaskContext, step: JoinStep): TaskState {
  if (!ctx.state) throw new StreamsException(`Join ${step.id} of query ${ctx.queryId} needs state stores, but the task has no state backend`);
  return ctx.state;
}

/** Builds output rows for a key join: [key, ...left, ...right]. */
export class JoinRows {
  readonly leftWidth: number;
  readonly rightWidth: number;
  constructor(step: JoinStep, private readonly withKey: boolean) {
    this.leftWidth = step.sources[0].schema.columns.length;
    this.rightWidth = step.sources[1].schema.columns.length;
  }

  row(key: unknown, left: readonly unknown[] | null, right: readonly unknown[] | null): unknown[] {
    const out: unknown[] = this.withKey ? [key] : [];
    if (left) for (const v of left) out.push(v);
    else for (let i = 0; i < this.leftWidth; i++) out.push(null);
    if (right) for (const v of right) out.push(v);
    else for (let i = 0; i < this.rightWidth; i++) out.push(null);
    return out;
  }
}

/** The tuple a record matches on: its key, plus the window bounds of a windowed record. */
export function matchKey(rec: Rec): unknown[] {
  return rec.window ? [...rec.key, rec.window.start, rec.window.end] : rec.key;
}

export function hasNullKey(rec: Rec): boolean {
  return rec.key.length === 0 || rec.key.some((k) => k === null || k === undefined);
}

/** A small persisted record of an operator's clocks (survives restarts with the stores). */
export class JoinClock {
  private readonly store: KeyValueStore<unknown[], unknown[]>;
  readonly values: number[];
  constructor(state: TaskState, name: string, initial: readonly number[]) {
    this.store = state.keyValueStore(`${name}-clock`, { keySerializer: JOIN_KEY_SERIALIZER, valueSerializer: ROW_SERIALIZER });
    const saved = this.store.get(['clock']);
    this.values = saved ? (saved as number[]).slice() : initial.slice();
  }

  save(): void {
    this.store.put(['clock'], this.values);
  }
}
