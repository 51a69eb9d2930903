import { describe, expect, it } from 'vitest';
import { formatJavaDouble, formatStatement, parseStatement } from '../../engine/sql/index.js';
import { loadConformanceCases, noSpans } from './helpers.js';

const fmt = (text: string): string => formatStatement(parseStatement(text));

describe('formatStatement', () => {
  // Expected strings are the `Statement:` parts of ksqlDB messages in the conformance cases.
  it.each([
    [
      'CREATE TABLE OUTPUT AS SELECT TEST.F2 AS KEY, COUNT(*) AS TOTAL FROM TEST TEST GROUP BY TEST.F2 EMIT CHANGES',
      'CREATE TABLE OUTPUT AS SELECT\n  TEST.F2 KEY,\n  COUNT(*) TOTAL\nFROM TEST TEST\nGROUP BY TEST.F2\nEMIT CHANGES',
    ],
    [
      "CREATE TABLE OUTPUT WITH (KEY_FORMAT='KAFKA') AS SELECT TEST.F1 K1, TEST.F2 K2, COUNT(*) TOTAL FROM TEST TEST GROUP BY TEST.F1, TEST.F2 EMIT CHANGES",
      "CREATE TABLE OUTPUT WITH (KEY_FORMAT='KAFKA') AS SELECT\n  TEST.F1 K1,\n  TEST.F2 K2,\n  COUNT(*) TOTAL\nFROM TEST TEST\nGROUP BY TEST.F1, TEST.F2\nEMIT CHANGES",
    ],
    [
      'CREATE TABLE OUTPUT AS SELECT TEST.F2 F2, TEST.F1 F1, TEST.F2 + TEST.F1 KSQL_COL_0, COUNT(*) KSQL_COL_1 FROM TEST TEST GROUP BY TEST.F1, TEST.F2 EMIT CHANGES',
      'CREATE TABLE OUTPUT AS SELECT\n  TEST.F2 F2,\n  TEST.F1 F1,\n  (TEST.F2 + TEST.F1) KSQL_COL_0,\n  COUNT(*) KSQL_COL_1\nFROM TEST TEST\nGROUP BY TEST.F1, TEST.F2\nEMIT CHANGES',
    ],
  ])('%s', (text, expected) => {
    expect(fmt(text)).toBe(expected);
  });

  it('prints joins, windows and the other clauses', () => {
    expect(fmt('SELECT * FROM a JOIN b WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON a.k = b.k WINDOW TUMBLING (SIZE 1 MINUTE) WHERE x > 1 HAVING y LIMIT 3'))
      .toBe('SELECT *\nFROM A\nINNER JOIN B WITHIN (1 SECONDS, 2 SECONDS) GRACE PERIOD 3 SECONDS ON (A.K = B.K)\nWINDOW TUMBLING ( SIZE 1 MINUTES )\nWHERE (X > 1)\nHAVING Y\nLIMIT 3');
  });

  const normalize = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(noSpans(value), (_k, v: unknown) => {
      const node = v as { kind?: string; left?: unknown; right?: unknown; value?: number; negated?: boolean } | null;
      // ksqlDB prints `a || b` as CONCAT(a, b), doubles as Java does and `a NOT IN (…)` as
      // `(NOT (a IN (…)))`; compare modulo those.
      if ((node?.kind === 'Between' || node?.kind === 'InList') && node.negated) return { kind: 'Not', operand: { ...node, negated: false } };
      if (node?.kind === 'Concat') return { kind: 'FunctionCall', name: 'CONCAT', args: [node.left, node.right] };
      if (node?.kind === 'DoubleLiteral') return { kind: 'DecimalLiteral', text: formatJavaDouble(node.value!) };
      return v;
    }));

  it('round-trips every conformance statement: parse, format, parse gives the same tree', () => {
    const statements = [...new Set(loadConformanceCases().flatMap((c) => c.statements))];
    const problems: string[] = [];
    for (const text of statements) {
      let first;
      try {
        first = parseStatement(text);
      } catch {
        continue; // negative cases
      }
      const printed = formatStatement(first);
      try {
        const again = parseStatement(printed);
        if (JSON.stringify(normalize(again)) !== JSON.stringify(normalize(first))) problems.push(`changed: ${text}\n  -> ${printed}`);
      } catch (e) {
        problems.push(`unparseable: ${text}\n  -> ${printed}\n  ${(e as Error).message}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
