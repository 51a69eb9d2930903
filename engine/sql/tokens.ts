/**
 * Token kinds and the keyword tables of ksqlDB's `SqlBase.g4`.
 *
 * Keywords are not a separate token kind: an unquoted word is an `ident` token whose `value` is the
 * upper-cased text, and the parser asks whether it is a given keyword. Whether a keyword may also be
 * used as a name is decided by {@link RESERVED} (everything in the grammar's keyword list that is not
 * in its `nonReserved` rule).
 */

export type TokenKind =
  /** An unquoted word: a keyword or an identifier. `value` is upper-cased. */
  | 'ident'
  /** `"Name"`: `value` is the content with `""` unescaped, case kept. */
  | 'quoted'
  /** `` `Name` ``: `value` is the content with ` `` ` unescaped, case kept. */
  | 'backquoted'
  /** A word that starts with a digit, e.g. `1col` (ksqlDB's DIGIT_IDENTIFIER). `value` is upper-cased. */
  | 'digitIdent'
  /** `'text'`: `value` is the content with `''` unescaped. */
  | 'string'
  | 'integer'
  | 'decimal'
  | 'double'
  /** `${name}`: `value` is the name as written. */
  | 'variable'
  /** Punctuation and operators; `value` is the operator text. */
  | 'op'
  /** Input the scanner could not turn into a token (an unterminated quote, a stray character). */
  | 'error'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The exact source text of the token. */
  readonly text: string;
  readonly value: string;
  /** Offsets into the text that was scanned (UTF-16 code units). */
  readonly start: number;
  readonly end: number;
  /** 1-based, relative to the script when a base position was given to the scanner. */
  readonly line: number;
  readonly column: number;
}

/** Operators and punctuation, longest first (the scanner tries them in this order). */
export const OPERATORS: readonly string[] = [
  ':=', '=>', '->', '||', '<>', '!=', '<=', '>=',
  '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.', ';',
];

/**
 * Keywords that are reserved: they cannot be used as an unquoted identifier. This is the keyword
 * list of ksqlDB's grammar minus its `nonReserved` rule, as far as the conformance statements and the
 * documentation show (e.g. SHOW, TABLES, KEY, EMIT, TYPE, DATE, TIME, TIMESTAMP, SOURCE, ID are names).
 */
export const RESERVED: ReadonlySet<string> = new Set([
  'SELECT', 'FROM', 'AS', 'ALL', 'DISTINCT', 'WHERE', 'WITHIN', 'WINDOW', 'GROUP', 'BY', 'HAVING', 'LIMIT',
  'AT', 'OR', 'AND', 'IN', 'NOT', 'EXISTS', 'BETWEEN', 'LIKE', 'IS', 'NULL', 'TRUE', 'FALSE',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'JOIN', 'FULL', 'OUTER', 'INNER', 'LEFT', 'RIGHT', 'ON',
  'WITH', 'VALUES', 'CREATE', 'TABLE', 'TOPIC', 'STREAM', 'STREAMS', 'INSERT', 'DELETE', 'INTO',
  'DESCRIBE', 'EXTENDED', 'PRINT', 'CAST', 'LIST', 'TOPICS', 'QUERY', 'QUERIES', 'TERMINATE',
  'PAUSE', 'RESUME', 'LOAD', 'DROP', 'TO', 'RENAME', 'DEFINE', 'UNDEFINE', 'UNSET', 'RUN', 'SCRIPT',
  'BEGINNING', 'SAMPLE', 'EXPORT', 'CATALOG', 'PROPERTIES', 'VARIABLES', 'CONNECTOR', 'CONNECTORS',
  'TUMBLING', 'HOPPING', 'SIZE', 'ADVANCE', 'RETENTION', 'GRACE', 'PERIOD',
  'MILLISECOND', 'MILLISECONDS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS', 'YEARS', 'MONTHS',
]);

/** Words that begin a statement (for "Unknown statement" errors and their suggestions). */
export const STATEMENT_STARTS: readonly string[] = [
  'SELECT', 'SHOW', 'LIST', 'DESCRIBE', 'PRINT', 'TERMINATE', 'PAUSE', 'RESUME', 'SET', 'UNSET', 'ALTER',
  'DEFINE', 'UNDEFINE', 'CREATE', 'INSERT', 'DROP', 'EXPLAIN', 'ASSERT',
];

/** How ANTLR would show a token in an error message (`'<EOF>'`, `'foo'`). */
export function tokenDisplay(token: Token): string {
  return token.kind === 'eof' ? '<EOF>' : token.text;
}
