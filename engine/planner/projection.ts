/**
 * Expands SELECT items (`*`, `alias.*`, `struct->*`, expressions) into named columns, naming
 * unaliased expressions the way ksqlDB does: a column keeps its name, `a->b` becomes `B`, anything
 * else becomes the next free `KSQL_COL_n` (skipping names the input already uses).
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { RowSchema } from '../analyzer/row-schema.js';
import type { ExpressionTyper } from '../analyzer/expression-typer.js';

export interface ProjectedColumn {
  readonly name: string;
  readonly expression: A.Expression;
}

export class ColumnAliasGenerator {
  private next = 0;
  constructor(private readonly taken: ReadonlySet<string>) {}

  nextAlias(): string {
    for (;;) {
      const name = `KSQL_COL_${this.next++}`;
      if (!this.taken.has(name)) return name;
    }
  }
}

/** `a->b` is named `B`, or `B_1`, `B_2`, ... when that name is already a column (ksqlDB's struct field aliases). */
function uniqueFieldAlias(field: string, taken: ReadonlySet<string>, out: readonly ProjectedColumn[]): string {
  const used = (n: string) => taken.has(n) || out.some((p) => p.name === n);
  if (!used(field)) return field;
  for (let i = 1; ; i++) if (!used(`${field}_${i}`)) return `${field}_${i}`;
}

function columnRef(name: string, source: string | undefined, span: A.Span): A.ColumnRef {
  return source === undefined ? { kind: 'ColumnRef', name, span } : { kind: 'ColumnRef', source, name, span };
}

export function expandSelectItems(
  items: readonly A.SelectItem[], input: RowSchema, typer: ExpressionTyper, reserved: ReadonlySet<string>,
  options: { qualifyJoinColumns?: boolean } = {},
): ProjectedColumn[] {
  const taken = new Set(input.columns.map((c) => c.name));
  const aliases = new ColumnAliasGenerator(taken);
  const out: ProjectedColumn[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'SelectAll': {
        for (const c of input.columns) {
          if (c.role === 'PSEUDO' || c.role === 'WINDOW') continue;
          if (item.source !== undefined && c.source !== item.source) continue;
          const name = options.qualifyJoinColumns && c.source ? `${c.source}_${c.name}` : c.name;
          out.push({ name, expression: columnRef(c.name, options.qualifyJoinColumns ? c.source : undefined, item.span) });
        }
        if (item.source !== undefined && !input.columns.some((c) => c.source === item.source)) {
          throw new KsqlException(`'${item.source}' is not a valid stream/table name or alias.`);
        }
        break;
      }
      case 'SelectStructAll': {
        const t = typer.typeOf(item.base);
        if (t === null || t.base !== 'STRUCT') throw new KsqlException(`Expected STRUCT for ->*, got ${t?.base ?? 'null'}`);
        for (const f of t.fields) {
          out.push({ name: f.name, expression: { kind: 'Dereference', base: item.base, field: f.name, span: item.span } });
        }
        break;
      }
      case 'SelectColumn': {
        const e = item.expr;
        if (item.alias !== undefined) {
          if (reserved.has(item.alias)) {
            throw new KsqlException(`\`${item.alias}\` is a reserved column name. You cannot use it as an alias for a column.`);
          }
          out.push({ name: item.alias, expression: e });
        } else if (e.kind === 'ColumnRef') {
          if (reserved.has(e.name)) {
            throw new KsqlException(`Reserved column name in select: \`${e.name}\`. Please remove or alias the column.`);
          }
          out.push({ name: e.name, expression: e });
        } else if (e.kind === 'Dereference') {
          out.push({ name: uniqueFieldAlias(e.field, taken, out), expression: e });
        } else {
          out.push({ name: aliases.nextAlias(), expression: e });
        }
        break;
      }
    }
  }
  for (const p of out) typer.typeOf(p.expression);
  return out;
}
