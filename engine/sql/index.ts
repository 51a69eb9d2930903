/**
 * The SQL front end: scanner and recursive-descent parser for ksqlDB's statement grammar.
 *
 * Spans: `line` and `column` are 1-based and, for statements parsed from a script, count from the
 * start of the script (as ksqlDB reports them); `start`/`end` are offsets into the statement's text
 * (`ParsedStatement.text`, after variable substitution). `ParsedStatement.span` gives the statement's
 * own place in the script (offsets into the script).
 *
 * Errors: every function throws `ParseFailedException` (engine/errors) with ksqlDB's wording, e.g.
 * `line 1:1: Syntax Error\nUnknown statement 'PRONT'\nDid you mean 'PRINT'?`; problems ksqlDB finds
 * while building the AST read `Failed to prepare statement: …`.
 */
import type { Expression, Statement, TableElement, TypeNode } from './ast.js';
import { Cursor } from './cursor.js';
import { parseExpr } from './parse-expression.js';
import { tableElement } from './parse-ddl.js';
import { parseTypeNode } from './parse-type.js';
import { scan } from './scanner.js';
import { parseOne, type ScriptOptions } from './script.js';
import { tokenDisplay } from './tokens.js';

export { parseScript, splitStatements, substituteVariables, type ScriptOptions } from './script.js';
export type { StatementOptions } from './parse-statement.js';
export {
  formatExpression, formatIdentifier, formatJavaDouble, formatStringLiteral, formatType, needsQuotes,
  type FormatOptions,
} from './format.js';
export { formatQuery, formatStatement } from './format-statement.js';
export { scan } from './scanner.js';
export type { Token, TokenKind } from './tokens.js';
export { SYNTAX_ERROR, INVALID_STATEMENT } from './cursor.js';

/** Parses a single statement; the trailing `;` is optional. */
export function parseStatement(text: string, options: Pick<ScriptOptions, 'allowRunScript'> = {}): Statement {
  return parseOne(text, { line: 1, column: 1 }, options, false);
}

function parseWhole<T>(text: string, rule: (c: Cursor) => T): T {
  const c = new Cursor(scan(text), text);
  const result = rule(c);
  const rest = c.peek();
  if (rest.kind !== 'eof') c.fail(rest, `extraneous input '${tokenDisplay(rest)}' expecting <EOF>`);
  return result;
}

/** Parses one expression (ksqlDB's `singleExpression`). */
export function parseExpression(text: string): Expression {
  return parseWhole(text, parseExpr);
}

/** Parses a type, e.g. `ARRAY<STRUCT<A INT, B DECIMAL(4, 2)>>`. */
export function parseType(text: string): TypeNode {
  return parseWhole(text, parseTypeNode);
}

/**
 * Parses a column list without parentheses, as QTT `post.sources[].schema` writes it:
 * `ID BIGINT KEY, NAME STRING, H BYTES HEADER('k')`. An empty text is an empty list.
 */
export function parseColumnList(text: string): TableElement[] {
  return parseWhole(text, (c) => {
    const elements: TableElement[] = [];
    if (c.peek().kind === 'eof') return elements;
    do elements.push(tableElement(c));
    while (c.acceptOp(','));
    return elements;
  });
}
