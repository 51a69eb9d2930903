/**
 * Scripts: splitting on `;` (quote- and comment-aware, via the scanner), `${var}` substitution, and
 * DEFINE / UNDEFINE applied to the statements that follow them (ksqlDB's semantics).
 */
import type { ParsedStatement, Span, Statement } from './ast.js';
import { Cursor } from './cursor.js';
import { parseStatementBody, type StatementOptions } from './parse-statement.js';
import { scan, type ScanOrigin } from './scanner.js';
import { tokenDisplay, type Token } from './tokens.js';

export interface ScriptOptions extends StatementOptions {
  /** Variables for `${name}` substitution; names are matched case-insensitively. */
  readonly variables?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /**
   * Accept a last statement without its `;`. ksqlDB requires the terminator
   * ("missing ';' at '<EOF>'"), so this is off by default.
   */
  readonly allowMissingTerminator?: boolean;
}

/** One statement's place in a script. */
interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly origin: ScanOrigin;
  readonly terminated: boolean;
  readonly startsWith: string;
}

function chunks(script: string): Chunk[] {
  const result: Chunk[] = [];
  let first: Token | undefined;
  for (const t of scan(script)) {
    if (t.kind === 'eof') {
      if (first) result.push(chunkOf(first, t, false));
      break;
    }
    first ??= t;
    if (t.kind === 'op' && t.value === ';') {
      result.push(chunkOf(first, t, true));
      first = undefined;
    }
  }
  return result;
}

function chunkOf(first: Token, last: Token, terminated: boolean): Chunk {
  return {
    start: first.start, end: last.end, origin: { line: first.line, column: first.column }, terminated,
    startsWith: first.kind === 'ident' ? first.value : '',
  };
}

/**
 * Splits a script into statements, each trimmed to run from its first token through its `;`
 * (comments before a statement are dropped; a last statement without `;` is kept as it is).
 */
export function splitStatements(script: string): string[] {
  return chunks(script).map((ch) => script.slice(ch.start, ch.end));
}

function variableMap(variables: ScriptOptions['variables']): Map<string, string> {
  const map = new Map<string, string>();
  if (!variables) return map;
  const entries = variables instanceof Map ? [...variables.entries()] : Object.entries(variables);
  for (const [k, v] of entries) map.set(k.toUpperCase(), v);
  return map;
}

/** Replaces each `${name}` whose name (case-insensitive) is defined; others are left as written. */
export function substituteVariables(text: string, variables: ScriptOptions['variables']): string {
  const map = variableMap(variables);
  if (map.size === 0 || !text.includes('${')) return text;
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => map.get(name.toUpperCase()) ?? whole);
}

/** Parses a `;`-separated script. Positions in errors and spans count lines from the start of the script. */
export function parseScript(script: string, options: ScriptOptions = {}): ParsedStatement[] {
  const variables = variableMap(options.variables);
  const parsed: ParsedStatement[] = [];
  for (const ch of chunks(script)) {
    const original = script.slice(ch.start, ch.end);
    const isDefinition = ch.startsWith === 'DEFINE' || ch.startsWith === 'UNDEFINE';
    const text = isDefinition ? original : substituteVariables(original, variables);
    const statement = parseOne(text, ch.origin, options, options.allowMissingTerminator !== true);
    if (statement.kind === 'DefineVariable') variables.set(statement.name.toUpperCase(), statement.value);
    if (statement.kind === 'UndefineVariable') variables.delete(statement.name.toUpperCase());
    const span: Span = { start: ch.start, end: ch.end, line: ch.origin.line, column: ch.origin.column };
    parsed.push({ statement, text, span });
  }
  return parsed;
}

/**
 * Parses one statement. With `requireTerminator` the statement must end with `;`; otherwise the `;`
 * is optional. Nothing may follow it.
 */
export function parseOne(text: string, origin: ScanOrigin, options: StatementOptions, requireTerminator: boolean): Statement {
  const c = new Cursor(scan(text, origin), text);
  const statement = parseStatementBody(c, options);
  if (c.isOp(';')) c.next();
  else if (requireTerminator || c.peek().kind !== 'eof') {
    const t = c.peek();
    if (t.kind === 'eof') c.fail(t, `missing ';' at '${tokenDisplay(t)}'`);
    c.mismatch(["';'"], (x) => x.kind === 'op' && x.value === ';');
  }
  const rest = c.peek();
  if (rest.kind !== 'eof') c.fail(rest, `extraneous input '${tokenDisplay(rest)}' expecting <EOF>`);
  return statement;
}
