/** INSERT INTO source [(columns)] VALUES (...): evaluates constants, serialises and appends one record. */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import { keyColumns, serializedValueColumns, type Column } from '../catalog/schema.js';
import { ExpressionTyper } from '../analyzer/expression-typer.js';
import { ExpressionCompiler } from '../runtime/expr/compiler.js';
import { rowSerde } from '../runtime/serdes.js';
import { partitionForKey } from '../topics/partitioner.js';
import { SqlTypes } from '../types/sql-type.js';
import { castValue } from '../functions/cast.js';
import type { EngineContext } from './context.js';
import { NO_RESULT, type StatementResult } from './results.js';

const NOT_INSERTABLE = new Set(['ROWPARTITION', 'ROWOFFSET', 'WINDOWSTART', 'WINDOWEND']);

export async function executeInsertValues(stmt: A.InsertValues, ctx: EngineContext): Promise<StatementResult> {
  const target = ctx.metaStore.getSource(stmt.target);
  if (!target) {
    const upper = stmt.target.toUpperCase();
    const hint = upper !== stmt.target && ctx.metaStore.getSource(upper)
      ? `\nDid you mean ${upper}? Hint: try removing double quotes from the source name.` : '';
    throw new KsqlException(`Cannot insert values into an unknown stream/table: \`${stmt.target}\`${hint}`);
  }
  if (target.isSource) throw new KsqlException(`Cannot insert into read-only ${target.kind.toLowerCase()}: ${target.name}`);
  const writable = target.schema.columns;
  const headerCols = writable.filter((c) => c.namespace === 'HEADERS' || c.namespace === 'HEADER');
  const names = stmt.columns ?? [...writable.map((c) => c.name)];
  if (stmt.columns === undefined && headerCols.length > 0) {
    throw new KsqlException(`Cannot insert into HEADER columns: ${headerCols.map((c) => c.name).join(', ')}`);
  }
  if (names.length !== stmt.values.length) {
    throw new KsqlException(`Expected a value for each column. Expected Columns: [${names.join(', ')}]. Got ${stmt.values.length} values.`);
  }
  const values = new Map<string, unknown>();
  const typer = new ExpressionTyper({ columns: [] }, { functions: ctx.functions });
  names.forEach((name, i) => {
    if (NOT_INSERTABLE.has(name)) throw new KsqlException(`Inserting into column \`${name}\` is not allowed.`);
    const col = writable.find((c) => c.name === name);
    if (name !== 'ROWTIME' && !col) throw new KsqlException(`Column name ${name} does not exist.`);
    if (col && (col.namespace === 'HEADERS' || col.namespace === 'HEADER')) throw new KsqlException(`Cannot insert into HEADER columns: ${name}`);
    const expr = stmt.values[i]!;
    const from = typer.typeOf(expr);
    const raw = new ExpressionCompiler(typer).compile(expr)([]);
    const to = col ? col.type : SqlTypes.BIGINT;
    values.set(name, raw === null || from === null ? raw : castValue(raw, from, to));
  });
  const keys = keyColumns(target.schema);
  const vals = serializedValueColumns(target.schema);
  if (target.kind === 'TABLE' && keys.some((k) => values.get(k.name) === null || values.get(k.name) === undefined)) {
    throw new KsqlException(`Failed to insert values into '${target.name}'. Value for primary key column(s) ${keys.map((k) => k.name).join(', ')} is required for tables`);
  }
  const keyBytes = keys.length === 0 ? null : rowSerde(target.keyFormat, keys, 'key').serialize(pick(keys, values));
  const valueBytes = rowSerde(target.valueFormat, vals, 'value').serialize(pick(vals, values));
  const ts = values.has('ROWTIME') && values.get('ROWTIME') !== null ? Number(values.get('ROWTIME')) : ctx.now();
  const desc = await ctx.topics.describeTopic(target.topic);
  const partition = partitionForKey(keyBytes, desc?.partitions ?? 1);
  await ctx.topics.append(target.topic, partition, [{ key: keyBytes, value: valueBytes, timestamp: ts, headers: [] }]);
  return NO_RESULT;
}

function pick(cols: readonly Column[], values: Map<string, unknown>): unknown[] {
  return cols.map((c) => (values.has(c.name) ? values.get(c.name) : null));
}
