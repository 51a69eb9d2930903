/**
 * The `query` rule: SELECT … FROM … [WINDOW] [WHERE] [GROUP BY] [PARTITION BY] [HAVING] [EMIT] [LIMIT].
 *
 * Like ksqlDB's AstBuilder, a `source.column` reference (and `source.*`) must name a source or
 * alias of the FROM clause; this is checked once the whole query is read.
 */
import type {
  AliasedSource, Expression, FromClause, JoinClause, JoinType, Query, SelectItem, WindowExpression, WithinClause,
} from './ast.js';
import type { Cursor } from './cursor.js';
import { duration, identifier, identifierText, integerValue } from './parse-common.js';
import { parseExpr, parseValueExpr } from './parse-expression.js';
import type { Token } from './tokens.js';

export function parseQuery(c: Cursor): Query {
  const first = c.expectKw('SELECT');
  const outerRefs = c.qualifiedRefs;
  c.qualifiedRefs = [];
  const select: SelectItem[] = [];
  do select.push(selectItem(c));
  while (c.acceptOp(','));
  c.expectKw('FROM');
  const from = fromClause(c);
  const window = c.acceptKw('WINDOW') ? windowExpression(c) : undefined;
  const where = c.acceptKw('WHERE') ? parseExpr(c) : undefined;
  let groupBy: readonly Expression[] | undefined;
  if (c.isKw('GROUP')) {
    c.next();
    c.expectKw('BY');
    groupBy = expressionList(c);
  }
  let partitionBy: readonly Expression[] | undefined;
  if (c.isKw('PARTITION') && c.isKw('BY', 1)) {
    c.next();
    c.next();
    partitionBy = expressionList(c);
  }
  const having = c.acceptKw('HAVING') ? parseExpr(c) : undefined;
  let emit: 'CHANGES' | 'FINAL' | undefined;
  if (c.acceptKw('EMIT')) {
    if (c.acceptKw('CHANGES')) emit = 'CHANGES';
    else if (c.acceptKw('FINAL')) emit = 'FINAL';
    else c.mismatch(["'CHANGES'", "'FINAL'"], (t) => t.kind === 'ident' && (t.value === 'CHANGES' || t.value === 'FINAL'));
  }
  const limit = c.acceptKw('LIMIT') ? integerValue(c, 'LIMIT') : undefined;
  checkQualifiers(c, from);
  c.qualifiedRefs = outerRefs;
  return {
    kind: 'Query', select, from,
    ...(window ? { window } : {}), ...(where ? { where } : {}), ...(groupBy ? { groupBy } : {}),
    ...(partitionBy ? { partitionBy } : {}), ...(having ? { having } : {}), ...(emit ? { emit } : {}),
    ...(limit !== undefined ? { limit } : {}),
    span: c.spanFrom(first),
  };
}

function selectItem(c: Cursor): SelectItem {
  const first = c.peek();
  if (c.acceptOp('*')) return { kind: 'SelectAll', span: c.spanFrom(first) };
  if (c.isIdentifier() && c.isOp('.', 1) && c.isOp('*', 2)) {
    const source = identifierText(c.next());
    c.next();
    c.next();
    const span = c.spanFrom(first);
    c.qualifiedRefs.push({ source, span });
    return { kind: 'SelectAll', source, span };
  }
  const expr = parseExpr(c);
  if (c.isOp('->') && c.isOp('*', 1)) {
    c.next();
    c.next();
    return { kind: 'SelectStructAll', base: expr, span: c.spanFrom(first) };
  }
  let alias: string | undefined;
  if (c.acceptKw('AS')) alias = identifierText(identifier(c));
  else if (c.isIdentifier()) alias = identifierText(c.next());
  return { kind: 'SelectColumn', expr, span: c.spanFrom(first), ...(alias !== undefined ? { alias } : {}) };
}

/** Words that may follow a relation; a non-reserved one of them is not taken as an alias. */
function startsClauseAfterRelation(c: Cursor): boolean {
  return (c.isKw('EMIT') && (c.isKw('CHANGES', 1) || c.isKw('FINAL', 1))) || (c.isKw('PARTITION') && c.isKw('BY', 1));
}

function aliasedSource(c: Cursor): AliasedSource {
  const first = c.peek();
  const name = identifierText(identifier(c));
  let alias: string | undefined;
  if (c.acceptKw('AS')) alias = identifierText(identifier(c));
  else if (c.isIdentifier() && !startsClauseAfterRelation(c)) alias = identifierText(c.next());
  return { name, span: c.spanFrom(first), ...(alias !== undefined ? { alias } : {}) };
}

function fromClause(c: Cursor): FromClause {
  const first = c.peek();
  const source = aliasedSource(c);
  const joins: JoinClause[] = [];
  for (;;) {
    const joinFirst = c.peek();
    const type = joinType(c);
    if (!type) break;
    c.expectKw('JOIN');
    const right = aliasedSource(c);
    const within = c.isKw('WITHIN') ? withinClause(c) : undefined;
    c.expectKw('ON');
    const on = parseExpr(c);
    joins.push({ type, right, on, span: c.spanFrom(joinFirst), ...(within ? { within } : {}) });
  }
  return { source, joins, span: c.spanFrom(first) };
}

function joinType(c: Cursor): JoinType | undefined {
  if (c.isKw('JOIN')) return 'INNER';
  if (c.isKw('INNER') && c.isKw('JOIN', 1)) {
    c.next();
    return 'INNER';
  }
  for (const type of ['LEFT', 'RIGHT', 'FULL'] as const) {
    if (c.isKw(type)) {
      c.next();
      c.acceptKw('OUTER');
      return type;
    }
  }
  return undefined;
}

function withinClause(c: Cursor): WithinClause {
  const first = c.expectKw('WITHIN');
  let before;
  let after;
  if (c.acceptOp('(')) {
    before = duration(c, 'WITHIN');
    c.expectOp(',');
    after = duration(c, 'WITHIN');
    c.expectOp(')');
  } else {
    before = after = duration(c, 'WITHIN');
  }
  const grace = gracePeriod(c);
  return { before, after, span: c.spanFrom(first), ...(grace ? { grace } : {}) };
}

function gracePeriod(c: Cursor): ReturnType<typeof duration> | undefined {
  if (!c.acceptKw('GRACE')) return undefined;
  c.expectKw('PERIOD');
  return duration(c, 'GRACE PERIOD');
}

function windowExpression(c: Cursor): WindowExpression {
  // The grammar allows a (legacy, ignored) window name before the window type.
  if (c.peek().kind === 'ident' && !['TUMBLING', 'HOPPING', 'SESSION'].includes(c.peek().value) && c.isIdentifier()) c.next();
  const first = c.peek();
  if (c.acceptKw('TUMBLING')) {
    c.expectOp('(');
    c.expectKw('SIZE');
    const size = duration(c, 'SIZE');
    return { kind: 'TumblingWindow', size, ...windowTail(c), span: c.spanFrom(first) };
  }
  if (c.acceptKw('HOPPING')) {
    c.expectOp('(');
    c.expectKw('SIZE');
    const size = duration(c, 'SIZE');
    c.expectOp(',');
    c.expectKw('ADVANCE');
    c.expectKw('BY');
    const advance = duration(c, 'ADVANCE BY');
    return { kind: 'HoppingWindow', size, advance, ...windowTail(c), span: c.spanFrom(first) };
  }
  if (c.acceptKw('SESSION')) {
    c.expectOp('(');
    const gap = duration(c, 'SESSION');
    return { kind: 'SessionWindow', gap, ...windowTail(c), span: c.spanFrom(first) };
  }
  return c.mismatch(["'TUMBLING'", "'HOPPING'", "'SESSION'"], (t: Token) => t.kind === 'ident' && ['TUMBLING', 'HOPPING', 'SESSION'].includes(t.value));
}

/** `(, RETENTION n unit)? (, GRACE PERIOD n unit)? ')'` */
function windowTail(c: Cursor): { retention?: ReturnType<typeof duration>; grace?: ReturnType<typeof duration> } {
  let retention;
  let grace;
  if (c.isOp(',') && c.isKw('RETENTION', 1)) {
    c.next();
    c.next();
    retention = duration(c, 'RETENTION');
  }
  if (c.isOp(',') && c.isKw('GRACE', 1)) {
    c.next();
    grace = gracePeriod(c);
  }
  c.expectOp(')');
  return { ...(retention ? { retention } : {}), ...(grace ? { grace } : {}) };
}

/**
 * GROUP BY / PARTITION BY: `valueExpression (',' valueExpression)*` or `'(' (list)? ')'`. As in the
 * grammar the plain list is tried first; the parenthesised list is used when the plain list cannot
 * read the input (e.g. `(a, b)`).
 */
function expressionList(c: Cursor): Expression[] {
  const start = c.mark();
  try {
    const list: Expression[] = [];
    do list.push(parseValueExpr(c));
    while (c.acceptOp(','));
    return list;
  } catch (plainError) {
    c.reset(start);
    if (!c.isOp('(')) throw plainError;
    try {
      c.next();
      const list: Expression[] = [];
      if (!c.isOp(')')) {
        do list.push(parseValueExpr(c));
        while (c.acceptOp(','));
      }
      c.expectOp(')');
      return list;
    } catch {
      throw plainError;
    }
  }
}

function checkQualifiers(c: Cursor, from: FromClause): void {
  const known = new Set<string>();
  for (const s of [from.source, ...from.joins.map((j) => j.right)]) {
    known.add(s.name);
    if (s.alias !== undefined) known.add(s.alias);
  }
  for (const ref of c.qualifiedRefs) {
    if (!known.has(ref.source)) c.invalid(`'${ref.source}' is not a valid stream/table name or alias.`, ref.span);
  }
}
