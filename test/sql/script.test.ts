import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import { parseScript, splitStatements, substituteVariables } from '../../engine/sql/index.js';

describe('splitStatements', () => {
  it('splits on semicolons outside strings, quoted names and comments', () => {
    const script = "SELECT ';' FROM `a;b`; -- x; y\nSHOW \"t;\" /* ; */ STREAMS;\n\n  PRINT t;  ";
    expect(splitStatements(script)).toEqual(["SELECT ';' FROM `a;b`;", 'SHOW "t;" /* ; */ STREAMS;', 'PRINT t;']);
  });

  it('keeps an unterminated last statement and drops comment-only tails', () => {
    expect(splitStatements('SHOW STREAMS; SHOW TABLES')).toEqual(['SHOW STREAMS;', 'SHOW TABLES']);
    expect(splitStatements('SHOW STREAMS; -- done\n')).toEqual(['SHOW STREAMS;']);
    expect(splitStatements('  ')).toEqual([]);
  });
});

describe('parseScript', () => {
  it('returns each statement with its exact text and place in the script', () => {
    const script = "-- setup\nCREATE STREAM s (id INT KEY) WITH (kafka_topic='s');\n  INSERT INTO s VALUES (1);";
    const parsed = parseScript(script);
    expect(parsed.map((p) => p.text)).toEqual(["CREATE STREAM s (id INT KEY) WITH (kafka_topic='s');", 'INSERT INTO s VALUES (1);']);
    expect(parsed.map((p) => p.statement.kind)).toEqual(['CreateSource', 'InsertValues']);
    expect(parsed[1]!.span).toEqual({ start: 64, end: 89, line: 3, column: 3 });
    expect(script.slice(parsed[1]!.span.start, parsed[1]!.span.end)).toBe(parsed[1]!.text);
    // Node spans: offsets into the statement text, line/column in the script.
    const insert = parsed[1]!.statement;
    if (insert.kind !== 'InsertValues') throw new Error(insert.kind);
    expect(insert.values[0]!.span).toEqual({ start: 22, end: 23, line: 3, column: 25 });
    expect(parsed[1]!.text.slice(22, 23)).toBe('1');
  });

  it('returns nothing for an empty script', () => {
    expect(parseScript('')).toEqual([]);
    expect(parseScript('/* nothing */')).toEqual([]);
  });

  it('substitutes variables case-insensitively from a Map or a record', () => {
    const fromMap = parseScript('DESCRIBE ${Src};', { variables: new Map([['src', 'orders']]) });
    expect(fromMap[0]!.statement).toMatchObject({ kind: 'DescribeSource', name: 'ORDERS' });
    expect(fromMap[0]!.text).toBe('DESCRIBE orders;');
    const fromRecord = parseScript("PRINT '${TOPIC}';", { variables: { topic: 'Orders' } });
    expect(fromRecord[0]!.statement).toMatchObject({ kind: 'Print', topic: 'Orders' });
  });

  it('applies DEFINE and UNDEFINE to the statements that follow', () => {
    const script = "DEFINE fmt = 'JSON';\nCREATE STREAM s WITH (kafka_topic='s', format='${fmt}');\nUNDEFINE fmt;\nDESCRIBE ${fmt};";
    let error: unknown;
    try {
      parseScript(script);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseFailedException);
    expect((error as ParseFailedException).unloggedMessage).toBe("line 4:10: Syntax Error\nUndefined variable: 'fmt'");
    const parsed = parseScript(script.split('\n').slice(0, 2).join('\n'));
    expect(parsed[1]!.statement).toMatchObject({ properties: [{ name: 'KAFKA_TOPIC' }, { name: 'FORMAT', value: { value: 'JSON' } }] });
  });

  it('does not let a DEFINE in the script change the caller\'s variables', () => {
    const variables = new Map([['a', 'x']]);
    parseScript("DEFINE a = 'y';", { variables });
    expect(variables.get('a')).toBe('x');
  });
});

describe('substituteVariables', () => {
  it('leaves unknown variables alone', () => {
    expect(substituteVariables('${a} ${b}', { A: '1' })).toBe('1 ${b}');
  });
});
