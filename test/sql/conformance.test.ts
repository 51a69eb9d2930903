/**
 * Every statement of the conformance suite parses, and every case that expects a parse failure fails
 * with the expected message. Statements are joined with `\n` and parsed as one script, as ksqlDB's
 * QTT runner does, so line numbers in messages count from the start of the case.
 */
import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import { parseColumnList, parseScript } from '../../engine/sql/index.js';
import { loadConformanceCases, loadTestRunnerScripts, type ConformanceCase } from './helpers.js';

const PARSE_FAILED = 'io.confluent.ksql.parser.exception.ParseFailedException';

const cases = loadConformanceCases();
const key = (c: ConformanceCase): string => `${c.file} :: ${c.name}`;

/** A case whose expected failure is a parse failure (by type, or by a syntax-error message). */
function expectsParseFailure(c: ConformanceCase): boolean {
  return c.expected?.type === PARSE_FAILED || /Syntax Error|Syntax error/.test(c.expected?.message ?? '');
}

/**
 * Cases that expect a non-parse exception type but whose failure ksqlDB raises while it builds the
 * AST (DefaultKsqlParser.prepare wraps those as ParseFailedException "Failed to prepare statement: …",
 * a subclass of the expected type). Sluice fails them at parse time too, with the expected message.
 */
const FAILS_WHILE_BUILDING_AST: Readonly<Record<string, string>> = {
  'qtt/delimited.json :: validate value_delimiter to be single character':
    'VALUE_DELIMITER is validated by CreateSourceProperties while the AST is built',
  'qtt/delimited.json :: validate delimiter is not empty': 'VALUE_DELIMITER validation (AST builder)',
  'qtt/delimited.json :: validate delimiter is not a space': 'VALUE_DELIMITER validation (AST builder)',
  'qtt/delimited.json :: validate delimiter is not a tab character': 'VALUE_DELIMITER validation (AST builder)',
  'qtt/elements.json :: non-join select star with unknown qualifier':
    'the AST builder checks `source.*` qualifiers against the FROM clause',
  'qtt/elements.json :: join unknown field source':
    'the AST builder checks `source.column` qualifiers against the FROM clause',
  'rqtt/insert-values.json :: should fail on column reference':
    'the AST builder checks `source.column` qualifiers in INSERT VALUES ("Failed to prepare statement: …")',
  'rqtt/pull-queries-with-limit-clause.json :: error on non-integer limit':
    'LIMIT must be an integer literal (AST builder: "Failed to prepare statement: Value must be integer …")',
  'rqtt/pull-queries-with-limit-clause.json :: error on limit clause in persistent queries - CTAS':
    'the AST builder rejects LIMIT in CREATE TABLE AS SELECT',
  'rqtt/pull-queries-with-limit-clause.json :: error on limit clause in persistent queries - CSAS':
    'the AST builder rejects LIMIT in CREATE STREAM AS SELECT',
};

function parseError(script: string): unknown {
  try {
    parseScript(script);
    return undefined;
  } catch (e) {
    return e;
  }
}

const byFile = new Map<string, ConformanceCase[]>();
for (const c of cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

describe('conformance statements', () => {
  it('loads the suite', () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  for (const [file, fileCases] of byFile) {
    it(`${file}: statements parse, parse failures match`, () => {
      const problems: string[] = [];
      for (const c of fileCases) {
        const script = c.statements.join('\n');
        const error = parseError(script);
        const allowedAtParse = FAILS_WHILE_BUILDING_AST[key(c)];
        if (expectsParseFailure(c) || allowedAtParse) {
          const message = c.expected?.message ?? '';
          if (!(error instanceof ParseFailedException)) problems.push(`${c.name}: expected ParseFailedException, got ${String(error)}`);
          else if (!error.message.includes(message)) problems.push(`${c.name}: message ${JSON.stringify(error.message)} lacks ${JSON.stringify(message)}`);
          // Only the last statement of a negative case may fail.
          const prefix = parseError(c.statements.slice(0, -1).join('\n'));
          if (prefix) problems.push(`${c.name}: a statement before the last fails: ${String(prefix)}`);
        } else if (error) {
          problems.push(`${c.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('lists only cases that exist and fail at parse time', () => {
    const names = new Set(cases.map(key));
    expect(Object.keys(FAILS_WHILE_BUILDING_AST).filter((k) => !names.has(k))).toEqual([]);
  });

  it('counts', () => {
    const statements = cases.filter((c) => !expectsParseFailure(c) && !FAILS_WHILE_BUILDING_AST[key(c)])
      .reduce((n, c) => n + c.statements.length, 0);
    const negatives = cases.filter(expectsParseFailure).length;
    console.log(`conformance: ${cases.length} cases; ${statements} statements of non-parse-failing cases parse; ` +
      `${negatives} parse-failure cases and ${Object.keys(FAILS_WHILE_BUILDING_AST).length} AST-builder failures match`);
    expect(negatives).toBeGreaterThan(10);
  });
});

describe('conformance post.sources schemas', () => {
  it('parse as column lists', () => {
    const schemas = [...new Set(cases.flatMap((c) => c.schemas))];
    const problems: string[] = [];
    for (const schema of schemas) {
      try {
        parseColumnList(schema);
      } catch (e) {
        problems.push(`${schema}: ${(e as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect(schemas.length).toBeGreaterThan(100);
  });
});

describe('test-runner statements.sql', () => {
  for (const { path, text } of loadTestRunnerScripts()) {
    it(path.replace(/.*test-runner\//, ''), () => {
      expect(parseScript(text).length).toBeGreaterThan(0);
    });
  }
});
