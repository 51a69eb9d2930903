/**
 * WITH (...) clauses: `(identifier | STRING) = literal`, and the checks ksqlDB's AstBuilder makes
 * while building the statement (CreateSourceProperties / CreateSourceAsProperties): unknown names,
 * WINDOW_TYPE, WINDOW_SIZE and the DELIMITED delimiters.
 */
import type { PropertyEntry, Properties } from './ast.js';
import type { Cursor } from './cursor.js';
import { identifierText, isNumber, numberLiteral, timeUnitOf, tokenSpan, undefinedVariable } from './parse-common.js';

/** Which statement the clause belongs to; it decides the valid names and how keys are stored. */
export type PropertiesKind = 'source' | 'sourceAs' | 'insert' | 'free';

const COMMON = [
  'KAFKA_TOPIC', 'KEY_FORMAT', 'VALUE_FORMAT', 'FORMAT', 'PARTITIONS', 'REPLICAS', 'RETENTION_MS', 'CLEANUP_POLICY',
  'TIMESTAMP', 'TIMESTAMP_FORMAT', 'WRAP_SINGLE_VALUE', 'KEY_DELIMITER', 'VALUE_DELIMITER',
  'KEY_SCHEMA_ID', 'VALUE_SCHEMA_ID', 'KEY_SCHEMA_FULL_NAME', 'VALUE_SCHEMA_FULL_NAME', 'VALUE_AVRO_SCHEMA_FULL_NAME',
  'KEY_PROTOBUF_NULLABLE_REPRESENTATION', 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION',
];

const VALID_NAMES: Readonly<Record<Exclude<PropertiesKind, 'free'>, ReadonlySet<string>>> = {
  source: new Set([...COMMON, 'WINDOW_TYPE', 'WINDOW_SIZE', 'SOURCE_CONNECTOR']),
  sourceAs: new Set(COMMON),
  insert: new Set(['QUERY_ID']),
};

/**
 * `'(' tableProperty (',' tableProperty)* ')'`. Identifier keys are upper-cased unless quoted. String
 * keys are upper-cased too for stream/table/insert clauses (ksqlDB compares them case-insensitively) and
 * kept as written for `free` clauses (connector and topic configs such as 'connector.class').
 */
export function parseProperties(c: Cursor, kind: PropertiesKind): Properties {
  c.expectOp('(');
  const entries: PropertyEntry[] = [];
  do {
    const first = c.peek();
    let name: string;
    if (first.kind === 'string') name = kind === 'free' ? first.value : first.value.toUpperCase();
    else if (c.isIdentifier()) name = identifierText(first);
    else return c.noViableAlternative();
    c.next();
    c.expectOp('=');
    const value = propertyValue(c);
    entries.push({ name, value, span: c.spanFrom(first) });
  } while (c.acceptOp(','));
  c.expectOp(')');
  if (kind !== 'free') validate(c, kind, entries);
  return entries;
}

function propertyValue(c: Cursor): PropertyEntry['value'] {
  const t = c.peek();
  if (isNumber(c)) return numberLiteral(c);
  if (t.kind === 'string') {
    c.next();
    return { kind: 'StringLiteral', value: t.value, span: tokenSpan(t) };
  }
  if (t.kind === 'ident' && (t.value === 'TRUE' || t.value === 'FALSE')) {
    c.next();
    return { kind: 'BooleanLiteral', value: t.value === 'TRUE', span: tokenSpan(t) };
  }
  if (t.kind === 'variable') return undefinedVariable(c);
  if (t.kind === 'ident' && t.value === 'NULL') c.invalid(`Property values cannot be NULL`, tokenSpan(t));
  return c.noViableAlternative();
}

function validate(c: Cursor, kind: Exclude<PropertiesKind, 'free'>, entries: readonly PropertyEntry[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) c.invalid(`Duplicate property in the WITH clause: ${e.name}`, e.span);
    seen.add(e.name);
  }
  const unknown = entries.filter((e) => !VALID_NAMES[kind].has(e.name)).map((e) => e.name);
  if (unknown.length > 0) c.invalid(`Invalid config variable(s) in the WITH clause: ${unknown.join(',')}`, entries[0]!.span);
  for (const e of entries) {
    const text = propertyText(e);
    const problem = checkValue(e.name, text);
    if (problem) c.invalid(`Configuration ${e.name} is invalid: ${problem}`, e.span);
  }
}

function propertyText(e: PropertyEntry): string {
  const v = e.value;
  switch (v.kind) {
    case 'StringLiteral': return v.value;
    case 'IntegerLiteral': return String(v.value);
    case 'BooleanLiteral': return String(v.value);
    case 'LongLiteral':
    case 'DecimalLiteral':
    case 'DoubleLiteral':
      return v.text;
  }
}

/** Returns ksqlDB's complaint about a property value, if any. */
function checkValue(name: string, value: string): string | undefined {
  switch (name) {
    case 'KEY_DELIMITER':
    case 'VALUE_DELIMITER':
      return delimiterProblem(value);
    case 'WINDOW_TYPE':
      return ['SESSION', 'HOPPING', 'TUMBLING'].includes(value.toUpperCase())
        ? undefined
        : `Invalid window type: '${value}'. Valid values are: SESSION, HOPPING, TUMBLING`;
    case 'WINDOW_SIZE':
      return durationProblem(value);
    default:
      return undefined;
  }
}

function delimiterProblem(value: string): string | undefined {
  const example = "\nExample valid value: ';'";
  if (value.trim() === '') {
    return `Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'${example}`;
  }
  if (value.length === 1 || value === 'TAB' || value === 'SPACE') return undefined;
  return `Invalid delimiter value: '${value}'. Delimiter must be a single character or TAB,SPACE${example}`;
}

/** ksqlDB's DurationParser: `<long> <unit>`, e.g. `'30 SECONDS'`. */
export function durationProblem(value: string): string | undefined {
  const parts = value.split(/\s/);
  let reason: string | undefined;
  if (parts.length !== 2) reason = `Expected 2 tokens, got: ${parts.length}`;
  else if (!/^[+-]?\d+$/.test(parts[0]!)) reason = `Not numeric: '${parts[0]}'`;
  else if (timeUnitOf(parts[1]!.toUpperCase()) === undefined) reason = `Unknown time unit: '${parts[1]!.toUpperCase()}'`;
  return reason ? `Invalid duration: '${value}'. ${reason}` : undefined;
}
