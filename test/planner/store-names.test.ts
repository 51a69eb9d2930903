/**
 * ksqlDB's store names (planner/store-names.ts): the Kafka
 * Streams name counter behind KSTREAM-JOINTHIS-n-store, and the changelog topics the test driver
 * then creates (with the names of ksqlDB's QTT `post.topics`).
 */
import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import { counterStoreName } from '../../engine/planner/store-names.js';

async function changelogs(sql: string): Promise<string[]> {
  const d = new TestDriver({ topics: new MemoryTopics(), functions: createFunctionRegistry(), config: { 'ksql.service.id': 's_' } });
  for (const s of parseScript(sql)) await d.execute(s);
  return (await d.topics.listTopics()).map((t) => t.name).filter((n) => n.endsWith('-changelog'))
    .map((n) => n.replace(/^_confluent-ksql-s_query_[A-Z]+_OUTPUT_0-/, '')).sort();
}

describe('counterStoreName', () => {
  it('pads counter names to ten digits', () => {
    expect(counterStoreName('JOINTHIS', 12)).toBe('KSTREAM-JOINTHIS-0000000012-store');
  });
});

describe('changelog topics of a query', () => {
  const streams = (lf: string, rf: string) => `
    CREATE STREAM S1 (ID INT KEY, FOO INT) WITH (kafka_topic='s1', key_format='${lf}', value_format='JSON', partitions=1);
    CREATE STREAM S2 (ID INT KEY, VAL STRING) WITH (kafka_topic='s2', key_format='${rf}', value_format='JSON', partitions=1);`;

  it('numbers stream-stream join stores after the nodes built before them', async () => {
    // no repartition: 2 × (source 2 + projection 1) + 2 windowed
    expect(await changelogs(`${streams('KAFKA', 'KAFKA')}
      CREATE STREAM OUTPUT AS SELECT S1.ID, S2.VAL FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID;`))
      .toEqual(['KSTREAM-JOINOTHER-0000000009-store-changelog', 'KSTREAM-JOINTHIS-0000000008-store-changelog']);
    // the right side is converted to the left key format: one repartition (4)
    expect(await changelogs(`${streams('DELIMITED', 'KAFKA')}
      CREATE STREAM OUTPUT AS SELECT S1.ID, S2.VAL FROM S1 LEFT JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID;`))
      .toEqual(['KSTREAM-JOINTHIS-0000000012-store-changelog', 'KSTREAM-OUTEROTHER-0000000013-store-changelog']);
    // both sides re-keyed
    expect(await changelogs(`${streams('KAFKA', 'KAFKA')}
      CREATE STREAM OUTPUT AS SELECT ROWKEY, S2.VAL FROM S1 FULL OUTER JOIN S2 WITHIN 10 SECONDS ON CAST(S1.FOO AS STRING) = S2.VAL;`))
      .toEqual(['KSTREAM-OUTEROTHER-0000000017-store-changelog', 'KSTREAM-OUTERTHIS-0000000016-store-changelog']);
  });

  it('gives join tables a changelog only where ksqlDB does not reuse the source topic', async () => {
    const tables = (tf: string, sf: string) => `
      CREATE TABLE T (ID INT PRIMARY KEY, VAL STRING) WITH (kafka_topic='t', key_format='${tf}', value_format='JSON', partitions=1);
      CREATE STREAM S (ID INT KEY, FOO INT) WITH (kafka_topic='s', key_format='${sf}', value_format='JSON', partitions=1);`;
    expect(await changelogs(`${tables('KAFKA', 'KAFKA')} CREATE STREAM OUTPUT AS SELECT S.ID, VAL FROM S JOIN T ON S.ID = T.ID;`)).toEqual([]);
    expect(await changelogs(`${tables('KAFKA', 'DELIMITED')} CREATE STREAM OUTPUT AS SELECT S.ID, VAL FROM S JOIN T ON S.ID = T.ID;`))
      .toEqual(['RightSourceKeyed-Materialize-changelog']);
    expect(await changelogs(`${tables('KAFKA', 'DELIMITED')} CREATE STREAM OUTPUT AS SELECT S.FOO, VAL FROM S LEFT JOIN T ON S.FOO = T.ID;`))
      .toEqual(['KafkaTopic_Right-Reduce-changelog']);
  });

  it('names aggregate stores from the query context', async () => {
    expect(await changelogs(`${streams('KAFKA', 'KAFKA')}
      CREATE TABLE OUTPUT AS SELECT ID, COUNT(*) AS C FROM S1 GROUP BY ID;`))
      .toContain('Aggregate-Aggregate-Materialize-changelog');
  });
});
