/**
 * The ksqlDB scanner (the lexer rules of `SqlBase.g4`), hand-written because the lexical rules are
 * few and a generated lexer would bring a runtime dependency for a page of code.
 *
 * The scanner never throws: input it cannot tokenise becomes an `error` token (an unterminated quote
 * runs to the end of the input), so that statement splitting works on any text and the parser reports
 * the problem with a position.
 */
import { OPERATORS, type Token, type TokenKind } from './tokens.js';

/** Where the scanned text starts within a larger script (1-based line and column). */
export interface ScanOrigin {
  readonly line: number;
  readonly column: number;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
const isWordChar = (c: string): boolean => isLetter(c) || isDigit(c) || c === '_' || c === '@';
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/** Scans `text` into tokens, ending with an `eof` token. Comments and whitespace are skipped. */
export function scan(text: string, origin: ScanOrigin = { line: 1, column: 1 }): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = origin.line;
  // Column of offset `pos` is `pos - lineStart + 1`; the first line may start mid-line in a script.
  let lineStart = -(origin.column - 1);

  const advanceTo = (to: number): void => {
    for (let i = pos; i < to; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    pos = to;
  };
  const push = (kind: TokenKind, end: number, value: string): void => {
    tokens.push({ kind, text: text.slice(pos, end), value, start: pos, end, line, column: pos - lineStart + 1 });
    advanceTo(end);
  };

  while (pos < text.length) {
    const c = text[pos]!;
    const next = text[pos + 1] ?? '';
    if (isSpace(c)) {
      advanceTo(pos + 1);
    } else if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', pos);
      advanceTo(nl < 0 ? text.length : nl);
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', pos + 2);
      if (close < 0) push('error', text.length, 'Unterminated comment');
      else advanceTo(close + 2);
    } else if (c === "'" || c === '"' || c === '`') {
      const kind: TokenKind = c === "'" ? 'string' : c === '"' ? 'quoted' : 'backquoted';
      const end = scanQuoted(text, pos, c);
      if (end < 0) push('error', text.length, kind === 'string' ? 'Unterminated string literal' : 'Unterminated quoted identifier');
      else push(kind, end, text.slice(pos + 1, end - 1).split(c + c).join(c));
    } else if (c === '$' && next === '{') {
      const close = text.indexOf('}', pos + 2);
      const name = close < 0 ? '' : text.slice(pos + 2, close);
      if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) push('error', pos + 2, 'Invalid variable reference');
      else push('variable', close + 1, name);
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      const { kind, end } = scanNumberOrDigitWord(text, pos);
      push(kind, end, kind === 'digitIdent' ? text.slice(pos, end).toUpperCase() : text.slice(pos, end));
    } else if (isLetter(c) || c === '_') {
      let end = pos + 1;
      while (end < text.length && isWordChar(text[end]!)) end++;
      push('ident', end, text.slice(pos, end).toUpperCase());
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, pos));
      if (op) push('op', pos + op.length, op);
      else push('error', pos + 1, `Unexpected character '${c}'`);
    }
  }
  tokens.push({ kind: 'eof', text: '', value: '', start: text.length, end: text.length, line, column: text.length - lineStart + 1 });
  return tokens;
}

/** Returns the offset just past the closing quote, or -1 when the quote is not closed. */
function scanQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const close = text.indexOf(quote, i);
    if (close < 0) return -1;
    if (text[close + 1] === quote) {
      i = close + 2;
      continue;
    }
    return close + 1;
  }
}

/**
 * Numbers follow ANTLR's longest-match rule between INTEGER_VALUE (`1`), DECIMAL_VALUE (`1.5`, `1.`,
 * `.5`), FLOATING_POINT_VALUE (`1.5E3`) and DIGIT_IDENTIFIER (`1col`); on a tie the number wins.
 */
function scanNumberOrDigitWord(text: string, start: number): { kind: TokenKind; end: number } {
  let i = start;
  while (isDigit(text[i] ?? '')) i++;
  const intEnd = i;
  let kind: TokenKind = 'integer';
  if (text[i] === '.') {
    i++;
    while (isDigit(text[i] ?? '')) i++;
    kind = 'decimal';
  }
  if (text[i] === 'E' || text[i] === 'e') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (isDigit(text[j] ?? '')) {
      while (isDigit(text[j] ?? '')) j++;
      i = j;
      kind = 'double';
    }
  }
  // A digit-led word (`1col`, `1e5x`) is longer than the number it starts with.
  if (intEnd > start) {
    let w = start;
    while (w < text.length && isWordChar(text[w]!)) w++;
    if (w > i) {
      return { kind: 'digitIdent', end: w };
    }
  }
  return { kind, end: i };
}
