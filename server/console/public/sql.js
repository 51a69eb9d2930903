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
      push(text.slice(start, i + 1));
      i++;
      start = i;
    } else {
      i++;
    }
  }
  push(text.slice(start));
  return out;

  /** @param {string} piece */
  function push(piece) {
    if (!stripComments(piece).trim()) return;
    const trimmed = piece.trim();
    if (stripComments(trimmed).trim().endsWith(';')) out.push(trimmed);
    else out.push(/--[^\n]*$/.test(trimmed) ? `${trimmed}\n;` : `${trimmed};`);
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
 * every other statement is a step of its own.
 * @param {string} text
 */
export function plan(text) {
  /** @type {Array<{kind: string, text: string, [k: string]: unknown}>} */
  const steps = [];
  for (const statement of splitStatements(text)) {
    const c = classify(statement);
    const last = steps[steps.length - 1];
    if (c.kind === 'ksql' && last?.kind === 'ksql') {
      last.text += `\n${statement}`;
    } else {
      steps.push({ ...c, text: statement });
    }
  }
  return steps;
}
