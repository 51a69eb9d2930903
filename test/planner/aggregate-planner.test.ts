/** Aggregate planning errors: SELECT and HAVING are checked as written, not after aggregate calls became columns. */
import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';

const SOURCE = "CREATE STREAM test (k BIGINT KEY, id BIGINT, value BIGINT) WITH (kafka_topic='t', value_format='JSON', partitions=1);";

async function planError(select: string): Promise<string> {
  const d = new TestDriver({ topics: new MemoryTopics(), functions: createFunctionRegistry(), config: {} });
  for (const s of parseScript(SOURCE)) await d.execute(s);
  const [stmt] = parseScript(select);
  try {
    await d.execute(stmt!);
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
  throw new Error('statement was accepted');
}

describe('aggregate planner errors', () => {
  it('names aggregate calls in HAVING comparison errors, with the clause prefix', async () => {
    expect(await planError("CREATE TABLE t1 AS SELECT id, SUM(value) AS s FROM test GROUP BY id HAVING COUNT(*) > 1 AND SUM(value) > '100';"))
      .toBe("Error in HAVING expression: Cannot compare SUM(VALUE) (BIGINT) to '100' (STRING) with GREATER_THAN.");
  });

  it('names aggregate calls in HAVING arithmetic errors', async () => {
    expect(await planError('CREATE TABLE t1 AS SELECT id, COUNT(*) AS c FROM test GROUP BY id HAVING SUM(value) + true > 1;'))
      .toBe('Error in HAVING expression: Error processing expression: (SUM(VALUE) + true). Unsupported arithmetic types. BIGINT BOOLEAN');
  });

  it('reports a non-boolean HAVING with the expression as written', async () => {
    expect(await planError('CREATE TABLE t1 AS SELECT id, COUNT(*) AS c FROM test GROUP BY id HAVING SUM(value);'))
      .toBe('Type error in HAVING expression: Should evaluate to boolean but is SUM(VALUE) (BIGINT) instead.');
  });

  it('names aggregate calls in SELECT expression errors', async () => {
    expect(await planError('CREATE TABLE t1 AS SELECT id, SUM(value) + true AS x FROM test GROUP BY id;'))
      .toBe('Error processing expression: (SUM(VALUE) + true). Unsupported arithmetic types. BIGINT BOOLEAN');
  });
});
