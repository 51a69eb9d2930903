/** Planning PARTITION BY over a join: the re-keyed join schema, key naming, `*` and ksqlDB's messages. */
import { beforeAll, describe, expect, it } from 'vitest';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import type * as A from '../../engine/sql/ast.js';
import { planQuery, type PlannedQuery } from '../../engine/planner/query-planner.js';
import { formatSchema } from '../../engine/catalog/schema.js';
import type { ExecutionStep, SelectKeyStep } from '../../engine/physical/steps.js';

const functions = createFunctionRegistry();
let driver: TestDriver;

beforeAll(async () => {
  driver = new TestDriver({ topics: new MemoryTopics(), functions, config: {} });
  for (const s of parseScript(`
    CREATE STREAM L (K STRING KEY, A STRING, B STRING) WITH (kafka_topic='left', value_format='JSON', partitions=1);
    CREATE STREAM R (K STRING KEY, C STRING, D STRING) WITH (kafka_topic='right', value_format='JSON', partitions=1);
    CREATE STREAM S (ID INT KEY, V STRUCT<F STRING>) WITH (kafka_topic='s', value_format='JSON', partitions=1);
    CREATE STREAM F (ID INT KEY, F STRING) WITH (kafka_topic='f', value_format='JSON', partitions=1);
    CREATE TABLE T (K STRING PRIMARY KEY, E STRING) WITH (kafka_topic='t', value_format='JSON', partitions=1);
    CREATE TABLE U (K STRING PRIMARY KEY, G STRING) WITH (kafka_topic='u', value_format='JSON', partitions=1);
  `)) await driver.execute(s);
});

/** Plans `CREATE STREAM OUTPUT AS <select>` (or the bare push query when `sink` is false). */
function plan(select: string, sink = true): PlannedQuery {
  const [parsed] = parseScript(sink ? `CREATE STREAM OUTPUT AS ${select};` : `${select} EMIT CHANGES;`);
  const stmt = parsed!.statement as A.CreateAsSelect | A.Query;
  const query = stmt.kind === 'CreateAsSelect' ? stmt.query : stmt;
  return planQuery(query, {
    metaStore: driver.engine.metaStore, functions, queryId: 'CSAS_OUTPUT_0', statementText: select, properties: {},
    ...(sink ? { sinkName: 'OUTPUT' } : {}),
  });
}

const schemaOf = (select: string) => formatSchema(plan(select).schema, { quote: false });

function partitionStep(p: PlannedQuery): SelectKeyStep {
  const below = (p.root as ExecutionStep & { source: ExecutionStep }).source;
  expect(below.type).toBe('streamSelectKeyV1');
  return below as SelectKeyStep;
}

describe('PARTITION BY over a join', () => {
  it('re-keys the join before the projection; * is the key then every source\'s values, pseudo columns and keys', () => {
    const p = plan('SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.B');
    expect(formatSchema(p.schema, { quote: false })).toBe(
      'L_B STRING KEY, L_A STRING, L_ROWTIME BIGINT, L_ROWPARTITION INTEGER, L_ROWOFFSET BIGINT, L_K STRING, '
      + 'R_C STRING, R_D STRING, R_ROWTIME BIGINT, R_ROWPARTITION INTEGER, R_ROWOFFSET BIGINT, R_K STRING');
    const step = partitionStep(p);
    expect(step.keyExpressions).toHaveLength(1);
    expect(step.repartitionTopic).toBeUndefined();
    expect((step.source as ExecutionStep).type).toBe('streamStreamJoinV1');
  });

  it('resolves an unqualified partitioning column to its source and names the key <ALIAS>_<COL>', () => {
    expect(schemaOf('SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.B = R.D PARTITION BY A')).toBe(
      'L_A STRING KEY, L_B STRING, L_ROWTIME BIGINT, L_ROWPARTITION INTEGER, L_ROWOFFSET BIGINT, L_K STRING, '
      + 'R_C STRING, R_D STRING, R_ROWTIME BIGINT, R_ROWPARTITION INTEGER, R_ROWOFFSET BIGINT, R_K STRING');
  });

  it('alias.* selects one source\'s columns of the re-keyed join', () => {
    expect(schemaOf('SELECT L.* FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.B')).toBe(
      'L_B STRING KEY, L_A STRING, L_ROWTIME BIGINT, L_ROWPARTITION INTEGER, L_ROWOFFSET BIGINT, L_K STRING');
  });

  it('names projected columns with the join rules: shared names get the alias, the key keeps its projection name', () => {
    expect(schemaOf('SELECT L.B, L.K, R.K FROM L JOIN R WITHIN 10 SECONDS ON L.A = R.C PARTITION BY L.B'))
      .toBe('B STRING KEY, L_K STRING, R_K STRING');
    expect(schemaOf('SELECT L.K AS LK, R.K FROM L JOIN R WITHIN 10 SECONDS ON L.B = R.D PARTITION BY L.K'))
      .toBe('LK STRING KEY, R_K STRING');
    expect(schemaOf('SELECT L.K, R.K, L.A FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.K, R.K'))
      .toBe('L_K STRING KEY, R_K STRING KEY, A STRING');
  });

  it('replaces a partitioning expression in the projection by its key column', () => {
    const p = plan('SELECT L.B + R.C AS X, L.A FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY B + C');
    expect(formatSchema(p.schema, { quote: false })).toBe('X STRING KEY, A STRING');
    expect(partitionStep(p).schema.columns[0]).toMatchObject({ name: 'KSQL_COL_0', role: 'KEY' });
    expect(schemaOf('SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY B + C').split(', ')[0]).toBe('KSQL_COL_0 STRING KEY');
  });

  it('names projection items from the expressions as written, before they read the key', () => {
    expect(schemaOf("SELECT CONCAT(L.A, 'x'), L.B + R.C, L.K FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.B + R.C"))
      .toBe('KSQL_COL_1 STRING KEY, KSQL_COL_0 STRING, L_K STRING');
    expect(schemaOf('SELECT S.V->F, F.F AS G FROM S JOIN F WITHIN 10 SECONDS ON S.ID = F.ID PARTITION BY S.V->F'))
      .toBe('F STRING KEY, G STRING');
  });

  it('keeps a synthetic join key (ROWKEY) in the value, after the sources\' columns', () => {
    const cols = schemaOf('SELECT * FROM L FULL OUTER JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.B').split(', ');
    expect(cols[0]).toBe('L_B STRING KEY');
    expect(cols[cols.length - 1]).toBe('ROWKEY STRING');
  });

  it('re-keys a stream-table join and an n-way join', () => {
    expect(schemaOf('SELECT * FROM L JOIN T ON L.K = T.K PARTITION BY T.E')).toBe(
      'T_E STRING KEY, L_A STRING, L_B STRING, L_ROWTIME BIGINT, L_ROWPARTITION INTEGER, L_ROWOFFSET BIGINT, L_K STRING, '
      + 'T_ROWTIME BIGINT, T_ROWPARTITION INTEGER, T_ROWOFFSET BIGINT, T_K STRING');
    expect(schemaOf('SELECT T.E, R.D, L.A FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K JOIN T ON L.K = T.K PARTITION BY T.E'))
      .toBe('E STRING KEY, D STRING, A STRING');
  });

  it('PARTITION BY NULL leaves the result keyless', () => {
    const p = plan('SELECT L.A, R.C FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY NULL');
    expect(p.keyless).toBe(true);
    expect(formatSchema(p.schema, { quote: false })).toBe('A STRING, C STRING');
  });

  it('a push query keeps every projected column in the value', () => {
    const p = plan('SELECT L.B, R.C FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.B', false);
    expect(formatSchema(p.schema, { quote: false })).toBe('B STRING, C STRING');
  });
});

describe('PARTITION BY over a join: errors as ksqlDB words them', () => {
  const fails = (select: string) => expect(() => plan(select)).toThrow();
  const message = (select: string): string => {
    try { plan(select); } catch (e) { return (e as Error).message; }
    throw new Error('expected planning to fail');
  };

  it('an unknown column', () => {
    expect(message('SELECT L.A FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.X'))
      .toBe("PARTITION BY column 'L.X' cannot be resolved.");
  });

  it('an ambiguous unqualified column', () => {
    expect(message('SELECT L.A FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY K'))
      .toMatch(/^Line: 1, Col: \d+: Column 'K' is ambiguous\. Could be L\.K or R\.K\.$/);
  });

  it('a projection alias', () => {
    expect(message('SELECT L.A AS NA, R.C FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY NA'))
      .toBe("PARTITION BY column 'NA' cannot be resolved. 'NA' must be a column in the source schema since PARTITION BY is applied on the input.");
  });

  it('a projection without the partitioning expression', () => {
    expect(message('SELECT L.A, R.C FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.B')).toBe(
      'Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n'
      + 'The query used to build `OUTPUT` must include the partitioning expression L.B in its projection (eg, SELECT L.B...).');
  });

  it('the key selected twice', () => {
    expect(message('SELECT L.B AS X, L.B AS Y, L.A FROM L JOIN R WITHIN 10 SECONDS ON L.K = R.K PARTITION BY L.B'))
      .toBe('The projection contains a key column (`L_B`) more than once, aliased as: X and Y.');
  });

  it('a table-table join', () => {
    fails('SELECT * FROM T JOIN U ON T.K = U.K PARTITION BY T.E');
    expect(message('SELECT * FROM T JOIN U ON T.K = U.K PARTITION BY T.E')).toMatch(/^PARTITION BY is not supported on tables/);
  });
});
