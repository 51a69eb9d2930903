/**
 * The projection of a join (ksqlDB's rules for joins):
 * - `*` is every source's columns in FROM order, named `<ALIAS>_<COL>` (key columns, window
 *   bounds of windowed sources, then value columns), preceded by the synthetic key if any;
 *   `alias.*` is one source's columns, named the same way.
 * - An unaliased column reference keeps the column's name when no other source has a column of
 *   that name, and becomes `<ALIAS>_<COL>` otherwise.
 * - The result key is the first viable key column (in join order) that the projection selects,
 *   or the synthetic key, or — for foreign-key joins — the left table's key columns.
 * - With PARTITION BY the input is the re-keyed join (see partition-by.ts): `*` is its key and value
 *   columns (including the sources' pseudo columns), named `<ALIAS>_<COL>`, and the key columns
 *   follow the single-source rules (the projection must select every partitioning expression).
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { SourceKind } from '../catalog/source.js';
import type { LogicalSchema } from '../catalog/schema.js';
import { SYSTEM_COLUMN_NAMES } from '../catalog/schema.js';
import type { RowColumn, RowSchema } from '../analyzer/row-schema.js';
import { ExpressionTyper } from '../analyzer/expression-typer.js';
import type { SelectExpression } from '../physical/steps.js';
import { ColumnAliasGenerator } from './projection.js';
import { projectWithKeys, toLogicalSchema, type PlanContext } from './query-planner.js';
import { joinColumnName } from './partition-by.js';
import type { SourceEntry } from './join-planner.js';

export type JoinKeyInfo =
  | { readonly kind: 'viable'; readonly candidates: readonly A.ColumnRef[]; readonly keyColumn: string }
  | { readonly kind: 'synthetic'; readonly name: string }
  | { readonly kind: 'fk'; readonly keys: readonly A.ColumnRef[]; readonly leftName: string }
  /**
   * Re-keyed by PARTITION BY: the input's key columns are the partitioning expressions (described
   * for messages); `rewrite` makes projection expressions read them.
   */
  | { readonly kind: 'partitioned'; readonly descriptions: readonly string[]; readonly rewrite: (e: A.Expression) => A.Expression };

interface Item { readonly name: string; readonly expression: A.Expression }

export interface JoinProjection {
  readonly schema: RowSchema;
  readonly expressions: SelectExpression[];
  readonly logical: LogicalSchema;
}

export function projectJoin(
  items: readonly A.SelectItem[], input: RowSchema, entries: readonly SourceEntry[], key: JoinKeyInfo, kind: SourceKind, ctx: PlanContext,
): JoinProjection {
  const typer = new ExpressionTyper(input, { functions: ctx.functions, clause: 'SELECT' });
  const projected = expand(items, entries, key, typer);
  if (key.kind === 'partitioned') {
    // Items are named from the expressions as written (as ksqlDB's AstSanitizer does), then rewritten.
    const rewritten = projected.map((p) => ({ ...p, expression: key.rewrite(p.expression) }));
    const planned = projectWithKeys(rewritten, input, typer, kind, ctx, { partitionKeys: key.descriptions, keyName: joinColumnName });
    return { ...planned, logical: toLogicalSchema(planned.schema) };
  }
  const keyItems: Item[] = [];
  const valueItems: Item[] = [];
  if (ctx.sinkName === undefined) {
    valueItems.push(...projected);
  } else {
    splitKeys(projected, key, ctx.sinkName, typer, keyItems, valueItems);
    if (valueItems.length === 0) throw new KsqlException('The projection contains no value columns.');
  }
  const columns: RowColumn[] = [];
  const expressions: SelectExpression[] = [];
  for (const [list, role] of [[keyItems, 'KEY'], [valueItems, 'VALUE']] as const) {
    for (const it of list) {
      const type = typer.typeOf(it.expression);
      if (type === null) {
        throw new KsqlException(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
      }
      columns.push({ name: it.name, type, role });
      expressions.push({ alias: it.name, expression: it.expression });
    }
  }
  void kind;
  const schema = { columns };
  return { schema, expressions, logical: toLogicalSchema(schema) };
}

function ref(alias: string, name: string, span: A.Span): A.ColumnRef {
  return { kind: 'ColumnRef', source: alias, name, span };
}

function starColumns(e: SourceEntry, span: A.Span): Item[] {
  const cols = e.source.schema.columns;
  const names = [
    ...cols.filter((c) => c.namespace === 'KEY').map((c) => c.name),
    ...(e.source.window ? ['WINDOWSTART', 'WINDOWEND'] : []),
    ...cols.filter((c) => c.namespace !== 'KEY').map((c) => c.name),
  ];
  return names.map((n) => ({ name: `${e.alias}_${n}`, expression: ref(e.alias, n, span) }));
}

/** `*` or `alias.*` over a re-keyed join: its key and value columns, in schema order. */
function rekeyedStarColumns(schema: RowSchema, alias: string | undefined, span: A.Span): Item[] {
  if (alias !== undefined && !schema.columns.some((c) => c.source === alias)) {
    throw new KsqlException(`'${alias}' is not a valid stream/table name or alias.`);
  }
  return schema.columns
    .filter((c) => (c.role === 'KEY' || c.role === 'VALUE') && (alias === undefined || c.source === alias))
    .map((c) => ({
      name: joinColumnName(c),
      expression: c.source === undefined ? { kind: 'ColumnRef', name: c.name, span } : ref(c.source, c.name, span),
    }));
}

function expand(items: readonly A.SelectItem[], entries: readonly SourceEntry[], key: JoinKeyInfo, typer: ExpressionTyper): Item[] {
  const owners = new Map<string, number>();
  for (const e of entries) {
    const names = new Set([...e.source.schema.columns.map((c) => c.name), ...SYSTEM_COLUMN_NAMES]);
    for (const n of names) owners.set(n, (owners.get(n) ?? 0) + 1);
  }
  // Generated names avoid the join's columns (not the keys PARTITION BY computes from expressions).
  const generatedKey = (c: RowColumn) => key.kind === 'partitioned' && c.role === 'KEY' && c.source === undefined;
  const taken = new Set(typer.schema.columns.filter((c) => !generatedKey(c)).map((c) => c.name));
  const aliases = new ColumnAliasGenerator(taken);
  const out: Item[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'SelectAll': {
        if (key.kind === 'partitioned') {
          out.push(...rekeyedStarColumns(typer.schema, item.source, item.span));
        } else if (item.source === undefined) {
          if (key.kind === 'synthetic') out.push({ name: key.name, expression: { kind: 'ColumnRef', name: key.name, span: item.span } });
          for (const e of entries) out.push(...starColumns(e, item.span));
        } else {
          const e = entries.find((x) => x.alias === item.source);
          if (!e) throw new KsqlException(`'${item.source}' is not a valid stream/table name or alias.`);
          out.push(...starColumns(e, item.span));
        }
        break;
      }
      case 'SelectStructAll': {
        const t = typer.typeOf(item.base);
        if (t === null || t.base !== 'STRUCT') throw new KsqlException(`Expected STRUCT for ->*, got ${t?.base ?? 'null'}`);
        for (const f of t.fields) out.push({ name: f.name, expression: { kind: 'Dereference', base: item.base, field: f.name, span: item.span } });
        break;
      }
      case 'SelectColumn': {
        const e = item.expr;
        if (item.alias !== undefined) {
          if (SYSTEM_COLUMN_NAMES.has(item.alias)) {
            throw new KsqlException(`Reserved column name in select: \`${item.alias}\`. Please remove or alias the column.`);
          }
          out.push({ name: item.alias, expression: e });
        } else if (e.kind === 'ColumnRef') {
          out.push({ name: columnName(e, owners, typer), expression: e });
        } else if (e.kind === 'Dereference') {
          out.push({ name: e.field, expression: e });
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

/** `COL` when only one source has a column of that name, `<ALIAS>_COL` otherwise. */
function columnName(e: A.ColumnRef, owners: ReadonlyMap<string, number>, typer: ExpressionTyper): string {
  typer.typeOf(e);
  const col = typer.schema.columns[typer.column(e)!.index]!;
  if (col.source === undefined) return col.name;
  return (owners.get(col.name) ?? 0) > 1 ? `${col.source}_${col.name}` : col.name;
}

function sameColumn(e: A.Expression, c: A.ColumnRef, typer: ExpressionTyper): boolean {
  if (e.kind !== 'ColumnRef') return false;
  const col = typer.schema.columns[typer.column(e)?.index ?? -1];
  return col !== undefined && col.source === c.source && col.name === c.name;
}

function splitKeys(projected: readonly Item[], key: Exclude<JoinKeyInfo, { kind: 'partitioned' }>, sinkName: string, typer: ExpressionTyper, keys: Item[], values: Item[]): void {
  const isKeyCol = (it: Item, c: A.ColumnRef) => sameColumn(it.expression, c, typer);
  const duplicate = (name: string, found: readonly Item[]) => new KsqlException(
    `The projection contains a key column (\`${name}\`) more than once, aliased as: ${found.map((f) => f.name).sort().join(' and ')}.`,
  );
  switch (key.kind) {
    case 'fk': {
      const missing: string[] = [];
      const chosen = new Set<Item>();
      for (const k of key.keys) {
        const found = projected.filter((it) => isKeyCol(it, k));
        if (found.length === 0) { missing.push(k.name); continue; }
        if (found.length > 1) throw duplicate(`${k.source}_${k.name}`, found);
        chosen.add(found[0]!);
      }
      if (missing.length > 0) {
        const plural = missing.length > 1;
        throw new KsqlException(
          `Primary key column${plural ? 's' : ''} missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (\`${key.leftName}\`). Missing column${plural ? 's' : ''}: ${missing.map((m) => `\`${m}\``).join(', ')}.`,
        );
      }
      for (const k of key.keys) keys.push(projected.find((it) => isKeyCol(it, k) && chosen.has(it))!);
      values.push(...projected.filter((it) => !chosen.has(it)));
      return;
    }
    case 'synthetic': {
      const found = projected.filter((it) => it.expression.kind === 'ColumnRef' && typer.schema.columns[typer.column(it.expression)!.index]!.role === 'KEY');
      if (found.length === 0) {
        throw new KsqlException(
          `Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${sinkName}\` must include the join expression ${key.name} in its projection (eg, SELECT ${key.name}...).\n${key.name} was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased.`,
        );
      }
      if (found.length > 1) throw duplicate(key.name, found);
      keys.push(found[0]!);
      values.push(...projected.filter((it) => it !== found[0]));
      return;
    }
    case 'viable': {
      for (const c of key.candidates) {
        const found = projected.filter((it) => isKeyCol(it, c));
        if (found.length === 0) continue;
        if (found.length > 1) throw duplicate(`${c.source}_${c.name}`, found);
        const k = found[0]!;
        keys.push({ name: k.name, expression: { kind: 'ColumnRef', name: key.keyColumn, span: k.expression.span } });
        values.push(...projected.filter((it) => it !== k));
        return;
      }
      const names = key.candidates.map((c) => `${c.source}.${c.name}`);
      const list = names.length === 1 ? `join expression ${names[0]}` : `join expressions ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
      throw new KsqlException(
        `Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${sinkName}\` must include the ${list} in its projection (eg, SELECT ${names[0]}...).`,
      );
    }
  }
}
