/** EXPLAIN <queryId>: the query's description with its plan and a stable topology text. */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { ExecutionStep, OtherStep } from '../physical/steps.js';
import { fieldInfo } from './describe.js';
import { planQuery } from '../planner/query-planner.js';
import type { EngineContext } from './context.js';
import type { StatementResult } from './results.js';

export async function executeExplain(stmt: A.Explain, ctx: EngineContext): Promise<StatementResult> {
  if (stmt.queryId === undefined) return explainStatement(stmt, ctx);
  const q = ctx.queries.get(stmt.queryId) ?? ctx.queries.get(stmt.queryId.toUpperCase());
  if (!q) throw new KsqlException(`Query with id:${stmt.queryId} does not exist, use SHOW QUERIES to view the full set of queries.`);
  const sink = q.sinkName ? ctx.metaStore.getSource(q.sinkName) : undefined;
  return { kind: 'entity', entity: { '@type': 'queryDescription', queryDescription: {
    id: q.id,
    statementText: q.statementText,
    windowType: sink?.window?.type ?? null,
    fields: sink ? sink.schema.columns.map(fieldInfo) : [],
    sources: q.sourceNames,
    sinks: q.sinkName ? [q.sinkName] : [],
    topology: describeTopology(q.plan.root as unknown as OtherStep),
    executionPlan: describePlan(q.plan.root as unknown as OtherStep),
    overriddenProperties: {},
    ksqlHostQueryStatus: {},
    queryType: 'PERSISTENT',
    queryErrors: [],
    tasksMetadata: [],
    consumerGroupId: `_confluent-ksql-${ctx.serviceId}query_${q.id}`,
    state: q.state,
  } } };
}

/** EXPLAIN <statement>: plans a CSAS / CTAS / INSERT INTO / SELECT without running it. */
function explainStatement(stmt: A.Explain, ctx: EngineContext): StatementResult {
  const inner = stmt.statement;
  let query: A.Query;
  let sinkName: string | undefined;
  switch (inner?.kind) {
    case 'CreateAsSelect': query = inner.query; sinkName = inner.name; break;
    case 'InsertInto': query = inner.query; sinkName = inner.target; break;
    case 'Query': query = inner; break;
    default: throw new KsqlException('EXPLAIN is supported for CREATE ... AS SELECT, INSERT INTO ... SELECT and SELECT statements.');
  }
  const planned = planQuery(query, {
    metaStore: ctx.metaStore, functions: ctx.functions, queryId: '', ...(sinkName ? { sinkName } : {}),
    statementText: '', properties: ctx.config,
  });
  return { kind: 'entity', entity: { '@type': 'queryDescription', queryDescription: {
    id: '',
    statementText: '',
    windowType: planned.window?.type ?? null,
    fields: planned.schema.columns.map(fieldInfo),
    sources: planned.sources.map((s) => s.name),
    sinks: sinkName ? [sinkName] : [],
    topology: describeTopology(planned.root as unknown as OtherStep),
    executionPlan: describePlan(planned.root as unknown as OtherStep),
    overriddenProperties: {},
    ksqlHostQueryStatus: {},
    queryType: inner.kind === 'Query' ? 'PUSH' : 'PERSISTENT',
    queryErrors: [],
    tasksMetadata: [],
    state: 'UNKNOWN',
  } } };
}

/** An indented list of steps, sink first (like ksqlDB's logical plan text). */
export function describePlan(step: ExecutionStep | OtherStep, depth = 0): string {
  const s = step as unknown as OtherStep;
  const line = `${' '.repeat(depth * 2)} > [ ${s.type} ] | Schema: ${s.schema.columns.map((c) => c.name).join(', ')} | id: ${s.id}\n`;
  const children = [...(s.source ? [s.source] : []), ...(s.sources ?? [])];
  return line + children.map((c) => describePlan(c, depth + 1)).join('');
}

export function describeTopology(step: ExecutionStep | OtherStep): string {
  const names: string[] = [];
  const visit = (s: OtherStep) => {
    for (const c of [...(s.source ? [s.source] : []), ...(s.sources ?? [])]) visit(c as unknown as OtherStep);
    names.push(s.id);
  };
  visit(step as unknown as OtherStep);
  return 'Topologies:\n   Sub-topology: 0\n' + names.map((n) => `    --> ${n}\n`).join('');
}
