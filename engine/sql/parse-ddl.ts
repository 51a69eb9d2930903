/**
 * CREATE (STREAM, TABLE, AS SELECT, TYPE, CONNECTOR), INSERT, DROP and ALTER.
 */
import type {
  ColumnConstraint, SourceType, Statement, TableElement,
} from './ast.js';
import { locationPrefix, type Cursor } from './cursor.js';
import { identifier, identifierText, stringToken } from './parse-common.js';
import { parseValueExpr } from './parse-expression.js';
import { parseQuery } from './parse-query.js';
import { parseTypeNode } from './parse-type.js';
import { parseProperties } from './properties.js';
import type { Token } from './tokens.js';

export function parseCreate(c: Cursor): Statement {
  const first = c.expectKw('CREATE');
  if (c.isKw('TYPE')) return createType(c, first);
  if ((c.isKw('SINK') || c.isKw('SOURCE')) && c.isKw('CONNECTOR', 1)) return createConnector(c, first);
  let orReplace = false;
  if (c.acceptKw('OR')) {
    c.expectKw('REPLACE');
    orReplace = true;
  }
  const isSource = c.acceptKw('SOURCE') !== undefined;
  const sourceType = sourceTypeKeyword(c);
  const ifNotExists = ifNotExistsClause(c);
  const name = identifierText(identifier(c));
  const elements = c.isOp('(') ? tableElements(c, sourceType) : undefined;
  const properties = c.acceptKw('WITH') ? parseProperties(c, c.isOp('(') && asFollows(c) ? 'sourceAs' : 'source') : [];
  if (c.isKw('AS') && !isSource && !elements) {
    c.next();
    const query = parseQuery(c);
    if (query.limit !== undefined) {
      c.invalid(`CREATE ${sourceType} AS SELECT statements don't support LIMIT clause.`, query.span);
    }
    return { kind: 'CreateAsSelect', sourceType, name, orReplace, ifNotExists, properties, query, span: c.spanFrom(first) };
  }
  if (c.isKw('AS')) return c.noViableAlternative();
  return {
    kind: 'CreateSource', sourceType, name, orReplace, isSource, ifNotExists, elements: elements ?? [], properties,
    span: c.spanFrom(first),
  };
}

/** Whether the WITH clause starting here is followed by `AS` (a CSAS/CTAS), to pick its valid names. */
function asFollows(c: Cursor): boolean {
  let depth = 0;
  for (let k = 0; ; k++) {
    const t = c.peek(k);
    if (t.kind === 'eof') return false;
    if (t.kind !== 'op') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) return c.isKw('AS', k + 1);
  }
}

function sourceTypeKeyword(c: Cursor): SourceType {
  if (c.acceptKw('STREAM')) return 'STREAM';
  if (c.acceptKw('TABLE')) return 'TABLE';
  return c.mismatch(["'STREAM'", "'TABLE'"], (t) => t.kind === 'ident' && (t.value === 'STREAM' || t.value === 'TABLE'));
}

function ifNotExistsClause(c: Cursor): boolean {
  if (!c.isKw('IF')) return false;
  c.next();
  c.expectKw('NOT');
  c.expectKw('EXISTS');
  return true;
}

function ifExistsClause(c: Cursor): boolean {
  if (!c.isKw('IF')) return false;
  c.next();
  c.expectKw('EXISTS');
  return true;
}

/** `'(' tableElement (',' tableElement)* ')'`, checking KEY / PRIMARY KEY against the source type. */
export function tableElements(c: Cursor, sourceType?: SourceType): TableElement[] {
  c.expectOp('(');
  const elements: TableElement[] = [];
  do elements.push(tableElement(c, sourceType));
  while (c.acceptOp(','));
  c.expectOp(')');
  return elements;
}

/** `identifier type columnConstraints?` */
export function tableElement(c: Cursor, sourceType?: SourceType): TableElement {
  const nameToken = identifier(c);
  const type = parseTypeNode(c);
  const constraint = columnConstraint(c);
  const element: TableElement = { name: identifierText(nameToken), type, span: c.spanFrom(nameToken), ...(constraint ? { constraint } : {}) };
  if (sourceType === 'TABLE' && constraint?.kind === 'Key') {
    c.invalid(`${locationPrefix(element.span)}Column \`${element.name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.`, element.span);
  }
  if (sourceType === 'STREAM' && constraint?.kind === 'PrimaryKey') {
    c.invalid(`${locationPrefix(element.span)}Column \`${element.name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.`, element.span);
  }
  return element;
}

function columnConstraint(c: Cursor): ColumnConstraint | undefined {
  if (c.acceptKw('KEY')) return { kind: 'Key' };
  if (c.acceptKw('PRIMARY')) {
    c.expectKw('KEY');
    return { kind: 'PrimaryKey' };
  }
  if (c.acceptKw('HEADERS')) return { kind: 'Headers' };
  if (c.acceptKw('HEADER')) {
    c.expectOp('(');
    const key = stringToken(c).value;
    c.expectOp(')');
    return { kind: 'Header', key };
  }
  return undefined;
}

function createType(c: Cursor, first: Token): Statement {
  c.expectKw('TYPE');
  const ifNotExists = ifNotExistsClause(c);
  const name = identifierText(identifier(c));
  c.expectKw('AS');
  const type = parseTypeNode(c);
  return { kind: 'CreateType', name, type, ifNotExists, span: c.spanFrom(first) };
}

function createConnector(c: Cursor, first: Token): Statement {
  const connectorType = c.next().value as 'SOURCE' | 'SINK';
  c.expectKw('CONNECTOR');
  const ifNotExists = ifNotExistsClause(c);
  const name = identifierText(identifier(c));
  c.expectKw('WITH');
  const properties = parseProperties(c, 'free');
  return { kind: 'CreateConnector', connectorType, name, ifNotExists, properties, span: c.spanFrom(first) };
}

/** `INSERT INTO name [WITH (...)] query` or `INSERT INTO name [(columns)] VALUES (values)`. */
export function parseInsert(c: Cursor): Statement {
  const first = c.expectKw('INSERT');
  c.expectKw('INTO');
  const target = identifierText(identifier(c));
  if (c.isOp('(') || c.isKw('VALUES')) {
    let columns: string[] | undefined;
    if (c.acceptOp('(')) {
      columns = [];
      do columns.push(identifierText(identifier(c)));
      while (c.acceptOp(','));
      c.expectOp(')');
    }
    c.expectKw('VALUES');
    c.expectOp('(');
    const values = [];
    // Column references in VALUES may only be qualified by the target (ksqlDB's AstBuilder scope).
    const outerRefs = c.qualifiedRefs;
    c.qualifiedRefs = [];
    if (!c.isOp(')')) {
      do values.push(parseValueExpr(c));
      while (c.acceptOp(','));
    }
    c.expectOp(')');
    for (const ref of c.qualifiedRefs) {
      if (ref.source !== target) c.invalid(`'${ref.source}' is not a valid stream/table name or alias.`, ref.span);
    }
    c.qualifiedRefs = outerRefs;
    return { kind: 'InsertValues', target, values, span: c.spanFrom(first), ...(columns ? { columns } : {}) };
  }
  const properties = c.acceptKw('WITH') ? parseProperties(c, 'insert') : [];
  const query = parseQuery(c);
  return { kind: 'InsertInto', target, properties, query, span: c.spanFrom(first) };
}

export function parseDrop(c: Cursor): Statement {
  const first = c.expectKw('DROP');
  if (c.acceptKw('CONNECTOR')) {
    const ifExists = ifExistsClause(c);
    const name = identifierText(identifier(c));
    return { kind: 'DropConnector', name, ifExists, span: c.spanFrom(first) };
  }
  if (c.acceptKw('TYPE')) {
    const ifExists = ifExistsClause(c);
    const name = identifierText(identifier(c));
    return { kind: 'DropType', name, ifExists, span: c.spanFrom(first) };
  }
  if (!c.isKw('STREAM') && !c.isKw('TABLE')) return c.noViableAlternative();
  const sourceType = sourceTypeKeyword(c);
  const ifExists = ifExistsClause(c);
  const name = identifierText(identifier(c));
  let deleteTopic = false;
  if (c.acceptKw('DELETE')) {
    c.expectKw('TOPIC');
    deleteTopic = true;
  }
  return { kind: 'DropSource', sourceType, name, ifExists, deleteTopic, span: c.spanFrom(first) };
}

/** `ALTER (STREAM | TABLE) name ADD [COLUMN] col type [, ADD [COLUMN] col type ...]` or `ALTER SYSTEM 'k'='v'`. */
export function parseAlter(c: Cursor): Statement {
  const first = c.expectKw('ALTER');
  if (c.acceptKw('SYSTEM')) {
    const name = stringToken(c).value;
    c.expectOp('=');
    const value = stringToken(c).value;
    return { kind: 'AlterSystem', name, value, span: c.spanFrom(first) };
  }
  if (!c.isKw('STREAM') && !c.isKw('TABLE')) return c.noViableAlternative();
  const sourceType = sourceTypeKeyword(c);
  const name = identifierText(identifier(c));
  const addColumns: TableElement[] = [];
  do {
    c.expectKw('ADD');
    c.acceptKw('COLUMN');
    const nameToken = identifier(c);
    const type = parseTypeNode(c);
    addColumns.push({ name: identifierText(nameToken), type, span: c.spanFrom(nameToken) });
  } while (c.acceptOp(','));
  return { kind: 'AlterSource', sourceType, name, addColumns, span: c.spanFrom(first) };
}
