/**
 * Small grammar rules shared by the statement, query and expression parsers: identifiers, numbers,
 * durations and string literals.
 */
import type {
  DecimalLiteral, DoubleLiteral, Duration, IntegerLiteral, LongLiteral, Span, StringLiteral, TimeUnit,
} from './ast.js';
import type { Cursor } from './cursor.js';
import type { Token } from './tokens.js';

/** The name an identifier token stands for: upper-cased unless quoted (ksqlDB's getIdentifierText). */
export function identifierText(token: Token): string {
  return token.kind === 'quoted' || token.kind === 'backquoted' ? token.value : token.value.toUpperCase();
}

/** An identifier as written, quotes removed (ksqlDB's case-sensitive getIdentifierText). */
export function identifierTextAsWritten(token: Token): string {
  return token.kind === 'quoted' || token.kind === 'backquoted' ? token.value : token.text;
}

/** `identifier`: fails with ksqlDB's "no viable alternative" wording on anything else. */
export function identifier(c: Cursor): Token {
  if (c.isIdentifier()) return c.next();
  if (c.peek().kind === 'variable') undefinedVariable(c);
  return c.noViableAlternative();
}

/** A `${name}` left after substitution: the variable was never defined. */
export function undefinedVariable(c: Cursor): never {
  const t = c.peek();
  return c.fail(t, `Undefined variable: '${t.value}'`);
}

const UNITS: Readonly<Record<string, TimeUnit>> = {
  MILLISECOND: 'MILLISECONDS', MILLISECONDS: 'MILLISECONDS',
  SECOND: 'SECONDS', SECONDS: 'SECONDS',
  MINUTE: 'MINUTES', MINUTES: 'MINUTES',
  HOUR: 'HOURS', HOURS: 'HOURS',
  DAY: 'DAYS', DAYS: 'DAYS',
};

export const UNIT_MILLIS: Readonly<Record<TimeUnit, number>> = {
  MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000,
};

/** The time unit named by `word` (singular or plural), if any. */
export function timeUnitOf(word: string): TimeUnit | undefined {
  return Object.hasOwn(UNITS, word) ? UNITS[word] : undefined;
}

export function isTimeUnit(c: Cursor, k = 0): boolean {
  const t = c.peek(k);
  return t.kind === 'ident' && timeUnitOf(t.value) !== undefined;
}

const UNIT_EXPECTED = ["'DAY'", "'HOUR'", "'MINUTE'", "'SECOND'", "'MILLISECOND'", "'DAYS'", "'HOURS'", "'MINUTES'", "'SECONDS'", "'MILLISECONDS'"];

export function timeUnit(c: Cursor): TimeUnit {
  if (isTimeUnit(c)) return timeUnitOf(c.next().value)!;
  return c.mismatch(UNIT_EXPECTED, (t) => t.kind === 'ident' && timeUnitOf(t.value) !== undefined);
}

const NUMBER_KINDS = new Set(['integer', 'decimal', 'double']);

/** Whether a `number` (ksqlDB: `MINUS? (DECIMAL_VALUE | FLOATING_POINT_VALUE | INTEGER_VALUE)`) starts here. */
export function isNumber(c: Cursor, k = 0): boolean {
  if (c.isOp('-', k)) return NUMBER_KINDS.has(c.peek(k + 1).kind);
  return NUMBER_KINDS.has(c.peek(k).kind);
}

export type NumberLiteral = IntegerLiteral | LongLiteral | DecimalLiteral | DoubleLiteral;

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** `number`: an optional minus folded into the literal, so -9223372036854775808 is a valid BIGINT. */
export function numberLiteral(c: Cursor): NumberLiteral {
  const first = c.peek();
  const negative = c.acceptOp('-') !== undefined;
  const t = c.peek();
  if (!NUMBER_KINDS.has(t.kind)) {
    return c.mismatch(['DECIMAL_VALUE', 'FLOATING_POINT_VALUE', 'INTEGER_VALUE'], (x) => NUMBER_KINDS.has(x.kind));
  }
  c.next();
  const span = c.spanFrom(first);
  const text = (negative ? '-' : '') + t.text;
  if (t.kind === 'integer') {
    const value = BigInt(text);
    if (value < LONG_MIN || value > LONG_MAX) c.invalid(`line ${first.line}:${first.column}: Invalid numeric literal: ${text}`, span);
    if (value < INT_MIN || value > INT_MAX) return { kind: 'LongLiteral', text: value.toString(), span };
    return { kind: 'IntegerLiteral', value: Number(value), span };
  }
  if (t.kind === 'decimal') return { kind: 'DecimalLiteral', text: normalizeDecimal(text), span };
  const value = Number(text);
  if (!Number.isFinite(value)) c.invalid(`line ${first.line}:${first.column}: Number overflows DOUBLE: ${text}`, span);
  return { kind: 'DoubleLiteral', value, text, span };
}

/** The text Java's `new BigDecimal(text).toString()` gives for a plain decimal: `.5` → `0.5`, `1.` → `1`. */
export function normalizeDecimal(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const intPart = (dot < 0 ? body : body.slice(0, dot)).replace(/^0+(?=\d)/, '') || '0';
  const fraction = dot < 0 ? '' : body.slice(dot + 1);
  return `${negative ? '-' : ''}${intPart}${fraction ? `.${fraction}` : ''}`;
}

/** A `number` that must be an integer (ksqlDB's "Value must be integer for command: X"). */
export function integerValue(c: Cursor, command: string): number {
  const literal = numberLiteral(c);
  if (literal.kind !== 'IntegerLiteral') c.invalid(`Value must be integer for command: ${command}`, literal.span);
  return literal.value;
}

/** `number windowUnit`, e.g. `30 SECONDS`. */
export function duration(c: Cursor, command: string): Duration {
  const first = c.peek();
  const literal = numberLiteral(c);
  let value: number;
  if (literal.kind === 'IntegerLiteral') value = literal.value;
  else if (literal.kind === 'LongLiteral') value = Number(literal.text);
  else return c.invalid(`Value must be integer for command: ${command}`, literal.span);
  const unit = timeUnit(c);
  return { value, unit, millis: value * UNIT_MILLIS[unit], span: c.spanFrom(first) };
}

export function stringToken(c: Cursor): Token {
  if (c.peek().kind === 'string') return c.next();
  return c.mismatch(['STRING'], (t) => t.kind === 'string');
}

export function stringLiteral(c: Cursor): StringLiteral {
  const t = stringToken(c);
  return { kind: 'StringLiteral', value: t.value, span: tokenSpan(t) };
}

export function tokenSpan(t: Token): Span {
  return { start: t.start, end: t.end, line: t.line, column: t.column };
}
