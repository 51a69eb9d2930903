import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import { parseExpression, parseScript, parseStatement } from '../../engine/sql/index.js';

function failure(run: () => unknown): ParseFailedException {
  try {
    run();
  } catch (e) {
    if (e instanceof ParseFailedException) return e;
    throw e;
  }
  throw new Error('expected a ParseFailedException');
}

describe('syntax errors (ksqlDB wording)', () => {
  it('names an unknown statement and suggests the closest one', () => {
    const e = failure(() => parseStatement("PRONT 'topic';"));
    expect(e.unloggedMessage).toBe("line 1:1: Syntax Error\nUnknown statement 'PRONT'\nDid you mean 'PRINT'?");
    expect(e.message).toBe("line 1:1: Syntax Error\nUnknown statement 'PRONT'\nDid you mean 'PRINT'?\nStatement: PRONT 'topic';");
    expect(failure(() => parseStatement('FOO BAR')).unloggedMessage).toBe("line 1:1: Syntax Error\nUnknown statement 'FOO'");
  });

  it('reports a mismatched token as Expecting {...}', () => {
    const e = failure(() => parseScript("CREATE STREAM INPUT (K DOUBLE (KEY)) WITH (kafka_topic='input',value_format='JSON');"));
    expect(e.message).toBe(
      "line 1:32: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}\nStatement: CREATE STREAM INPUT (K DOUBLE (KEY)) WITH (kafka_topic='input',value_format='JSON');",
    );
  });

  it('reports a missing closer at the script line and column', () => {
    const script = "CREATE STREAM TEST (ID INT KEY, f1 INT) WITH (kafka_topic='t', value_format='JSON');\n" +
      'CREATE TABLE OUTPUT AS SELECT f1, f2, COUNT(*) FROM TEST GROUP BY f3, (f2, f1);';
    expect(failure(() => parseScript(script)).unloggedMessage).toBe("line 2:74: Syntax Error\nmissing ')' at ','");
  });

  it('reports a token that cannot start anything as "Syntax error at or near"', () => {
    const script = "CREATE STREAM TEST (ID STRING KEY) WITH (kafka_topic='t');\nCREATE STREAM OUTPUT AS SELECT ID, cast(f0 as NULL) FROM TEST;";
    expect(failure(() => parseScript(script)).message).toContain("Syntax error at or near 'NULL' at line 2:47");
    expect(failure(() => parseScript(script)).message).toContain('line 2:47: Syntax Error');
  });

  it('reports extraneous input before an expected token', () => {
    expect(failure(() => parseStatement('SELECT * FROM s EMIT CHANGES x;')).unloggedMessage)
      .toBe("line 1:30: Syntax Error\nextraneous input 'x' expecting ';'");
  });

  it('requires the terminating semicolon in scripts', () => {
    expect(failure(() => parseScript('SHOW STREAMS;\nSHOW TABLES')).unloggedMessage).toBe("line 2:12: Syntax Error\nmissing ';' at '<EOF>'");
    expect(parseScript('SHOW TABLES', { allowMissingTerminator: true })).toHaveLength(1);
  });

  it('reports lexical problems at their position', () => {
    expect(failure(() => parseStatement("SELECT 'open FROM s")).unloggedMessage).toBe('line 1:8: Syntax Error\nUnterminated string literal');
    expect(failure(() => parseStatement('SELECT # FROM s')).unloggedMessage).toBe("line 1:8: Syntax Error\nUnexpected character '#'");
  });

  it('fails on anything after a GROUP BY list that is not a clause', () => {
    const e = failure(() => parseStatement('CREATE TABLE OUTPUT AS SELECT COUNT(*) FROM TEST GROUP BY DATA AND ID;'));
    expect(e.message).toContain('Syntax Error');
    expect(failure(() => parseStatement('SELECT * FROM INPUT WHERE ID IN ( );')).message).toContain('Syntax Error');
  });

  it('stops runaway nesting with a syntax error', () => {
    expect(() => parseExpression(`${'('.repeat(5000)}1${')'.repeat(5000)}`)).toThrow(/nested too deeply/);
  });

  it('carries a diagnostic with a code and a span', () => {
    const e = failure(() => parseScript('SHOW STREAMS;\n  SELEC x;'));
    expect(e.diagnostic.code).toBe('SQL_SYNTAX_ERROR');
    expect(e.diagnostic.span).toMatchObject({ line: 2, column: 3 });
    expect(e.statementText).toBe('SELEC x;');
  });
});

describe('errors ksqlDB raises while building the AST', () => {
  it('prefixes them with "Failed to prepare statement"', () => {
    const e = failure(() => parseStatement('SELECT * FROM t LIMIT 2.5'));
    expect(e.unloggedMessage).toBe('Failed to prepare statement: Value must be integer for command: LIMIT');
    expect(e.diagnostic.code).toBe('SQL_INVALID_STATEMENT');
  });

  it('reports an out-of-range literal with its text', () => {
    expect(failure(() => parseStatement('SELECT K, -9223372036854775809 FROM INPUT;')).message).toContain('Invalid numeric literal: -9223372036854775809');
  });

  it('reports the location of a misplaced key constraint as ksqlDB NodeLocation does', () => {
    const script = "SHOW STREAMS;\nCREATE TABLE INPUT (ID INT KEY) WITH (kafka_topic='i');";
    expect(failure(() => parseScript(script)).message).toContain("Line: 2, Col: 21: Column `ID` is a 'KEY' column");
  });
});
