/**
 * The token cursor shared by the parse-* modules, with ksqlDB-worded syntax errors.
 *
 * Error wording follows ksqlDB (ANTLR plus ksqlDB's error strategy):
 * - a token that does not match: `line L:C: Syntax Error\nExpecting {…}`,
 *   or ANTLR's single-token recovery messages `missing X at 'y'` / `extraneous input 'y' expecting X`;
 * - no alternative can start here: `line L:C: Syntax Error\nSyntax error at or near 'y' at line L:C`;
 * - an unknown first word: `line L:C: Syntax Error\nUnknown statement 'X'[\nDid you mean 'Y'?]`;
 * - a problem found after the syntax is recognised (ksqlDB's AstBuilder): `Failed to prepare statement: …`.
 */
import type { Span } from './ast.js';
import { ParseFailedException } from '../errors/index.js';
import { RESERVED, tokenDisplay, type Token } from './tokens.js';

export const SYNTAX_ERROR = 'SQL_SYNTAX_ERROR';
export const INVALID_STATEMENT = 'SQL_INVALID_STATEMENT';

const MAX_NESTING = 200;

/** A column reference written `source.column`, checked against the FROM clause when the query ends. */
export interface QualifiedRef {
  readonly source: string;
  readonly span: Span;
}

export class Cursor {
  private pos = 0;
  /** Names bound by the enclosing lambdas, innermost last. */
  readonly lambdaScopes: ReadonlySet<string>[] = [];
  /** Qualified column references seen in the current query (see QualifiedRef). */
  qualifiedRefs: QualifiedRef[] = [];
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    /** The statement text, for the exception (`\nStatement: …`). */
    readonly statementText: string,
  ) {}

  peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /** The last consumed token (the end of the node being built). */
  last(): Token {
    return this.tokens[Math.max(0, this.pos - 1)]!;
  }

  mark(): number {
    return this.pos;
  }

  reset(mark: number): void {
    this.pos = mark;
  }

  isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.value === word;
  }

  isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === op;
  }

  isEnd(k = 0): boolean {
    return this.peek(k).kind === 'eof' || this.isOp(';', k);
  }

  acceptKw(word: string): Token | undefined {
    return this.isKw(word) ? this.next() : undefined;
  }

  acceptOp(op: string): Token | undefined {
    return this.isOp(op) ? this.next() : undefined;
  }

  expectKw(word: string): Token {
    if (this.isKw(word)) return this.next();
    return this.mismatch([`'${word}'`], (t) => t.kind === 'ident' && t.value === word);
  }

  expectOp(op: string): Token {
    if (this.isOp(op)) return this.next();
    return this.mismatch([`'${op}'`], (t) => t.kind === 'op' && t.value === op, [')', ']', '>'].includes(op));
  }

  /** Whether the token can be an identifier (not a reserved keyword). */
  isIdentifier(k = 0): boolean {
    const t = this.peek(k);
    switch (t.kind) {
      case 'ident':
        return !RESERVED.has(t.value);
      case 'quoted':
      case 'backquoted':
      case 'digitIdent':
        return true;
      default:
        return false;
    }
  }

  /**
   * Runs a recursive rule with a nesting limit, so that pathological input (`((((…`) fails with a
   * syntax error instead of overflowing the stack.
   */
  nested<T>(rule: () => T): T {
    if (this.depth >= MAX_NESTING) this.fail(this.peek(), `Statement is nested too deeply (more than ${MAX_NESTING} levels)`);
    this.depth++;
    try {
      return rule();
    } finally {
      this.depth--;
    }
  }

  spanFrom(first: Token): Span {
    const last = this.last();
    const end = last.end >= first.start ? last.end : first.end;
    return { start: first.start, end, line: first.line, column: first.column };
  }

  /** ANTLR's recoverInline: single-token deletion, then insertion (for closers), else a mismatch. */
  mismatch(expected: readonly string[], matches: (t: Token) => boolean, closer = false): never {
    const cur = this.peek();
    this.checkLexical(cur);
    const want = formatExpected(expected);
    if (cur.kind !== 'eof' && matches(this.peek(1))) {
      this.fail(cur, `extraneous input '${tokenDisplay(cur)}' expecting ${want}`);
    }
    if (closer && canFollowCloser(cur)) this.fail(cur, `missing ${want} at '${tokenDisplay(cur)}'`);
    this.fail(cur, `Expecting ${want}`);
  }

  /** No alternative can start at the current token. */
  noViableAlternative(token: Token = this.peek()): never {
    this.checkLexical(token);
    this.fail(token, `Syntax error at or near '${tokenDisplay(token)}' at line ${token.line}:${token.column}`);
  }

  fail(token: Token, detail: string): never {
    const span: Span = { start: token.start, end: token.end, line: token.line, column: token.column };
    throw new ParseFailedException(
      { code: SYNTAX_ERROR, message: `line ${token.line}:${token.column}: Syntax Error\n${detail}`, span },
      this.statementText,
    );
  }

  /** An error ksqlDB's AST builder raises while preparing a syntactically valid statement. */
  invalid(message: string, span?: Span): never {
    throw new ParseFailedException(
      { code: INVALID_STATEMENT, message: `Failed to prepare statement: ${message}`, ...(span ? { span } : {}) },
      this.statementText,
    );
  }

  private checkLexical(token: Token): void {
    if (token.kind === 'error') this.fail(token, token.value);
  }
}

export function formatExpected(expected: readonly string[]): string {
  return expected.length === 1 ? expected[0]! : `{${expected.join(', ')}}`;
}

/** ksqlDB's `NodeLocation.asPrefix()`: `Line: 1, Col: 21: `. */
export function locationPrefix(span: Span): string {
  return `Line: ${span.line}, Col: ${span.column}: `;
}

/** Whether `token` could come right after a closing bracket (ANTLR's single-token insertion test). */
function canFollowCloser(token: Token): boolean {
  if (token.kind === 'eof') return true;
  if (token.kind === 'op') return token.value !== '(' && token.value !== '[' && token.value !== '.';
  return token.kind === 'ident' && RESERVED.has(token.value);
}
