/**
 * The physical plan: versioned, JSON-serialisable execution steps (DESIGN.md, style 6). A plan is
 * what gets persisted; the runtime rebuilds operators from it, so a step must carry everything its
 * operator needs (expressions as AST JSON, schemas, formats) and nothing runtime-specific.
 * Step type names carry a version (`streamFilterV1`); a changed meaning gets a new version, and old
 * versions keep their builders.
 */
import type { Expression, FunctionCall, WindowExpression } from '../sql/ast.js';
import type { LogicalSchema } from '../catalog/schema.js';
import type { FormatInfo, TimestampColumn, WindowInfo, WindowType } from '../catalog/source.js';
import type { RowSchema } from '../analyzer/row-schema.js';

interface StepBase {
  /** Deterministic operator name derived from the query (shown by EXPLAIN). */
  readonly id: string;
  /** Layout of the rows this step emits. */
  readonly schema: RowSchema;
}

export interface SourceStep extends StepBase {
  readonly type: 'streamSourceV1' | 'tableSourceV1' | 'windowedStreamSourceV1' | 'windowedTableSourceV1';
  readonly topic: string;
  readonly alias: string;
  readonly sourceSchema: LogicalSchema;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  readonly timestampColumn?: TimestampColumn;
  readonly window?: WindowInfo;
  /** Source tables are materialised into a key-value store so that updates carry the old row. */
  readonly materialize?: boolean;
}

export interface FilterStep extends StepBase {
  readonly type: 'streamFilterV1' | 'tableFilterV1';
  readonly source: ExecutionStep;
  readonly predicate: Expression;
  /** Clause name for error messages ("WHERE" or "HAVING"). */
  readonly clause: string;
}

export interface SelectExpression {
  readonly alias: string;
  readonly expression: Expression;
}

export interface SelectStep extends StepBase {
  readonly type: 'streamSelectV1' | 'tableSelectV1';
  readonly source: ExecutionStep;
  /** One expression per output column, in `schema` order (key columns first). */
  readonly selectExpressions: readonly SelectExpression[];
}

export interface SelectKeyStep extends StepBase {
  readonly type: 'streamSelectKeyV1';
  readonly source: ExecutionStep;
  readonly keyExpressions: readonly Expression[];
  /** Name of the internal repartition topic (created so that Kafka mode and `post.topics` see it). */
  readonly repartitionTopic?: string;
}

export interface FlatMapStep extends StepBase {
  readonly type: 'streamFlatMapV1';
  readonly source: ExecutionStep;
  /** Table function calls; each output row takes one element from each (shorter lists padded with null). */
  readonly tableFunctions: readonly Expression[];
}

export interface SinkStep extends StepBase {
  readonly type: 'streamSinkV1' | 'tableSinkV1';
  readonly source: ExecutionStep;
  readonly topic: string;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  readonly sinkSchema: LogicalSchema;
  /** Column whose value becomes the output record timestamp (WITH (TIMESTAMP=...)). */
  readonly timestampColumn?: TimestampColumn;
  readonly window?: WindowInfo;
}

/**
 * Re-keys rows by the GROUP BY expressions (`streamGroupByKeyV1`: the key is already the grouping).
 * Rows pass through unchanged; the record key becomes the grouping values. Rows whose grouping
 * contains a NULL are dropped (ksqlDB excludes them from the table). For tables the old row is
 * re-keyed too, so that the aggregate can retract it.
 */
export interface GroupByStep extends StepBase {
  readonly type: 'streamGroupByV1' | 'streamGroupByKeyV1' | 'tableGroupByV1';
  readonly source: ExecutionStep;
  readonly groupByExpressions: readonly Expression[];
  /** Name of the internal repartition topic when the grouping changes the key. */
  readonly repartitionTopic?: string;
}

/** Window parameters of a windowed aggregation, with ksqlDB's defaults already applied. */
export interface WindowSpec {
  readonly type: WindowType;
  /** TUMBLING/HOPPING size. */
  readonly sizeMs?: number;
  /** HOPPING advance (= size for TUMBLING). */
  readonly advanceMs?: number;
  /** SESSION inactivity gap. */
  readonly gapMs?: number;
  readonly graceMs: number;
  readonly retentionMs: number;
}

/**
 * Aggregation of grouped rows. Emits rows laid out as [grouping columns, one column per
 * aggregate call (mapped result), (WINDOWSTART, WINDOWEND)], with `oldRow` holding the previous
 * result (Kafka Streams' sendOldValues), which HAVING needs to turn a row that stops matching
 * into a tombstone.
 */
export interface AggregateStep extends StepBase {
  readonly type: 'streamAggregateV1' | 'tableAggregateV1' | 'streamWindowedAggregateV1';
  readonly source: GroupByStep;
  /** Aggregate function calls, typed against `source.schema`. */
  readonly aggregations: readonly FunctionCall[];
  readonly window?: WindowSpec;
  /** EMIT FINAL: windowed results are emitted once, when the window closes. */
  readonly emitFinal?: boolean;
  /** Emit the previous result as `oldRow` (needed by a HAVING filter); otherwise oldRow is left undefined. */
  readonly sendOldValues?: boolean;
  /** The input is a windowed stream grouped by its key: aggregate per key and input window. */
  readonly windowedSource?: boolean;
  /** State store name (also the base of the changelog topic name). */
  readonly storeName: string;
}

export type JoinKind = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/**
 * A join of two inputs (`sources[0]` left, `sources[1]` right). Key joins emit rows laid out as
 * [join key, ...left row, ...right row], the side that has no match padded with NULLs; the record
 * key is the join key. Foreign-key joins (`tableTableFkJoinV1`) emit [...left row, ...right row]
 * keyed by the left table's key.
 *
 * Stream-stream: both sides are buffered in window stores for `beforeMs`/`afterMs`; with
 * `graceMs` set (GRACE PERIOD given) outer results wait until the window closes (Kafka Streams'
 * spurious-result fix), otherwise they are emitted at once (the legacy JoinWindows.of behaviour).
 * Stream-table: the table side is materialised; only stream records produce output.
 * Table-table: both sides are materialised; every change produces the new and old result.
 */
export interface JoinStep extends StepBase {
  readonly type: 'streamStreamJoinV1' | 'streamTableJoinV1' | 'tableTableJoinV1' | 'tableTableFkJoinV1';
  readonly joinType: JoinKind;
  readonly sources: readonly [ExecutionStep, ExecutionStep];
  /** State store name prefix (unique within the query). */
  readonly storeName: string;
  readonly beforeMs?: number;
  readonly afterMs?: number;
  readonly graceMs?: number;
  /** Foreign-key joins: the foreign key, typed against the left input's rows. */
  readonly foreignKey?: Expression;
}

/**
 * Re-keys a join input by an expression (ksqlDB's pre-join repartition): rows pass unchanged, the
 * record key becomes the expression's value. Rows whose new key is NULL are dropped, since they
 * can never match.
 */
export interface JoinRekeyStep extends StepBase {
  readonly type: 'joinRekeyV1';
  readonly source: ExecutionStep;
  readonly keyExpression: Expression;
  /** Name of the internal repartition topic ksqlDB would create (Kafka mode, `post.topics`). */
  readonly repartitionTopic?: string;
  /** Key format of the repartition topic (the join's key format). */
  readonly keyFormat?: FormatInfo;
  /**
   * The side joins on its key and is repartitioned only for its key format: records (table
   * deletes included) pass with their key unchanged.
   */
  readonly keyUnchanged?: boolean;
}

/** Steps added by the stateful and join work register here too; the union is open by design. */
export interface OtherStep extends StepBase {
  readonly type: string;
  readonly source?: ExecutionStep;
  readonly sources?: readonly ExecutionStep[];
  readonly [extra: string]: unknown;
}

export type ExecutionStep = SourceStep | FilterStep | SelectStep | SelectKeyStep | FlatMapStep | SinkStep | GroupByStep | AggregateStep
  | JoinStep | JoinRekeyStep;

export interface PhysicalPlan {
  readonly version: 1;
  readonly queryId: string;
  readonly sink?: SinkStep;
  /** For transient queries: the final step whose rows are returned to the client. */
  readonly root: ExecutionStep;
  readonly sources: readonly string[];
  readonly window?: WindowExpression;
}

/** All source steps under `step`, in plan order. */
export function sourceSteps(step: ExecutionStep): SourceStep[] {
  const out: SourceStep[] = [];
  const visit = (s: ExecutionStep | OtherStep): void => {
    if (s.type.endsWith('SourceV1')) { out.push(s as SourceStep); return; }
    const anyStep = s as OtherStep;
    if (anyStep.source) visit(anyStep.source);
    for (const child of anyStep.sources ?? []) visit(child);
  };
  visit(step);
  return out;
}
