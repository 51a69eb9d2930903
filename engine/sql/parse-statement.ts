/**
 * The `statement` rule: dispatch on the first word, plus the small statements (SHOW/LIST, DESCRIBE,
 * PRINT, TERMINATE/PAUSE/RESUME, SET/UNSET, DEFINE/UNDEFINE, EXPLAIN, ASSERT, RUN SCRIPT).
 */
import type { Duration, ShowWhat, Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import {
  duration, identifier, identifierText, identifierTextAsWritten, integerValue, stringToken,
} from './parse-common.js';
import { parseAlter, parseCreate, parseDrop, parseInsert } from './parse-ddl.js';
import { parseQuery } from './parse-query.js';
import { parseProperties } from './properties.js';
import { RESERVED, STATEMENT_STARTS, tokenDisplay, type Token } from './tokens.js';

export interface StatementOptions {
  /** Accept `RUN SCRIPT '<file>'` (a CLI command; ksqlDB's server rejects it as an unknown statement). */
  readonly allowRunScript?: boolean;
}

export function parseStatementBody(c: Cursor, options: StatementOptions = {}): Statement {
  const t = c.peek();
  if (t.kind === 'ident') {
    switch (t.value) {
      case 'SELECT': return parseQuery(c);
      case 'LIST':
      case 'SHOW': return show(c);
      case 'DESCRIBE': return describe(c);
      case 'PRINT': return print(c);
      case 'TERMINATE':
      case 'PAUSE':
      case 'RESUME': return queryControl(c);
      case 'SET': return setProperty(c);
      case 'UNSET': {
        c.next();
        const name = stringToken(c).value;
        return { kind: 'UnsetProperty', name, span: c.spanFrom(t) };
      }
      case 'DEFINE': return define(c);
      case 'UNDEFINE': {
        c.next();
        const name = variableName(c);
        return { kind: 'UndefineVariable', name, span: c.spanFrom(t) };
      }
      case 'CREATE': return parseCreate(c);
      case 'INSERT': return parseInsert(c);
      case 'DROP': return parseDrop(c);
      case 'ALTER': return parseAlter(c);
      case 'EXPLAIN': return explain(c, options);
      case 'ASSERT': return assertStatement(c);
      case 'RUN':
        if (options.allowRunScript && c.isKw('SCRIPT', 1)) {
          c.next();
          c.next();
          const path = c.peek().kind === 'string' ? c.next().value : identifierTextAsWritten(identifier(c));
          return { kind: 'RunScript', path, span: c.spanFrom(t) };
        }
        break;
    }
  }
  return unknownStatement(c, t);
}

function unknownStatement(c: Cursor, t: Token): never {
  const word = tokenDisplay(t);
  const suggestion = t.kind === 'ident' ? closest(t.value) : undefined;
  return c.fail(t, `Unknown statement '${word}'${suggestion ? `\nDid you mean '${suggestion}'?` : ''}`);
}

function closest(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of STATEMENT_STARTS) {
    const d = levenshtein(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

const SHOW_EXPECTED = [
  "'PROPERTIES'", "'ALL'", "'TOPICS'", "'STREAMS'", "'TABLES'", "'FUNCTIONS'", "'SOURCE'", "'SINK'", "'CONNECTORS'",
  "'CONNECTOR'", "'TYPES'", "'VARIABLES'", "'QUERIES'",
];

function show(c: Cursor): Statement {
  const first = c.next();
  const simple = (what: ShowWhat, extendable: boolean): Statement => {
    const extended = extendable && c.acceptKw('EXTENDED') !== undefined;
    return { kind: 'Show', what, extended, span: c.spanFrom(first) };
  };
  const word = c.peek().kind === 'ident' ? c.peek().value : '';
  switch (word) {
    case 'PROPERTIES': case 'FUNCTIONS': case 'TYPES': case 'VARIABLES': case 'CONNECTORS':
      c.next();
      return simple(word, false);
    case 'TOPICS': case 'STREAMS': case 'TABLES': case 'QUERIES':
      c.next();
      return simple(word, true);
    case 'ALL':
      c.next();
      c.expectKw('TOPICS');
      return simple('ALL_TOPICS', true);
    case 'SOURCE': case 'SINK':
      c.next();
      c.expectKw('CONNECTORS');
      return simple(word === 'SOURCE' ? 'SOURCE_CONNECTORS' : 'SINK_CONNECTORS', false);
    case 'CONNECTOR':
      c.next();
      c.expectKw('PLUGINS');
      return simple('CONNECTOR_PLUGINS', false);
    default:
      return c.mismatch(SHOW_EXPECTED, (t) => t.kind === 'ident' && SHOW_EXPECTED.includes(`'${t.value}'`));
  }
}

function describe(c: Cursor): Statement {
  const first = c.next();
  if (c.acceptKw('STREAMS')) {
    const extended = c.acceptKw('EXTENDED') !== undefined;
    return { kind: 'DescribeSources', sourceType: 'STREAM', extended, span: c.spanFrom(first) };
  }
  if (c.isKw('FUNCTION') && c.isIdentifier(1) && !c.isKw('EXTENDED', 1)) {
    c.next();
    const name = identifierText(identifier(c));
    return { kind: 'DescribeFunction', name, span: c.spanFrom(first) };
  }
  if (c.acceptKw('CONNECTOR')) {
    const name = identifierText(identifier(c));
    return { kind: 'DescribeConnector', name, span: c.spanFrom(first) };
  }
  const nameToken = identifier(c);
  const extended = c.acceptKw('EXTENDED') !== undefined;
  // `DESCRIBE TABLES` is `DESCRIBE <source>` in the grammar, special-cased when TABLES is unquoted.
  if (nameToken.kind === 'ident' && nameToken.value === 'TABLES') {
    return { kind: 'DescribeSources', sourceType: 'TABLE', extended, span: c.spanFrom(first) };
  }
  return { kind: 'DescribeSource', name: identifierText(nameToken), extended, span: c.spanFrom(first) };
}

function print(c: Cursor): Statement {
  const first = c.next();
  const topic = c.peek().kind === 'string' ? c.next().value : identifierTextAsWritten(identifier(c));
  let fromBeginning = false;
  if (c.isKw('FROM')) {
    c.next();
    c.expectKw('BEGINNING');
    fromBeginning = true;
  }
  let interval: number | undefined;
  if (c.isKw('INTERVAL') || c.isKw('SAMPLE')) {
    const command = c.next().value;
    interval = integerValue(c, command);
  }
  const limit = c.acceptKw('LIMIT') ? integerValue(c, 'LIMIT') : undefined;
  return {
    kind: 'Print', topic, fromBeginning, span: c.spanFrom(first),
    ...(interval !== undefined ? { interval } : {}), ...(limit !== undefined ? { limit } : {}),
  };
}

function queryControl(c: Cursor): Statement {
  const first = c.next();
  const kind = first.value === 'TERMINATE' ? 'Terminate' : first.value === 'PAUSE' ? 'Pause' : 'Resume';
  if (c.acceptKw('ALL')) return { kind, span: c.spanFrom(first) };
  const queryId = identifierTextAsWritten(identifier(c));
  return { kind, queryId, span: c.spanFrom(first) };
}

function setProperty(c: Cursor): Statement {
  const first = c.next();
  const name = stringToken(c).value;
  c.expectOp('=');
  const value = stringToken(c).value;
  return { kind: 'SetProperty', name, value, span: c.spanFrom(first) };
}

/** `variableName: IDENTIFIER` — a plain word, kept as written. */
function variableName(c: Cursor): string {
  const t = c.peek();
  if (t.kind === 'ident' && !RESERVED.has(t.value)) return c.next().text;
  return c.mismatch(['IDENTIFIER'], (x) => x.kind === 'ident' && !RESERVED.has(x.value));
}

function define(c: Cursor): Statement {
  const first = c.next();
  const name = variableName(c);
  c.expectOp('=');
  const value = stringToken(c).value;
  return { kind: 'DefineVariable', name, value, span: c.spanFrom(first) };
}

const EXPLAINABLE = new Set(['SELECT', 'CREATE', 'INSERT']);

function explain(c: Cursor, options: StatementOptions): Statement {
  const first = c.next();
  if (c.peek().kind === 'ident' && EXPLAINABLE.has(c.peek().value) && !c.isEnd(1)) {
    const statement = parseStatementBody(c, options);
    return { kind: 'Explain', statement, span: c.spanFrom(first) };
  }
  const queryId = identifierTextAsWritten(identifier(c));
  return { kind: 'Explain', queryId, span: c.spanFrom(first) };
}

/** `ASSERT [NOT EXISTS] TOPIC name [WITH (...)] [TIMEOUT n unit]` / `... SCHEMA [SUBJECT s] [ID n] [TIMEOUT n unit]`. */
function assertStatement(c: Cursor): Statement {
  const first = c.next();
  let exists = true;
  if (c.acceptKw('NOT')) {
    c.expectKw('EXISTS');
    exists = false;
  }
  const nameOrString = (): string => (c.peek().kind === 'string' ? c.next().value : identifierTextAsWritten(identifier(c)));
  const timeout = (): Duration | undefined => (c.acceptKw('TIMEOUT') ? duration(c, 'TIMEOUT') : undefined);
  if (c.acceptKw('TOPIC')) {
    const topic = nameOrString();
    const properties = c.acceptKw('WITH') ? parseProperties(c, 'free') : [];
    const t = timeout();
    return { kind: 'AssertTopic', topic, exists, properties, span: c.spanFrom(first), ...(t ? { timeout: t } : {}) };
  }
  if (c.acceptKw('SCHEMA')) {
    const subject = c.acceptKw('SUBJECT') ? nameOrString() : undefined;
    const id = c.acceptKw('ID') ? integerValue(c, 'ID') : undefined;
    const t = timeout();
    const span = c.spanFrom(first);
    if (subject === undefined && id === undefined) c.invalid('ASSERT SCHEMA statements must include a subject name or an id', span);
    return {
      kind: 'AssertSchema', exists, span,
      ...(subject !== undefined ? { subject } : {}), ...(id !== undefined ? { id } : {}), ...(t ? { timeout: t } : {}),
    };
  }
  return c.mismatch(["'TOPIC'", "'SCHEMA'"], (t) => t.kind === 'ident' && (t.value === 'TOPIC' || t.value === 'SCHEMA'));
}
