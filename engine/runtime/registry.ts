/**
 * The one registry of operator builders, keyed by step type (DESIGN.md, style 7). Work that adds
 * step kinds (aggregations, windows, joins) registers its builders here.
 */
import { KsqlException } from '../errors/index.js';
import type { OperatorBuilder } from './operator.js';
import { buildSource } from './operators/source.js';
import { buildFilter } from './operators/filter.js';
import { buildSelect } from './operators/select.js';
import { buildSink } from './operators/sink.js';
import { buildGroupBy } from './operators/group-by.js';
import { buildAggregate } from './operators/aggregate.js';
import { buildWindowedAggregate } from './operators/windowed-aggregate.js';
import { buildJoinRekey } from './operators/join-rekey.js';
import { buildStreamStreamJoin } from './operators/join-stream-stream.js';
import { buildStreamTableJoin } from './operators/join-stream-table.js';
import { buildTableTableJoin } from './operators/join-table-table.js';
import { buildForeignKeyJoin } from './operators/join-fk.js';
import { buildSelectKey } from './operators/select-key.js';
import { buildFlatMap } from './operators/flat-map.js';
import { buildRepartitionSink, buildRepartitionSource } from './operators/repartition.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBuilder = OperatorBuilder<any>;

const builders = new Map<string, AnyBuilder>([
  ['streamSourceV1', buildSource],
  ['tableSourceV1', buildSource],
  ['windowedStreamSourceV1', buildSource],
  ['windowedTableSourceV1', buildSource],
  ['streamFilterV1', buildFilter],
  ['tableFilterV1', buildFilter],
  ['streamSelectV1', buildSelect],
  ['tableSelectV1', buildSelect],
  ['streamSelectKeyV1', buildSelectKey],
  ['streamFlatMapV1', buildFlatMap],
  ['streamSinkV1', buildSink],
  ['tableSinkV1', buildSink],
  ['streamGroupByV1', buildGroupBy],
  ['streamGroupByKeyV1', buildGroupBy],
  ['tableGroupByV1', buildGroupBy],
  ['streamAggregateV1', buildAggregate],
  ['tableAggregateV1', buildAggregate],
  ['streamWindowedAggregateV1', buildWindowedAggregate],
  ['joinRekeyV1', buildJoinRekey],
  ['streamStreamJoinV1', buildStreamStreamJoin],
  ['streamTableJoinV1', buildStreamTableJoin],
  ['tableTableJoinV1', buildTableTableJoin],
  ['tableTableFkJoinV1', buildForeignKeyJoin],
  ['repartitionSinkV1', buildRepartitionSink],
  ['repartitionSourceV1', buildRepartitionSource],
]);

export function registerOperator(stepType: string, builder: AnyBuilder): void {
  builders.set(stepType, builder);
}

export function operatorBuilder(stepType: string): AnyBuilder {
  const b = builders.get(stepType);
  if (!b) throw new KsqlException(`No operator for step type ${stepType}`);
  return b;
}
