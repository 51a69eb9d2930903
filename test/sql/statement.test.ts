import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import { parseStatement } from '../../engine/sql/index.js';
import { noSpans } from './helpers.js';

const stmt = (text: string): unknown => noSpans(parseStatement(text));

describe('CREATE STREAM / TABLE', () => {
  it('reads columns, constraints and properties', () => {
    expect(stmt("CREATE STREAM s (id BIGINT KEY, `Name` STRING, h BYTES HEADER('k'), hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS) WITH (kafka_topic='t', VALUE_FORMAT='json', partitions=2, wrap_single_value=false);")).toEqual({
      kind: 'CreateSource', sourceType: 'STREAM', name: 'S', orReplace: false, isSource: false, ifNotExists: false,
      elements: [
        { name: 'ID', type: { kind: 'PrimitiveType', name: 'BIGINT' }, constraint: { kind: 'Key' } },
        { name: 'Name', type: { kind: 'PrimitiveType', name: 'STRING' } },
        { name: 'H', type: { kind: 'PrimitiveType', name: 'BYTES' }, constraint: { kind: 'Header', key: 'k' } },
        {
          name: 'HS',
          type: { kind: 'ArrayType', element: { kind: 'StructType', fields: [
            { name: 'KEY', type: { kind: 'PrimitiveType', name: 'STRING' } },
            { name: 'VALUE', type: { kind: 'PrimitiveType', name: 'BYTES' } },
          ] } },
          constraint: { kind: 'Headers' },
        },
      ],
      properties: [
        { name: 'KAFKA_TOPIC', value: { kind: 'StringLiteral', value: 't' } },
        { name: 'VALUE_FORMAT', value: { kind: 'StringLiteral', value: 'json' } },
        { name: 'PARTITIONS', value: { kind: 'IntegerLiteral', value: 2 } },
        { name: 'WRAP_SINGLE_VALUE', value: { kind: 'BooleanLiteral', value: false } },
      ],
    });
  });

  it('reads OR REPLACE, SOURCE, IF NOT EXISTS and no column list', () => {
    expect(stmt("CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS t (k INT PRIMARY KEY) WITH ('kafka_topic'='t')")).toMatchObject({
      kind: 'CreateSource', sourceType: 'TABLE', orReplace: true, isSource: true, ifNotExists: true,
      elements: [{ name: 'K', constraint: { kind: 'PrimaryKey' } }],
      properties: [{ name: 'KAFKA_TOPIC' }],
    });
    expect(stmt("CREATE TABLE t WITH (kafka_topic='t', format='AVRO')")).toMatchObject({ kind: 'CreateSource', elements: [] });
  });

  it('checks KEY against PRIMARY KEY like ksqlDB', () => {
    expect(() => parseStatement('CREATE TABLE INPUT (ID INT KEY, NAME STRING) WITH (kafka_topic=\'i\');'))
      .toThrow("Line: 1, Col: 21: Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables.");
    expect(() => parseStatement('CREATE STREAM INPUT (ID INT PRIMARY KEY) WITH (kafka_topic=\'i\');'))
      .toThrow("Line: 1, Col: 22: Column `ID` is a 'PRIMARY KEY' column: please use 'KEY' for streams.");
  });

  it('reads CREATE ... AS SELECT', () => {
    expect(stmt("CREATE TABLE IF NOT EXISTS t WITH (kafka_topic='o') AS SELECT k, COUNT(*) FROM s GROUP BY k EMIT CHANGES;")).toMatchObject({
      kind: 'CreateAsSelect', sourceType: 'TABLE', name: 'T', orReplace: false, ifNotExists: true,
      properties: [{ name: 'KAFKA_TOPIC' }],
      query: { kind: 'Query', emit: 'CHANGES', groupBy: [{ kind: 'ColumnRef', name: 'K' }] },
    });
    expect(stmt('CREATE OR REPLACE STREAM s AS SELECT * FROM t')).toMatchObject({ kind: 'CreateAsSelect', orReplace: true });
    expect(() => parseStatement('CREATE SOURCE STREAM s AS SELECT * FROM t')).toThrow(ParseFailedException);
    expect(() => parseStatement('CREATE STREAM s AS SELECT * FROM t LIMIT 5')).toThrow("CREATE STREAM AS SELECT statements don't support LIMIT clause.");
  });

  it('validates WITH properties as ksqlDB builds the statement', () => {
    expect(() => parseStatement("CREATE STREAM s WITH (kafka_topic='t', bogus=1)")).toThrow('Invalid config variable(s) in the WITH clause: BOGUS');
    expect(() => parseStatement("CREATE STREAM s WITH (kafka_topic='t') AS SELECT * FROM x")).not.toThrow();
    expect(() => parseStatement("CREATE STREAM s WITH (window_type='tumbling') AS SELECT * FROM x")).toThrow('WINDOW_TYPE');
    expect(() => parseStatement("CREATE TABLE t (k STRING PRIMARY KEY) WITH (kafka_topic='t', WINDOW_TYPE='Hopping', WINDOW_SIZE='30 bobs')"))
      .toThrow("Configuration WINDOW_SIZE is invalid: Invalid duration: '30 bobs'. Unknown time unit: 'BOBS'");
    expect(() => parseStatement("CREATE TABLE t (k STRING PRIMARY KEY) WITH (kafka_topic='t', WINDOW_TYPE='session', WINDOW_SIZE='30 SECONDS')")).not.toThrow();
    expect(() => parseStatement("CREATE STREAM s WITH (kafka_topic='t', value_delimiter='<~>')"))
      .toThrow("Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE");
    expect(() => parseStatement("CREATE STREAM s WITH (kafka_topic='t', key_delimiter='TAB', value_delimiter='|')")).not.toThrow();
    expect(() => parseStatement("CREATE STREAM s WITH (kafka_topic='t', kafka_topic='u')")).toThrow(ParseFailedException);
  });
});

describe('other DDL', () => {
  it('reads CREATE TYPE and DROP TYPE', () => {
    expect(stmt('CREATE TYPE IF NOT EXISTS addr AS STRUCT<n INT, s VARCHAR>')).toEqual({
      kind: 'CreateType', name: 'ADDR', ifNotExists: true,
      type: { kind: 'StructType', fields: [
        { name: 'N', type: { kind: 'PrimitiveType', name: 'INTEGER' } },
        { name: 'S', type: { kind: 'PrimitiveType', name: 'STRING' } },
      ] },
    });
    expect(stmt('DROP TYPE IF EXISTS addr')).toEqual({ kind: 'DropType', name: 'ADDR', ifExists: true });
  });

  it('reads DROP STREAM / TABLE / CONNECTOR', () => {
    expect(stmt('DROP STREAM IF EXISTS s DELETE TOPIC')).toEqual({ kind: 'DropSource', sourceType: 'STREAM', name: 'S', ifExists: true, deleteTopic: true });
    expect(stmt('DROP TABLE t')).toEqual({ kind: 'DropSource', sourceType: 'TABLE', name: 'T', ifExists: false, deleteTopic: false });
    expect(stmt('DROP CONNECTOR IF EXISTS `c`')).toEqual({ kind: 'DropConnector', name: 'c', ifExists: true });
  });

  it('reads CREATE CONNECTOR, keeping string keys as written', () => {
    expect(stmt("CREATE SINK CONNECTOR IF NOT EXISTS c WITH ('connector.class'='x', 'tasks.max'=1)")).toEqual({
      kind: 'CreateConnector', connectorType: 'SINK', name: 'C', ifNotExists: true,
      properties: [
        { name: 'connector.class', value: { kind: 'StringLiteral', value: 'x' } },
        { name: 'tasks.max', value: { kind: 'IntegerLiteral', value: 1 } },
      ],
    });
  });

  it('reads ALTER STREAM/TABLE and ALTER SYSTEM', () => {
    expect(stmt('ALTER TABLE t ADD COLUMN a INT, ADD b ARRAY<STRING>')).toEqual({
      kind: 'AlterSource', sourceType: 'TABLE', name: 'T',
      addColumns: [
        { name: 'A', type: { kind: 'PrimitiveType', name: 'INTEGER' } },
        { name: 'B', type: { kind: 'ArrayType', element: { kind: 'PrimitiveType', name: 'STRING' } } },
      ],
    });
    expect(stmt("ALTER SYSTEM 'ksql.x'='y'")).toEqual({ kind: 'AlterSystem', name: 'ksql.x', value: 'y' });
  });
});

describe('INSERT', () => {
  it('reads INSERT VALUES with and without columns', () => {
    expect(stmt("INSERT INTO s (k, ROWTIME, v) VALUES ('a', 1, -1.5)")).toEqual({
      kind: 'InsertValues', target: 'S', columns: ['K', 'ROWTIME', 'V'],
      values: [{ kind: 'StringLiteral', value: 'a' }, { kind: 'IntegerLiteral', value: 1 }, { kind: 'DecimalLiteral', text: '-1.5' }],
    });
    expect(stmt('INSERT INTO s VALUES ()')).toEqual({ kind: 'InsertValues', target: 'S', values: [] });
    expect(() => parseStatement("INSERT INTO TEST (K, ID) VALUES (FOO.bar, '10')"))
      .toThrow("Failed to prepare statement: 'FOO' is not a valid stream/table name or alias.");
  });

  it('reads INSERT INTO ... SELECT with QUERY_ID', () => {
    expect(stmt("INSERT INTO s WITH (QUERY_ID='my_q') SELECT * FROM t")).toMatchObject({
      kind: 'InsertInto', target: 'S', properties: [{ name: 'QUERY_ID', value: { value: 'my_q' } }], query: { kind: 'Query' },
    });
  });
});

describe('SHOW / LIST / DESCRIBE', () => {
  it.each([
    ['SHOW STREAMS', 'STREAMS', false],
    ['list tables extended', 'TABLES', true],
    ['SHOW TOPICS', 'TOPICS', false],
    ['SHOW ALL TOPICS EXTENDED', 'ALL_TOPICS', true],
    ['SHOW QUERIES EXTENDED', 'QUERIES', true],
    ['SHOW PROPERTIES', 'PROPERTIES', false],
    ['SHOW FUNCTIONS', 'FUNCTIONS', false],
    ['SHOW TYPES', 'TYPES', false],
    ['SHOW VARIABLES', 'VARIABLES', false],
    ['SHOW CONNECTORS', 'CONNECTORS', false],
    ['SHOW SOURCE CONNECTORS', 'SOURCE_CONNECTORS', false],
    ['SHOW SINK CONNECTORS', 'SINK_CONNECTORS', false],
    ['SHOW CONNECTOR PLUGINS', 'CONNECTOR_PLUGINS', false],
  ])('%s', (text, what, extended) => {
    expect(stmt(text)).toEqual({ kind: 'Show', what, extended });
  });

  it('reads the DESCRIBE forms', () => {
    expect(stmt('DESCRIBE s EXTENDED')).toEqual({ kind: 'DescribeSource', name: 'S', extended: true });
    expect(stmt('DESCRIBE STREAMS')).toEqual({ kind: 'DescribeSources', sourceType: 'STREAM', extended: false });
    expect(stmt('DESCRIBE TABLES EXTENDED')).toEqual({ kind: 'DescribeSources', sourceType: 'TABLE', extended: true });
    expect(stmt('DESCRIBE `TABLES`')).toEqual({ kind: 'DescribeSource', name: 'TABLES', extended: false });
    expect(stmt('DESCRIBE FUNCTION concat')).toEqual({ kind: 'DescribeFunction', name: 'CONCAT' });
    expect(stmt('DESCRIBE FUNCTION')).toEqual({ kind: 'DescribeSource', name: 'FUNCTION', extended: false });
    expect(stmt('DESCRIBE CONNECTOR my_conn')).toEqual({ kind: 'DescribeConnector', name: 'MY_CONN' });
  });
});

describe('other statements', () => {
  it('reads PRINT, keeping the topic name as written', () => {
    expect(stmt('PRINT my_Topic FROM BEGINNING INTERVAL 2 LIMIT 10')).toEqual({
      kind: 'Print', topic: 'my_Topic', fromBeginning: true, interval: 2, limit: 10,
    });
    expect(stmt("PRINT 'Topic-1' SAMPLE 3")).toEqual({ kind: 'Print', topic: 'Topic-1', fromBeginning: false, interval: 3 });
    expect(stmt('PRINT "Quoted"')).toEqual({ kind: 'Print', topic: 'Quoted', fromBeginning: false });
  });

  it('reads TERMINATE / PAUSE / RESUME', () => {
    expect(stmt('TERMINATE CSAS_Out_1')).toEqual({ kind: 'Terminate', queryId: 'CSAS_Out_1' });
    expect(stmt('TERMINATE ALL')).toEqual({ kind: 'Terminate' });
    expect(stmt('PAUSE q')).toEqual({ kind: 'Pause', queryId: 'q' });
    expect(stmt('RESUME ALL')).toEqual({ kind: 'Resume' });
  });

  it('reads SET / UNSET / DEFINE / UNDEFINE', () => {
    expect(stmt("SET 'auto.offset.reset' = 'earliest'")).toEqual({ kind: 'SetProperty', name: 'auto.offset.reset', value: 'earliest' });
    expect(stmt("UNSET 'auto.offset.reset'")).toEqual({ kind: 'UnsetProperty', name: 'auto.offset.reset' });
    expect(stmt("DEFINE myVar = 'v'")).toEqual({ kind: 'DefineVariable', name: 'myVar', value: 'v' });
    expect(stmt('UNDEFINE myVar')).toEqual({ kind: 'UndefineVariable', name: 'myVar' });
  });

  it('reads EXPLAIN of a query id or a statement', () => {
    expect(stmt('EXPLAIN CTAS_X_1')).toEqual({ kind: 'Explain', queryId: 'CTAS_X_1' });
    expect(stmt('EXPLAIN SELECT * FROM s EMIT CHANGES')).toMatchObject({ kind: 'Explain', statement: { kind: 'Query', emit: 'CHANGES' } });
    expect(stmt('EXPLAIN CREATE STREAM x AS SELECT * FROM s')).toMatchObject({ kind: 'Explain', statement: { kind: 'CreateAsSelect' } });
  });

  it('reads ASSERT TOPIC / SCHEMA', () => {
    expect(stmt('ASSERT NOT EXISTS TOPIC foo WITH (partitions=1) TIMEOUT 10 SECONDS')).toEqual({
      kind: 'AssertTopic', topic: 'foo', exists: false,
      properties: [{ name: 'PARTITIONS', value: { kind: 'IntegerLiteral', value: 1 } }],
      timeout: { value: 10, unit: 'SECONDS', millis: 10_000 },
    });
    expect(stmt("ASSERT SCHEMA SUBJECT 'x-value' ID 5")).toEqual({ kind: 'AssertSchema', exists: true, subject: 'x-value', id: 5 });
    expect(() => parseStatement('ASSERT SCHEMA TIMEOUT 1 SECOND')).toThrow(ParseFailedException);
  });

  it('accepts RUN SCRIPT only when asked to (it is a CLI command)', () => {
    expect(() => parseStatement("RUN SCRIPT 'foo';")).toThrow("line 1:1: Syntax Error\nUnknown statement 'RUN'");
    expect(noSpans(parseStatement("RUN SCRIPT '/tmp/x.sql'", { allowRunScript: true }))).toEqual({ kind: 'RunScript', path: '/tmp/x.sql' });
  });

  it('accepts an optional trailing semicolon', () => {
    expect(stmt('SHOW STREAMS;')).toEqual(stmt('SHOW STREAMS'));
  });
});
