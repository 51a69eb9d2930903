import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import { parseStatement } from '../../engine/sql/index.js';
import type { Query } from '../../engine/sql/ast.js';
import { noSpans } from './helpers.js';

const query = (text: string): Query => {
  const s = parseStatement(text);
  if (s.kind !== 'Query') throw new Error(s.kind);
  return s;
};
const q = (text: string): Record<string, unknown> => noSpans(query(text)) as Record<string, unknown>;

describe('select items', () => {
  it('reads *, src.*, struct->*, aliases with and without AS', () => {
    expect(q('SELECT *, t.*, s->*, s->a->*, a AS x, b y, c KEY, `d` FROM src t').select).toEqual([
      { kind: 'SelectAll' },
      { kind: 'SelectAll', source: 'T' },
      { kind: 'SelectStructAll', base: { kind: 'ColumnRef', name: 'S' } },
      { kind: 'SelectStructAll', base: { kind: 'Dereference', base: { kind: 'ColumnRef', name: 'S' }, field: 'A' } },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', name: 'A' }, alias: 'X' },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', name: 'B' }, alias: 'Y' },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', name: 'C' }, alias: 'KEY' },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', name: 'd' } },
    ]);
  });

  it('checks qualifiers against the FROM clause', () => {
    expect(() => query('SELECT K, unknown.* FROM INPUT i')).toThrow("'UNKNOWN' is not a valid stream/table name or alias.");
    expect(() => query('SELECT * FROM a JOIN b WITHIN 1 SECOND ON unknown.k = b.k')).toThrow("'UNKNOWN' is not a valid stream/table name or alias.");
    expect(() => query('SELECT input.k, i.v FROM input i')).not.toThrow();
  });
});

describe('FROM and joins', () => {
  it('reads aliases, and does not take EMIT / PARTITION BY for one', () => {
    expect(q('SELECT * FROM s AS x').from).toEqual({ source: { name: 'S', alias: 'X' }, joins: [] });
    expect(q('SELECT * FROM s EMIT CHANGES')).toMatchObject({ from: { source: { name: 'S' } }, emit: 'CHANGES' });
    expect(q('SELECT * FROM s PARTITION BY a')).toMatchObject({ from: { source: { name: 'S' } }, partitionBy: [{ name: 'A' }] });
  });

  it('reads n-way joins with their types, windows and grace periods', () => {
    const from = q(
      'SELECT * FROM a JOIN b WITHIN 10 SECONDS ON a.k = b.k INNER JOIN c ON a.k = c.k LEFT OUTER JOIN d WITHIN (1 HOUR, 2 DAYS) GRACE PERIOD 5 MINUTES ON d.k = a.k ' +
      'RIGHT JOIN e e1 ON e1.k = a.k FULL OUTER JOIN f ON f.k = a.k LEFT JOIN g ON g.k = a.k',
    ).from as { joins: { type: string; within?: unknown; right: unknown }[] };
    expect(from.joins.map((j) => j.type)).toEqual(['INNER', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'LEFT']);
    expect(from.joins[0]!.within).toEqual({ before: { value: 10, unit: 'SECONDS', millis: 10_000 }, after: { value: 10, unit: 'SECONDS', millis: 10_000 } });
    expect(from.joins[2]!.within).toEqual({
      before: { value: 1, unit: 'HOURS', millis: 3_600_000 },
      after: { value: 2, unit: 'DAYS', millis: 172_800_000 },
      grace: { value: 5, unit: 'MINUTES', millis: 300_000 },
    });
    expect(from.joins[3]!.right).toEqual({ name: 'E', alias: 'E1' });
  });
});

describe('windows', () => {
  it('reads TUMBLING, HOPPING and SESSION with retention and grace', () => {
    expect(q('SELECT * FROM s WINDOW TUMBLING (SIZE 30 SECOND) GROUP BY k').window).toEqual({
      kind: 'TumblingWindow', size: { value: 30, unit: 'SECONDS', millis: 30_000 },
    });
    expect(q('SELECT * FROM s WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 10 MILLISECONDS, RETENTION 2 DAYS, GRACE PERIOD 1 HOUR) GROUP BY k').window).toEqual({
      kind: 'HoppingWindow',
      size: { value: 1, unit: 'MINUTES', millis: 60_000 },
      advance: { value: 10, unit: 'MILLISECONDS', millis: 10 },
      retention: { value: 2, unit: 'DAYS', millis: 172_800_000 },
      grace: { value: 1, unit: 'HOURS', millis: 3_600_000 },
    });
    expect(q('SELECT * FROM s WINDOW SESSION (5 MINUTES, GRACE PERIOD 0 SECONDS) GROUP BY k').window).toEqual({
      kind: 'SessionWindow', gap: { value: 5, unit: 'MINUTES', millis: 300_000 }, grace: { value: 0, unit: 'SECONDS', millis: 0 },
    });
  });

  it('requires integer sizes', () => {
    expect(() => query('SELECT * FROM s WINDOW TUMBLING (SIZE 1.5 SECONDS) GROUP BY k')).toThrow(ParseFailedException);
  });
});

describe('clauses', () => {
  it('reads WHERE, GROUP BY, PARTITION BY, HAVING, EMIT and LIMIT', () => {
    expect(q('SELECT k, COUNT(*) FROM s WHERE v > 1 GROUP BY k, v + 1 HAVING COUNT(*) > 2 EMIT FINAL LIMIT 10')).toMatchObject({
      where: { kind: 'Comparison', op: '>' },
      groupBy: [{ kind: 'ColumnRef', name: 'K' }, { kind: 'ArithmeticBinary' }],
      having: { kind: 'Comparison' },
      emit: 'FINAL',
      limit: 10,
    });
  });

  it('reads parenthesised GROUP BY and PARTITION BY lists', () => {
    expect(q('SELECT * FROM s GROUP BY (a, b)').groupBy).toEqual([{ kind: 'ColumnRef', name: 'A' }, { kind: 'ColumnRef', name: 'B' }]);
    expect(q('SELECT * FROM s GROUP BY (a + 1) * 2').groupBy).toMatchObject([{ kind: 'ArithmeticBinary', op: '*' }]);
    expect(q('SELECT * FROM s PARTITION BY (a, b)').partitionBy).toHaveLength(2);
    expect(q('SELECT * FROM s GROUP BY ()').groupBy).toEqual([]);
  });

  it('leaves emit absent for pull queries', () => {
    expect(q('SELECT * FROM t WHERE k = 1')).not.toHaveProperty('emit');
  });

  it('requires an integer LIMIT', () => {
    expect(() => query('SELECT * FROM t LIMIT 2.5')).toThrow('Failed to prepare statement: Value must be integer for command: LIMIT');
  });

  it('spans the whole query', () => {
    const text = 'SELECT a\nFROM s\nEMIT CHANGES';
    expect(query(text).span).toEqual({ start: 0, end: text.length, line: 1, column: 1 });
    expect(query(text).from.span).toEqual({ start: 14, end: 15, line: 2, column: 6 });
  });
});
