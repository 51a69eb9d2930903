/**
 * Prints statements back to SQL in the layout of ksqlDB's SqlFormatter (used in messages such as
 * `Statement: CREATE TABLE OUTPUT AS SELECT\n  TEST.F2 KEY,\n  COUNT(*) TOTAL\nFROM TEST TEST\n…`,
 * where the analyzer formats its rewritten statement).
 */
import {
  assertNever, type Duration, type FromClause, type Properties, type Query, type SelectItem, type Statement,
  type TableElement, type WindowExpression,
} from './ast.js';
import {
  formatExpression, formatIdentifier, formatStringLiteral, formatType, needsQuotes, type FormatOptions,
} from './format.js';

function formatProperties(properties: Properties): string {
  const values = properties.map((p) => {
    const v = p.value;
    const text = v.kind === 'StringLiteral' ? formatStringLiteral(v.value)
      : v.kind === 'BooleanLiteral' || v.kind === 'IntegerLiteral' ? String(v.value) : v.text;
    return `${needsQuotes(p.name) ? formatStringLiteral(p.name) : p.name}=${text}`;
  });
  return values.length > 0 ? ` WITH (${values.join(', ')})` : '';
}

function formatDuration(d: Duration): string {
  return `${d.value} ${d.unit}`;
}

function formatWindow(w: WindowExpression): string {
  const tail = `${w.retention ? `, RETENTION ${formatDuration(w.retention)}` : ''}${w.grace ? `, GRACE PERIOD ${formatDuration(w.grace)}` : ''}`;
  switch (w.kind) {
    case 'TumblingWindow': return `TUMBLING ( SIZE ${formatDuration(w.size)}${tail} )`;
    case 'HoppingWindow': return `HOPPING ( SIZE ${formatDuration(w.size)}, ADVANCE BY ${formatDuration(w.advance)}${tail} )`;
    case 'SessionWindow': return `SESSION ( ${formatDuration(w.gap)}${tail} )`;
    default: return assertNever(w);
  }
}

function formatSelectItem(item: SelectItem, o: FormatOptions): string {
  switch (item.kind) {
    case 'SelectAll': return item.source !== undefined ? `${formatIdentifier(item.source, o)}.*` : '*';
    case 'SelectStructAll': return `${formatExpression(item.base, o)}->*`;
    case 'SelectColumn':
      return item.alias !== undefined ? `${formatExpression(item.expr, o)} ${formatIdentifier(item.alias, o)}` : formatExpression(item.expr, o);
    default: return assertNever(item);
  }
}

const JOIN_WORDS = { INNER: 'INNER JOIN', LEFT: 'LEFT OUTER JOIN', RIGHT: 'RIGHT OUTER JOIN', FULL: 'FULL OUTER JOIN' } as const;

function formatFrom(from: FromClause, o: FormatOptions): string {
  const source = (s: { name: string; alias?: string }): string =>
    s.alias !== undefined ? `${formatIdentifier(s.name, o)} ${formatIdentifier(s.alias, o)}` : formatIdentifier(s.name, o);
  const lines = [source(from.source)];
  for (const j of from.joins) {
    let within = '';
    if (j.within) {
      const w = j.within;
      within = w.before.millis === w.after.millis && w.before.unit === w.after.unit
        ? ` WITHIN ${formatDuration(w.before)}`
        : ` WITHIN (${formatDuration(w.before)}, ${formatDuration(w.after)})`;
      if (w.grace) within += ` GRACE PERIOD ${formatDuration(w.grace)}`;
    }
    lines.push(`${JOIN_WORDS[j.type]} ${source(j.right)}${within} ON ${formatExpression(j.on, o)}`);
  }
  return lines.join('\n');
}

/** A query in SqlFormatter's layout: one clause per line, select items indented when there are several. */
export function formatQuery(q: Query, o: FormatOptions = {}): string {
  const items = q.select.map((i) => formatSelectItem(i, o));
  const lines = [items.length > 1 ? `SELECT\n${items.map((i) => `  ${i}`).join(',\n')}` : `SELECT ${items[0] ?? ''}`];
  lines.push(`FROM ${formatFrom(q.from, o)}`);
  if (q.window) lines.push(`WINDOW ${formatWindow(q.window)}`);
  if (q.where) lines.push(`WHERE ${formatExpression(q.where, o)}`);
  if (q.groupBy) lines.push(`GROUP BY ${q.groupBy.map((e) => formatExpression(e, o)).join(', ')}`);
  if (q.partitionBy) lines.push(`PARTITION BY ${q.partitionBy.map((e) => formatExpression(e, o)).join(', ')}`);
  if (q.having) lines.push(`HAVING ${formatExpression(q.having, o)}`);
  if (q.emit) lines.push(`EMIT ${q.emit}`);
  if (q.limit !== undefined) lines.push(`LIMIT ${q.limit}`);
  return lines.join('\n');
}

function formatElement(e: TableElement, o: FormatOptions): string {
  const c = e.constraint;
  const constraint = !c ? '' : c.kind === 'Key' ? ' KEY' : c.kind === 'PrimaryKey' ? ' PRIMARY KEY'
    : c.kind === 'Headers' ? ' HEADERS' : ` HEADER(${formatStringLiteral(c.key)})`;
  return `${formatIdentifier(e.name, o)} ${formatType(e.type)}${constraint}`;
}

/** A statement as SQL text (without the trailing `;`). */
export function formatStatement(s: Statement, o: FormatOptions = {}): string {
  const id = (name: string): string => formatIdentifier(name, o);
  const ifExists = (b: boolean): string => (b ? 'IF EXISTS ' : '');
  const ifNotExists = (b: boolean): string => (b ? 'IF NOT EXISTS ' : '');
  const all = (queryId: string | undefined): string => (queryId === undefined ? 'ALL' : queryId);
  switch (s.kind) {
    case 'Query': return formatQuery(s, o);
    case 'CreateSource': {
      const elements = s.elements.length > 0 ? ` (${s.elements.map((e) => formatElement(e, o)).join(', ')})` : '';
      return `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.isSource ? 'SOURCE ' : ''}${s.sourceType} ${ifNotExists(s.ifNotExists)}${id(s.name)}${elements}${formatProperties(s.properties)}`;
    }
    case 'CreateAsSelect':
      return `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.sourceType} ${ifNotExists(s.ifNotExists)}${id(s.name)}${formatProperties(s.properties)} AS ${formatQuery(s.query, o)}`;
    case 'InsertInto': return `INSERT INTO ${id(s.target)}${formatProperties(s.properties)} ${formatQuery(s.query, o)}`;
    case 'InsertValues': {
      const columns = s.columns ? ` (${s.columns.map(id).join(', ')})` : '';
      return `INSERT INTO ${id(s.target)}${columns} VALUES (${s.values.map((v) => formatExpression(v, o)).join(', ')})`;
    }
    case 'DropSource': return `DROP ${s.sourceType} ${ifExists(s.ifExists)}${id(s.name)}${s.deleteTopic ? ' DELETE TOPIC' : ''}`;
    case 'CreateType': return `CREATE TYPE ${ifNotExists(s.ifNotExists)}${id(s.name)} AS ${formatType(s.type)}`;
    case 'DropType': return `DROP TYPE ${ifExists(s.ifExists)}${id(s.name)}`;
    case 'Show': return `SHOW ${s.what.replace('_', ' ')}${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeSource': return `DESCRIBE ${id(s.name)}${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeSources': return `DESCRIBE ${s.sourceType}S${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeFunction': return `DESCRIBE FUNCTION ${id(s.name)}`;
    case 'DescribeConnector': return `DESCRIBE CONNECTOR ${id(s.name)}`;
    case 'Explain': return `EXPLAIN ${s.statement ? formatStatement(s.statement, o) : s.queryId ?? ''}`;
    case 'Terminate': return `TERMINATE ${all(s.queryId)}`;
    case 'Pause': return `PAUSE ${all(s.queryId)}`;
    case 'Resume': return `RESUME ${all(s.queryId)}`;
    case 'SetProperty': return `SET ${formatStringLiteral(s.name)}=${formatStringLiteral(s.value)}`;
    case 'UnsetProperty': return `UNSET ${formatStringLiteral(s.name)}`;
    case 'AlterSystem': return `ALTER SYSTEM ${formatStringLiteral(s.name)}=${formatStringLiteral(s.value)}`;
    case 'DefineVariable': return `DEFINE ${s.name}=${formatStringLiteral(s.value)}`;
    case 'UndefineVariable': return `UNDEFINE ${s.name}`;
    case 'Print': {
      const interval = s.interval !== undefined ? ` INTERVAL ${s.interval}` : '';
      const limit = s.limit !== undefined ? ` LIMIT ${s.limit}` : '';
      return `PRINT ${formatStringLiteral(s.topic)}${s.fromBeginning ? ' FROM BEGINNING' : ''}${interval}${limit}`;
    }
    case 'AlterSource':
      return `ALTER ${s.sourceType} ${id(s.name)} ${s.addColumns.map((e) => `ADD COLUMN ${formatElement(e, o)}`).join(', ')}`;
    case 'AssertTopic': {
      const timeout = s.timeout ? ` TIMEOUT ${formatDuration(s.timeout)}` : '';
      return `ASSERT ${s.exists ? '' : 'NOT EXISTS '}TOPIC ${formatStringLiteral(s.topic)}${formatProperties(s.properties)}${timeout}`;
    }
    case 'AssertSchema': {
      const subject = s.subject !== undefined ? ` SUBJECT ${formatStringLiteral(s.subject)}` : '';
      const schemaId = s.id !== undefined ? ` ID ${s.id}` : '';
      const timeout = s.timeout ? ` TIMEOUT ${formatDuration(s.timeout)}` : '';
      return `ASSERT ${s.exists ? '' : 'NOT EXISTS '}SCHEMA${subject}${schemaId}${timeout}`;
    }
    case 'CreateConnector':
      return `CREATE ${s.connectorType} CONNECTOR ${ifNotExists(s.ifNotExists)}${id(s.name)}${formatProperties(s.properties)}`;
    case 'DropConnector': return `DROP CONNECTOR ${ifExists(s.ifExists)}${id(s.name)}`;
    case 'RunScript': return `RUN SCRIPT ${formatStringLiteral(s.path)}`;
    default: return assertNever(s);
  }
}
