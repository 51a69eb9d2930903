// Splitting a script into statements and deciding where each one goes. The server parses for real;
// this only has to find the top-level semicolons and the first keyword of each statement.

/**
 * Splits `text` at top-level semicolons, skipping those inside 'strings' ('' escapes), "quoted" and
 * `backquoted` identifiers, -- line comments and block comments. Each piece keeps its own text
 * (with a terminating semicolon added when the last one has none); blank pieces are dropped.
 * @param {string} text
 * @returns {string[]}
 */
export function splitStatements(text) {
  return locateStatements(text).map((s) => s.text);
}

/**
 * splitStatements, with the offset in `text` where each statement starts.
 * @param {string} text
 * @returns {Array<{ text: string, start: number }>}
 */
export function locateStatements(text) {
  /** @type {Array<{ text: string, start: number }>} */
  const out = [];
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n) {
        if (text[i] === c) {
          if (text[i + 1] === c) { i += 2; continue; }
          break;
        }
        i++;
      }
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === ';') {
      push(start, i + 1);
      i++;
      start = i;
    } else {
      i++;
    }
  }
  push(start, n);
  return out;

  /** @param {number} from @param {number} to */
  function push(from, to) {
    const piece = text.slice(from, to);
    if (!stripComments(piece).trim()) return;
    const trimmed = piece.trim();
    const at = from + piece.length - piece.trimStart().length;
    if (stripComments(trimmed).trim().endsWith(';')) out.push({ text: trimmed, start: at });
    else out.push({ text: /--[^\n]*$/.test(trimmed) ? `${trimmed}\n;` : `${trimmed};`, start: at });
  }
}

/**
 * The statement without comments (string and identifier contents kept as they are).
 * @param {string} s
 */
export function stripComments(s) {
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (c === "'" || c === '"' || c === '`') {
      const from = i++;
      while (i < n) {
        if (s[i] === c) {
          if (s[i + 1] === c) { i += 2; continue; }
          break;
        }
        i++;
      }
      i++;
      out += s.slice(from, i);
    } else if (c === '-' && s[i + 1] === '-') {
      while (i < n && s[i] !== '\n') i++;
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Where a statement goes:
 * - `query`: SELECT (push or pull) → POST /query-stream
 * - `print`: PRINT → POST /query-stream (lines of text)
 * - `set` / `unset` / `define` / `undefine`: kept by the page and sent with later requests,
 *   as the ksqlDB CLI does
 * - `ksql`: everything else → POST /ksql
 * @param {string} statement
 * @returns {{kind: 'query'|'print'|'ksql'} | {kind: 'set', name: string, value: string} | {kind: 'unset', name: string}
 *   | {kind: 'define', name: string, value: string} | {kind: 'undefine', name: string}}
 */
export function classify(statement) {
  const s = stripComments(statement).trim();
  const word = (/^[A-Za-z_]+/.exec(s)?.[0] ?? '').toUpperCase();
  if (word === 'SELECT') return { kind: 'query' };
  if (word === 'PRINT') return { kind: 'print' };
  let m;
  if (word === 'SET' && (m = /^SET\s+'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'\s*;?\s*$/is.exec(s))) {
    return { kind: 'set', name: unquote(m[1]), value: unquote(m[2]) };
  }
  if (word === 'UNSET' && (m = /^UNSET\s+'((?:[^']|'')*)'\s*;?\s*$/is.exec(s))) {
    return { kind: 'unset', name: unquote(m[1]) };
  }
  if (word === 'DEFINE' && (m = /^DEFINE\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*'((?:[^']|'')*)'\s*;?\s*$/is.exec(s))) {
    return { kind: 'define', name: m[1], value: unquote(m[2]) };
  }
  if (word === 'UNDEFINE' && (m = /^UNDEFINE\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/is.exec(s))) {
    return { kind: 'undefine', name: m[1] };
  }
  return { kind: 'ksql' };
}

/** @param {string} s */
function unquote(s) {
  return s.replace(/''/g, "'");
}

/**
 * A source name as it can be written back into SQL: bare when it is an upper-case identifier,
 * backquoted otherwise.
 * @param {string} name
 */
export function quoteIdentifier(name) {
  return /^[A-Z_][A-Z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/**
 * Groups consecutive `ksql` statements into one script (one POST /ksql, as ksqlDB runs scripts);
 * every other statement is a step of its own. `start` is where the step begins in `text`; a grouped
 * step keeps the text between its statements as written, so the line and column in the server's
 * errors count from `start` as they do in the editor.
 * @param {string} text
 */
export function plan(text) {
  /** @type {Array<{kind: string, text: string, start: number, [k: string]: unknown}>} */
  const steps = [];
  for (const statement of locateStatements(text)) {
    const c = classify(statement.text);
    const last = steps[steps.length - 1];
    if (c.kind === 'ksql' && last?.kind === 'ksql') {
      last.text = text.slice(last.start, statement.start) + statement.text;
    } else {
      steps.push({ ...c, text: statement.text, start: statement.start });
    }
  }
  return steps;
}

/**
 * Where in a script the server's error points: ksqlDB says `line L:C` (parser) or `Line: L, Col: C`
 * (analysis), 1-based, counted in the text it was sent. Returns the offset in that text, or undefined.
 * @param {string} message
 * @param {string} sent
 */
export function errorOffset(message, sent) {
  const m = /\bline (\d+):(\d+)/i.exec(message) ?? /\bLine: (\d+), Col: (\d+)/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]);
  const column = Number(m[2]);
  if (line < 1 || column < 1) return undefined;
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = sent.indexOf('\n', at);
    if (nl < 0) return undefined;
    at = nl + 1;
  }
  const end = sent.indexOf('\n', at);
  return Math.min(at + column - 1, end < 0 ? sent.length : end);
}

/**
 * The 1-based line and column of `offset` in `text`.
 * @param {string} text
 * @param {number} offset
 */
export function lineAndColumn(text, offset) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
