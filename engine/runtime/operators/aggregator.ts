/**
 * The aggregate calls of an aggregation step, compiled once: argument expressions evaluated
 * against the grouped input rows, the resolved aggregate functions, and the mapping from
 * accumulators to output rows [grouping values, results, (WINDOWSTART, WINDOWEND)].
 *
 * A function that throws while aggregating stops the query (ksqlDB: the stream thread dies with
 * "Exception caught in process"), unlike scalar expression errors, which are logged and yield NULL.
 */
import type { AggregateStep } from '../../physical/steps.js';
import type { ResolvedAggregate, ArgShape } from '../../functions/types.js';
import { literalValue } from '../../analyzer/expression-typer.js';
import { StreamsException } from '../../errors/index.js';
import { formatExpression } from '../../sql/format.js';
import type { KeyValueStore, Serializer, TaskState } from '../../state/stores.js';
import { orderedKeySerializer, valueSerializer } from '../../state/codec.js';
import type { TaskContext } from '../operator.js';
import type { WindowBounds } from '../record.js';
import { stepCompiler } from '../expr/compile-for-step.js';
import type { CompiledExpression } from '../expr/compiler.js';

/** Stored per group (and window): [timestamp, ...accumulators]. */
export type StoredAggregate = unknown[];

export const KEY_SERIALIZER: Serializer<unknown[]> = orderedKeySerializer<unknown[]>();
export const VALUE_SERIALIZER: Serializer<StoredAggregate> = valueSerializer<StoredAggregate>();

export function requireState(ctx: TaskContext, stepId: string): TaskState {
  if (!ctx.state) throw new StreamsException(`Step ${stepId} of query ${ctx.queryId} needs state stores, but the task has no state backend`);
  return ctx.state;
}

export class Aggregator {
  private readonly fns: ResolvedAggregate[] = [];
  private readonly args: CompiledExpression[][] = [];
  private readonly withWindow: boolean;

  constructor(private readonly step: AggregateStep, private readonly ctx: TaskContext) {
    const compiler = stepCompiler(step.source.schema, ctx);
    for (const call of step.aggregations) {
      const fn = ctx.functions.aggregate(call.name);
      if (!fn) throw new StreamsException(`Unknown aggregate function ${call.name}`);
      const shapes: ArgShape[] = call.args.map((a) => ({ kind: 'value', type: compiler.typer.typeOf(a), literal: literalValue(a) }));
      const resolved = fn.resolve(shapes, call.args.map(literalValue), {
        config: ctx.properties, argText: (i) => formatExpression(call.args[i]!),
      });
      this.fns.push(resolved);
      this.args.push(call.args.slice(0, resolved.columnArgCount ?? call.args.length).map((a, i) => compiler.compile(a, resolved.argTypes[i])));
    }
    this.withWindow = step.schema.columns.some((c) => c.role === 'WINDOW');
  }

  get canUndo(): boolean {
    return this.fns.every((f) => f.undo !== undefined);
  }

  initialize(): unknown[] {
    const n = this.fns.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = this.fns[i]!.initialize();
    return out;
  }

  add(row: unknown[], accs: readonly unknown[]): unknown[] {
    return this.apply(row, accs, false);
  }

  undo(row: unknown[], accs: readonly unknown[]): unknown[] {
    return this.apply(row, accs, true);
  }

  merge(a: readonly unknown[], b: readonly unknown[]): unknown[] {
    try {
      return this.fns.map((f, i) => f.merge(a[i], b[i]));
    } catch (e) {
      throw this.failure(e);
    }
  }

  /** The output row for a group's accumulators. */
  result(key: readonly unknown[], accs: readonly unknown[], window: WindowBounds | null): unknown[] {
    const n = this.fns.length;
    const row = new Array<unknown>(key.length + n + (this.withWindow ? 2 : 0));
    let i = 0;
    for (; i < key.length; i++) row[i] = key[i];
    try {
      for (let j = 0; j < n; j++) row[i++] = this.fns[j]!.map(accs[j]) ?? null;
    } catch (e) {
      throw this.failure(e);
    }
    if (this.withWindow) {
      row[i++] = window?.start ?? null;
      row[i++] = window?.end ?? null;
    }
    return row;
  }

  private apply(row: unknown[], accs: readonly unknown[], undo: boolean): unknown[] {
    const n = this.fns.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const exprs = this.args[i]!;
      const values = new Array<unknown>(exprs.length);
      for (let j = 0; j < exprs.length; j++) values[j] = exprs[j]!(row) ?? null;
      const f = this.fns[i]!;
      try {
        out[i] = undo ? f.undo!(values, accs[i]) : f.aggregate(values, accs[i]);
      } catch (e) {
        throw this.failure(e);
      }
    }
    return out;
  }

  private failure(e: unknown): StreamsException {
    return new StreamsException(
      `Exception caught in process. taskId=${this.ctx.taskId}, processor=${this.step.id}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e });
  }
}

/** A small per-operator metadata store (observed stream time, last emitted close time), committed with the state. */
export function metaStore(state: TaskState, name: string): KeyValueStore<string, number> {
  return state.keyValueStore<string, number>(`${name}-meta`, {
    keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<number>(),
  });
}
