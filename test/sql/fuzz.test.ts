/**
 * Robustness: random token soups, truncations and character mutations of real statements must either
 * parse or fail with ParseFailedException — never another error, and never slowly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import {
  formatExpression, formatJavaDouble, parseColumnList, parseExpression, parseScript, parseStatement, parseType, splitStatements,
} from '../../engine/sql/index.js';
import { loadConformanceCases, noSpans } from './helpers.js';

const STATEMENTS = [...new Set(loadConformanceCases().flatMap((c) => c.statements))];

const VOCABULARY = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'PARTITION', 'HAVING', 'EMIT', 'CHANGES', 'FINAL', 'LIMIT', 'WINDOW', 'TUMBLING',
  'HOPPING', 'SESSION', 'SIZE', 'ADVANCE', 'RETENTION', 'GRACE', 'PERIOD', 'JOIN', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'INNER',
  'WITHIN', 'ON', 'AS', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'DISTINCT', 'BETWEEN', 'IN', 'LIKE', 'ESCAPE', 'CASE', 'WHEN', 'THEN',
  'ELSE', 'END', 'CAST', 'ARRAY', 'MAP', 'STRUCT', 'DECIMAL', 'INT', 'STRING', 'AT', 'TIME', 'ZONE', 'CREATE', 'OR', 'REPLACE',
  'SOURCE', 'STREAM', 'TABLE', 'TYPE', 'IF', 'EXISTS', 'WITH', 'KEY', 'PRIMARY', 'HEADER', 'HEADERS', 'INSERT', 'INTO',
  'VALUES', 'DROP', 'DELETE', 'TOPIC', 'SHOW', 'LIST', 'STREAMS', 'TABLES', 'DESCRIBE', 'EXTENDED', 'FUNCTION', 'PRINT',
  'BEGINNING', 'INTERVAL', 'TERMINATE', 'ALL', 'SET', 'UNSET', 'DEFINE', 'UNDEFINE', 'EXPLAIN', 'ALTER', 'ADD', 'COLUMN',
  'ASSERT', 'SCHEMA', 'SUBJECT', 'ID', 'TIMEOUT', 'CONNECTOR', 'SINK', 'SECONDS', 'DAY', 'COUNT', 'TRANSFORM',
  'a', 'b1', '`Q`', '"q"', '1col', "'s'", "'it''s'", '0', '1', '-1', '2147483648', '99999999999999999999', '1.5', '.5', '1e3',
  '${v}', '(', ')', '[', ']', '<', '>', ',', '.', ';', '*', '+', '-', '/', '%', '=', '<>', '!=', '<=', '>=', '||', '->', '=>',
  ':=', '#', "'open", '/*', '--', '\n',
];

const MUTATION_CHARS = [...'()[]<>,.;*+-/%=!|:\'"`$ {}_@0123456789aZ\n\t#'];

/** Runs every entry point on `text`; anything but ParseFailedException (or a slow parse) fails the property. */
function survives(text: string): boolean {
  const entryPoints: ((t: string) => unknown)[] = [
    (t) => parseScript(t),
    (t) => parseScript(t, { variables: { v: 'x' }, allowMissingTerminator: true }),
    (t) => parseStatement(t),
    (t) => formatExpression(parseExpression(t)),
    (t) => parseType(t),
    (t) => parseColumnList(t),
    (t) => splitStatements(t),
  ];
  for (const run of entryPoints) {
    const started = performance.now();
    try {
      run(text);
    } catch (e) {
      if (!(e instanceof ParseFailedException)) throw e;
    }
    const elapsed = performance.now() - started;
    if (elapsed > 250) throw new Error(`slow parse (${elapsed.toFixed(0)} ms): ${JSON.stringify(text)}`);
  }
  return true;
}

describe('parser fuzzing', () => {
  it('survives random token soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 40 }), fc.constantFrom(' ', '', '\n'), (tokens, sep) =>
        survives(tokens.join(sep))),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('survives statement-shaped soups', () => {
    const starts = ['SELECT', 'CREATE STREAM s', 'CREATE TABLE t', 'INSERT INTO s', 'CREATE STREAM s AS SELECT', 'SHOW', 'DESCRIBE'];
    fc.assert(
      fc.property(fc.constantFrom(...starts), fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 30 }), (start, tokens) =>
        survives(`${start} ${tokens.join(' ')};`)),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('survives truncations of conformance statements', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATEMENTS), fc.nat(), (statement, cut) => survives(statement.slice(0, cut % (statement.length + 1)))),
      { numRuns: 2000, seed: 1 },
    );
  });

  it('survives character mutations of conformance statements', () => {
    const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('insert', 'delete', 'replace'), ch: fc.constantFrom(...MUTATION_CHARS) });
    fc.assert(
      fc.property(fc.constantFrom(...STATEMENTS), fc.array(edit, { minLength: 1, maxLength: 4 }), (statement, edits) => {
        let text = statement;
        for (const { at, op, ch } of edits) {
          const i = at % (text.length + 1);
          text = op === 'insert' ? text.slice(0, i) + ch + text.slice(i)
            : op === 'delete' ? text.slice(0, i) + text.slice(i + 1)
              : text.slice(0, i) + ch + text.slice(i + 1);
        }
        return survives(text);
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  it('formats generated expressions to text that parses back to the same tree', () => {
    const { node } = fc.letrec<{ leaf: string; node: string }>((tie) => ({
      leaf: fc.constantFrom('a', 'b', 't.c', '`q`', '1', '-2', '2147483648', '1.50', '2E3', "'s'", 'NULL', 'TRUE', 'COUNT(*)', 'x->y', 'arr[1]'),
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        tie('leaf'),
        fc.tuple(tie('node'), fc.constantFrom('+', '-', '*', '/', '%', '||', '=', '<>', '<', '>=', 'AND', 'OR', 'IS DISTINCT FROM'), tie('node'))
          .map(([l, op, r]) => `${l} ${op} ${r}`),
        tie('node').map((x) => `NOT ${x}`),
        tie('node').map((x) => `-${x}`),
        tie('node').map((x) => `(${x})`),
        tie('node').map((x) => `${x} IS NOT NULL`),
        tie('node').map((x) => `f(${x}, SECONDS)`),
        tie('node').map((x) => `CAST(${x} AS ARRAY<DECIMAL(4, 2)>)`),
        tie('node').map((x) => `TRANSFORM(a, v => ${x})`),
        tie('node').map((x) => `CASE WHEN ${x} THEN 1 ELSE ${x} END`),
        tie('node').map((x) => `ARRAY[${x}, 1]`),
        tie('node').map((x) => `MAP('k' := ${x})`),
        tie('node').map((x) => `STRUCT(f := ${x})`),
        tie('node').map((x) => `(${x})->f`),
        tie('node').map((x) => `${x} AT TIME ZONE 'UTC'`),
        fc.tuple(tie('node'), tie('node'), tie('node')).map(([a, b, c]) => `${a} NOT BETWEEN ${b} AND ${c}`),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => `${a} IN (${b}, 2)`),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => `${a} LIKE ${b} ESCAPE '!'`),
      ),
    }));
    type Node = { kind?: string; op?: string; left?: unknown; right?: unknown; value?: number; text?: string; negated?: boolean; operand?: Node };
    // A number literal as text: `-(1)` prints as `-1`, which reads back as the literal -1.
    const numberText = (n: Node | undefined): string | undefined => {
      if (n?.kind === 'IntegerLiteral') return String(n.value);
      if (n?.kind === 'LongLiteral' || n?.kind === 'DecimalLiteral') return n.text;
      if (n?.kind === 'DoubleLiteral') return formatJavaDouble(n.value!);
      if (n?.kind === 'ArithmeticUnary' && n.op === '-') {
        const inner = numberText(n.operand);
        if (inner !== undefined && !inner.startsWith('-')) return `-${inner}`;
      }
      return undefined;
    };
    const normalize = (e: unknown): string => JSON.stringify(noSpans(e), (_k, v: unknown) => {
      const n = v as Node | null;
      const number = n ? numberText(n) : undefined;
      if (number !== undefined) return { kind: 'Number', text: number };
      if (n?.kind === 'Concat') return { kind: 'FunctionCall', name: 'CONCAT', args: [n.left, n.right] };
      if ((n?.kind === 'Between' || n?.kind === 'InList') && n.negated) return { kind: 'Not', operand: { ...n, negated: false } };
      return v;
    });
    let parsed = 0;
    fc.assert(
      fc.property(node, (text) => {
        let tree;
        try {
          tree = parseExpression(text);
        } catch (e) {
          if (e instanceof ParseFailedException) return true;
          throw e;
        }
        parsed++;
        const printed = formatExpression(tree);
        expect(normalize(parseExpression(printed))).toBe(normalize(tree));
        return true;
      }),
      { numRuns: 2000, seed: 11 },
    );
    expect(parsed).toBeGreaterThan(500);
  });

  it('formats parsed expressions to text that parses back to the same text', () => {
    const expressions = ['a + b * -c', "x NOT LIKE 'a' ESCAPE '!'", 'CASE a WHEN 1 THEN 2 END', 'f(x)->y[1]', 'NOT a OR b IS NULL'];
    fc.assert(
      fc.property(fc.constantFrom(...expressions), fc.constantFrom(...expressions), fc.constantFrom('+', 'AND', '||', '='), (l, r, op) => {
        let text: string;
        try {
          text = formatExpression(parseExpression(`(${l}) ${op} (${r})`));
        } catch (e) {
          if (e instanceof ParseFailedException) return true;
          throw e;
        }
        expect(formatExpression(parseExpression(text))).toBe(text);
        return true;
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
