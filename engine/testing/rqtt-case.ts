/**
 * ksqlDB's REST query-translation tests (RQTT, reference §4.4): loading the files, expanding
 * `format`, and matching actual REST responses against the expected ones the way
 * `RestTestExecutor` does (subset match, `|starts_with`, `{STATEMENT}`, row multisets unless
 * `verifyOrder`, numbers compared as Jackson reads them: `0.0` ≠ `0`, `1.10` ≠ `1.1`).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isJsonNumber, parseJsonExact, type JsonNumber } from '../serde/json-exact.js';
import { stripJsonComments, type RecordSpec, type TopicSpec } from './qtt-case.js';

export interface ExpectedError {
  readonly type?: string;
  readonly message?: string;
  readonly status?: unknown;
}

export interface RqttCase {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly statements: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
  readonly topics: readonly TopicSpec[];
  readonly inputs: readonly RecordSpec[];
  readonly outputs: readonly RecordSpec[];
  readonly responses: readonly Record<string, unknown>[];
  readonly expectedError?: ExpectedError;
  readonly waitForActivePushQuery: boolean;
  readonly verifyOrder: boolean;
}

export function loadRqttFile(path: string): RqttCase[] {
  const file = basename(path).replace(/\.json$/, '');
  const doc = parseJsonExact(stripJsonComments(readFileSync(path, 'utf8'))) as { tests?: Record<string, unknown>[] };
  const out: RqttCase[] = [];
  for (const t of doc.tests ?? []) {
    if (t.enabled === false) continue;
    const formats = (t.format as string[] | undefined) ?? [undefined];
    for (const format of formats) {
      const sub = (s: string) => (format ? s.replaceAll('{FORMAT}', format) : s);
      const props: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((t.properties as Record<string, unknown>) ?? {})) props[k] = plain(v);
      out.push({
        id: `${file} - ${String(t.name)}${format ? ` - ${format}` : ''}`,
        file, name: String(t.name),
        statements: (t.statements as string[]).map(sub),
        properties: props,
        topics: (t.topics as TopicSpec[]) ?? [],
        inputs: (t.inputs as RecordSpec[]) ?? [],
        outputs: (t.outputs as RecordSpec[]) ?? [],
        responses: (t.responses as Record<string, unknown>[]) ?? [],
        ...(t.expectedError ? { expectedError: t.expectedError as ExpectedError } : {}),
        waitForActivePushQuery: Boolean((t.inputConditions as { waitForActivePushQuery?: boolean } | undefined)?.waitForActivePushQuery),
        verifyOrder: Boolean((t.outputConditions as { verifyOrder?: boolean } | undefined)?.verifyOrder),
      });
    }
  }
  return out;
}

/** JSON numbers as plain JS values (for properties sent to the server). */
export function plain(v: unknown): unknown {
  if (isJsonNumber(v)) return Number((v as JsonNumber).text);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Splits a `/query` StreamedRow body into its rows: one JSON document per line, decoration stripped. */
export function parseStreamedRows(body: string): unknown[] {
  const out: unknown[] = [];
  for (let line of body.split('\n')) {
    line = line.trim();
    if (line.startsWith('[')) line = line.slice(1);
    if (line.endsWith(',') || line.endsWith(']')) line = line.slice(0, -1);
    if (!line.trim()) continue;
    out.push(parseJsonExact(line));
  }
  return out;
}

function numbersEqual(e: JsonNumber, a: unknown): boolean {
  if (!isJsonNumber(a)) return false;
  const integral = (n: JsonNumber) => !/[.eE]/.test(n.text);
  if (integral(e) !== integral(a)) return false;
  if (integral(e)) return e.toBigInt() === a.toBigInt();
  return e.toDecimal().equals(a.toDecimal());
}

/** Leaf/subset match of one expected value (with `{STATEMENT}` already substituted). */
export function matchesSubset(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (expected === null) return actual === null ? undefined : `${path}: expected null, got ${show(actual)}`;
  if (isJsonNumber(expected)) return numbersEqual(expected, actual) ? undefined : `${path}: expected ${expected.text}, got ${show(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${show(expected)}, got ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const p = matchesSubset(expected[i], actual[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected object, got ${show(actual)}`;
    const a = actual as Record<string, unknown>;
    for (const [rawKey, ev] of Object.entries(expected as Record<string, unknown>)) {
      const [key, op] = rawKey.split('|') as [string, string | undefined];
      const av = a[key];
      if (op && op.toUpperCase() === 'STARTS_WITH') {
        if (typeof av !== 'string' || !av.startsWith(String(ev))) return `${path}.${key}: expected to start with ${show(ev)}, got ${show(av)}`;
        continue;
      }
      if (!(key in a)) return `${path}.${key}: missing`;
      const p = matchesSubset(ev, av, `${path}.${key}`);
      if (p) return p;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (isJsonNumber(x) ? `#${(x as JsonNumber).text}` : x));
}

/** Replaces `{STATEMENT}` macros in an expected response. */
export function substituteStatement(v: unknown, statement: string): unknown {
  if (typeof v === 'string') return v.replaceAll('{STATEMENT}', statement);
  if (Array.isArray(v)) return v.map((x) => substituteStatement(x, statement));
  if (v && typeof v === 'object' && !isJsonNumber(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteStatement(x, statement)]));
  }
  return v;
}

/** Matches one `query` response: same row count; rows as a multiset unless verifyOrder. */
export function matchQueryResponse(expected: readonly unknown[], actual: readonly unknown[], verifyOrder: boolean): string | undefined {
  if (expected.length !== actual.length) return `expected ${expected.length} rows, got ${actual.length}: ${show(actual)}`;
  const isRow = (x: unknown) => x !== null && typeof x === 'object' && 'row' in (x as object);
  const remaining = actual.map((a, i) => ({ a, i }));
  const rowsLeft = remaining.filter((x) => isRow(x.a));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (isRow(e) && !verifyOrder) {
      const idx = rowsLeft.findIndex((x) => matchesSubset(e, x.a) === undefined);
      if (idx < 0) return `no actual row matches ${show(e)} in ${show(actual)}`;
      rowsLeft.splice(idx, 1);
      continue;
    }
    const p = matchesSubset(e, actual[i], `[${i}]`);
    if (p) return `${p} in ${show(actual)}`;
  }
  return undefined;
}
