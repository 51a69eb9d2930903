/**
 * The ON clause of one join: which expression belongs to the joined (right) source and which to
 * the sources before it, with ksqlDB's messages for criteria that are not a single equality
 * between one source on each side. Column references come back qualified with their source alias.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import { formatExpression } from '../sql/format.js';
import { mapChildren, walk } from './expression-walk.js';

/** One source of the FROM clause: its alias and the names of every column it has (incl. pseudo columns). */
export interface AliasColumns {
  readonly alias: string;
  readonly columns: ReadonlySet<string>;
}

export interface JoinCriteria {
  /** The expression over the sources joined so far (qualified). */
  readonly left: A.Expression;
  /** The expression over the newly joined source (qualified). */
  readonly right: A.Expression;
  /** The ON expressions in the order written (qualified), for messages. */
  readonly written: readonly [A.Expression, A.Expression];
}

/** Qualifies every column reference with its source alias, resolving unqualified names against `all`. */
export function qualify(e: A.Expression, all: readonly AliasColumns[], clause: string): A.Expression {
  if (e.kind === 'ColumnRef') {
    if (e.source !== undefined) {
      const src = all.find((s) => s.alias === e.source);
      if (!src || !src.columns.has(e.name)) throw unresolved(e, clause);
      return e;
    }
    const owners = all.filter((s) => s.columns.has(e.name));
    if (owners.length === 0) throw unresolved(e, clause);
    if (owners.length > 1) {
      throw new KsqlException(
        `Exception while preparing statement: ${lineCol(e)}Column '${e.name}' is ambiguous. Could be ${owners[0]!.alias}.${e.name} or ${owners[1]!.alias}.${e.name}.`,
      );
    }
    return { ...e, source: owners[0]!.alias };
  }
  if (e.kind === 'Lambda') return e;
  return mapChildren(e, (c) => qualify(c, all, clause));
}

function unresolved(e: A.ColumnRef, clause: string): KsqlException {
  const name = e.source !== undefined ? `${e.source}.${e.name}` : e.name;
  return new KsqlException(`${lineCol(e)}${clause} column '${name}' cannot be resolved.`);
}

function lineCol(e: A.Expression): string {
  return `Line: ${e.span.line}, Col: ${e.span.column}: `;
}

/** The aliases an expression references, in order of first use. */
export function referencedAliases(e: A.Expression): string[] {
  const out: string[] = [];
  for (const x of walk(e)) if (x.kind === 'ColumnRef' && x.source !== undefined && !out.includes(x.source)) out.push(x.source);
  return out;
}

export function analyzeCriteria(
  on: A.Expression, leftAliases: readonly string[], rightAlias: string, all: readonly AliasColumns[],
): JoinCriteria {
  if (on.kind !== 'Comparison' || on.op !== '=') {
    throw new KsqlException(`Unsupported join expression: ${formatExpression(on)}. Only equality joins of the form 'a = b' are supported.`);
  }
  const a = qualify(on.left, all, 'JOIN ON');
  const b = qualify(on.right, all, 'JOIN ON');
  const ra = referencedAliases(a);
  const rb = referencedAliases(b);
  const text = `(${formatExpression(a)} = ${formatExpression(b)})`;
  for (const [e, refs] of [[a, ra], [b, rb]] as const) {
    if (refs.length !== 1) {
      throw new KsqlException(
        `Invalid comparison expression '${formatExpression(e)}' in join '${text}'. Each side of the join comparision must contain references from exactly one source.`,
      );
    }
  }
  const sa = ra[0]!;
  const sb = rb[0]!;
  if (sa === sb) {
    throw new KsqlException(
      `Each side of the join must reference exactly one source and not the same source. Left side references \`${sa}\` and right references \`${sb}\``,
    );
  }
  if (sb === rightAlias && leftAliases.includes(sa)) return { left: a, right: b, written: [a, b] };
  if (sa === rightAlias && leftAliases.includes(sb)) return { left: b, right: a, written: [a, b] };
  throw new KsqlException(
    `A join criteria is expected to reference the source (\`${rightAlias}\`) in the FROM clause, instead the right source references \`${sb}\` and the left source references \`${sa}\``,
  );
}

/** `[INNER] JOIN` etc., as ksqlDB prints join types in messages. */
export function joinTypeText(t: A.JoinType): string {
  switch (t) {
    case 'INNER': return '[INNER] JOIN';
    case 'LEFT': return 'LEFT [OUTER] JOIN';
    case 'RIGHT': return 'RIGHT [OUTER] JOIN';
    case 'FULL': return '[FULL] OUTER JOIN';
  }
}
