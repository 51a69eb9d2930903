/**
 * ksqlDB's state-store names for a join tree, so that changelog topics are named
 * `_confluent-ksql-<service id>query_<query id>-<store>-changelog` exactly as ksqlDB names them.
 *
 * Two kinds of names exist in a ksqlDB topology:
 * - Named stores, from ksqlDB's query-context stack: `Aggregate-Aggregate-Materialize`,
 *   `RightSourceKeyed-Materialize` (a re-keyed join table), `KafkaTopic_Right-Reduce` (a source
 *   table's materialisation). Nested joins of an n-way (left-deep) join push `L_` once per level.
 * - Stores named by Kafka Streams' global name counter: a stream-stream join's window stores are
 *   `KSTREAM-JOINTHIS-<n>-store` / `KSTREAM-JOINOTHER-<n+1>-store` (OUTERTHIS / OUTEROTHER on an
 *   outer side), where n is the counter when the join is added. Every auto-named processor, source
 *   and sink of the DSL topology increments the counter, so n depends on everything built before.
 *
 * The counter model: what each part of a join input adds, in build order (ksqlDB builds a join's
 * left input then its right one, except a stream-table join, which builds its table first).
 *
 *   part                               names  (Kafka Streams nodes)
 *   stream source                      2      KSTREAM-SOURCE, KSTREAM-TRANSFORMVALUES (pseudo columns)
 *   table source                       3      KSTREAM-SOURCE, KTABLE-SOURCE, KTABLE-TRANSFORMVALUES
 *   pre-join projection of a source    1      KSTREAM/KTABLE-TRANSFORMVALUES (alias prefixing)
 *   stream repartition                 4      KSTREAM-KEY-SELECT, then the sink, null-key filter and
 *                                             source that Kafka Streams' repartition always numbers
 *   table re-key (repartition)         8      toStream, key select, sink/filter/source, toTable, ...
 *   stream-stream join                 5      KSTREAM-WINDOWED ×2, JOINTHIS|OUTERTHIS,
 *                                             JOINOTHER|OUTEROTHER, KSTREAM-MERGE
 *   stream-table / table-table join    0      named by ksqlDB (Joined / Named)
 *
 * Checked against every numbered name in ksqlDB's QTT cases (12/13, 16/17, 28/29, 32/33). The
 * stream rows are pinned by several cases each; the table rows only by their sum with a re-key
 * (12 in `stream-stream-table`), so their split is a best reading of the DSL.
 *
 * Which sides are repartitioned is the join planner's decision (join-planner.ts `repartitions`):
 * a join side is repartitioned exactly when it is a `joinRekeyV1` step with a repartition topic.
 *
 * Which stores have a changelog (`changelogs` on a join step, Sluice store → ksqlDB store or
 * null): window stores always; a join table only when it is re-keyed (`<Side>SourceKeyed-
 * Materialize`) or when the stream it joins is repartitioned (`KafkaTopic_Right-Reduce`).
 * Otherwise ksqlDB reuses the source table's topic as the changelog (null: restored by re-reading
 * the source topic). Sluice-only helper stores (join clocks, outer-join buffers) are not listed here
 * and keep changelogs under their own names.
 */
import type { ExecutionStep, JoinRekeyStep, JoinStep, SourceStep } from '../physical/steps.js';

export const COUNTER_NAMES = {
  streamSource: 2,
  tableSource: 3,
  preJoinProjection: 1,
  streamRepartition: 4,
  tableRekey: 8,
  streamStreamJoin: 5,
  otherJoin: 0,
} as const;

export function counterStoreName(kind: string, n: number): string {
  return `KSTREAM-${kind}-${String(n).padStart(10, '0')}-store`;
}

/**
 * Sets `changelogs` on every join step of a join tree, numbering the counter-named stores from 0
 * (ksqlDB builds one topology per query, and its joins come first in it).
 */
export function nameJoinStores(root: ExecutionStep): ExecutionStep {
  let counter = 0;
  const build = (step: ExecutionStep, depth: number): ExecutionStep => {
    if (isJoin(step)) return buildJoin(step, depth);
    if (step.type === 'joinRekeyV1') {
      const r = step as JoinRekeyStep;
      return { ...r, source: build(r.source, depth) } as JoinRekeyStep;
    }
    if (isSource(step)) counter += step.type.startsWith('table') || step.type.startsWith('windowedTable') ? COUNTER_NAMES.tableSource : COUNTER_NAMES.streamSource;
    return step;
  };
  const buildJoin = (join: JoinStep, depth: number): JoinStep => {
    const sides: ExecutionStep[] = [join.sources[0], join.sources[1]];
    const repartitioned = [isRepartition(join.sources[0]), isRepartition(join.sources[1])];
    const order = join.type === 'streamTableJoinV1' ? [1, 0] : [0, 1];
    for (const i of order) {
      sides[i] = build(sides[i]!, depth + 1);
      if (!isJoin(unwrapRekey(sides[i]!))) counter += COUNTER_NAMES.preJoinProjection;
      if (repartitioned[i]) counter += isTableSide(join, i) ? COUNTER_NAMES.tableRekey : COUNTER_NAMES.streamRepartition;
    }
    const prefix = 'L_'.repeat(depth);
    const changelogs: Record<string, string | null> = {};
    if (join.type === 'streamStreamJoinV1') {
      const rightOuter = join.joinType === 'FULL' || join.joinType === 'RIGHT';
      const leftOuter = join.joinType === 'FULL' || join.joinType === 'LEFT';
      const thisIndex = counter + 2; // after the two KSTREAM-WINDOWED processors
      changelogs[`${join.storeName}-this`] = counterStoreName(rightOuter ? 'OUTERTHIS' : 'JOINTHIS', thisIndex);
      changelogs[`${join.storeName}-other`] = counterStoreName(leftOuter ? 'OUTEROTHER' : 'JOINOTHER', thisIndex + 1);
      counter += COUNTER_NAMES.streamStreamJoin;
    } else if (join.type === 'streamTableJoinV1') {
      changelogs[`${join.storeName}-table`] = repartitioned[1] ? `${prefix}RightSourceKeyed-Materialize`
        : repartitioned[0] ? `${prefix}KafkaTopic_Right-Reduce` : null;
      counter += COUNTER_NAMES.otherJoin;
    } else if (join.type === 'tableTableJoinV1') {
      changelogs[`${join.storeName}-left`] = repartitioned[0] ? `${prefix}LeftSourceKeyed-Materialize` : null;
      changelogs[`${join.storeName}-right`] = repartitioned[1] ? `${prefix}RightSourceKeyed-Materialize` : null;
      counter += COUNTER_NAMES.otherJoin;
    }
    return { ...join, sources: [sides[0]!, sides[1]!], changelogs };
  };
  return build(root, 0);
}

function isJoin(step: ExecutionStep): step is JoinStep {
  return step.type === 'streamStreamJoinV1' || step.type === 'streamTableJoinV1' || step.type === 'tableTableJoinV1' || step.type === 'tableTableFkJoinV1';
}

function isSource(step: ExecutionStep): step is SourceStep {
  return step.type === 'streamSourceV1' || step.type === 'tableSourceV1' || step.type === 'windowedStreamSourceV1' || step.type === 'windowedTableSourceV1';
}

function unwrapRekey(step: ExecutionStep): ExecutionStep {
  return step.type === 'joinRekeyV1' ? (step as JoinRekeyStep).source : step;
}

function isTableSide(join: JoinStep, side: number): boolean {
  return join.type === 'tableTableJoinV1' || join.type === 'tableTableFkJoinV1' || (join.type === 'streamTableJoinV1' && side === 1);
}

/** The join planner repartitions a side by putting a re-key step with a repartition topic over it. */
function isRepartition(step: ExecutionStep): boolean {
  return step.type === 'joinRekeyV1' && typeof (step as JoinRekeyStep).repartitionTopic === 'string';
}
