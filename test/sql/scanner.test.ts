import { describe, expect, it } from 'vitest';
import { scan } from '../../engine/sql/index.js';

const kinds = (text: string): string[] => scan(text).map((t) => `${t.kind}:${t.value}`);

describe('scanner', () => {
  it('upper-cases unquoted words and keeps quoted ones', () => {
    expect(kinds('select Foo_1@x `Mixed``q` "Dq""x"')).toEqual([
      'ident:SELECT', 'ident:FOO_1@X', 'backquoted:Mixed`q', 'quoted:Dq"x', 'eof:',
    ]);
  });

  it('scans strings with doubled quotes', () => {
    const [t] = scan("'it''s'");
    expect(t).toMatchObject({ kind: 'string', value: "it's", text: "'it''s'" });
  });

  it('scans numbers and digit-led identifiers by longest match', () => {
    expect(kinds('1 12 1.5 1. .5 1.5E3 1e-2 2E+3 1col 1e5x 1_000')).toEqual([
      'integer:1', 'integer:12', 'decimal:1.5', 'decimal:1.', 'decimal:.5', 'double:1.5E3', 'double:1e-2',
      'double:2E+3', 'digitIdent:1COL', 'digitIdent:1E5X', 'digitIdent:1_000', 'eof:',
    ]);
  });

  it('scans operators, longest first', () => {
    expect(kinds('-> => := || <> != <= >= = < > + - * / % ( ) [ ] , . ;').slice(0, -1)).toEqual(
      ['->', '=>', ':=', '||', '<>', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.', ';']
        .map((o) => `op:${o}`),
    );
  });

  it('keeps nested type brackets apart', () => {
    expect(kinds('MAP<STRING,ARRAY<INT>>').filter((k) => k.startsWith('op'))).toEqual(['op:<', 'op:,', 'op:<', 'op:>', 'op:>']);
  });

  it('scans variables', () => {
    expect(kinds('${myVar}')).toEqual(['variable:myVar', 'eof:']);
  });

  it('skips comments, including directive comments', () => {
    expect(kinds('a -- line\n/* block\n */ b --@directive\nc')).toEqual(['ident:A', 'ident:B', 'ident:C', 'eof:']);
  });

  it('tracks 1-based line and column, from an origin', () => {
    const tokens = scan('a\n  bb\tc', { line: 3, column: 5 });
    expect(tokens.map((t) => [t.line, t.column, t.start, t.end])).toEqual([[3, 5, 0, 1], [4, 3, 4, 6], [4, 6, 7, 8], [4, 7, 8, 8]]);
  });

  it('turns unscannable input into error tokens instead of throwing', () => {
    expect(scan("'open").map((t) => t.kind)).toEqual(['error', 'eof']);
    expect(scan('`open').map((t) => t.kind)).toEqual(['error', 'eof']);
    expect(scan('/* open').map((t) => t.kind)).toEqual(['error', 'eof']);
    expect(scan('a # b').map((t) => t.kind)).toEqual(['ident', 'error', 'ident', 'eof']);
    expect(scan('${').map((t) => t.kind)).toEqual(['error', 'eof']);
  });
});
