/**
 * ALTER STREAM|TABLE name ADD [COLUMN] col type, ... (ksqlDB's AlterSourceFactory): appends value
 * columns to a source declared with CREATE STREAM/TABLE. Queries already running keep the schema they
 * were planned with; later statements see the new columns.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import { SYSTEM_COLUMN_NAMES, type Column } from '../catalog/schema.js';
import { resolveTypeNode } from '../analyzer/types.js';
import { validateFormats } from '../runtime/serdes.js';
import type { EngineContext } from './context.js';
import type { StatementResult } from './results.js';

const INFERRING = new Set(['AVRO', 'PROTOBUF', 'JSON_SR']);

export function executeAlterSource(stmt: A.AlterSource, ctx: EngineContext): StatementResult {
  const source = ctx.metaStore.getSource(stmt.name);
  const kindLower = stmt.sourceType.toLowerCase();
  if (!source) throw new KsqlException(`Source ${stmt.name} does not exist.`);
  if (source.kind !== stmt.sourceType) {
    throw new KsqlException(`Incompatible data source type is ${source.kind}, but statement was ALTER ${stmt.sourceType}`);
  }
  if (source.isSink) throw new KsqlException('ALTER command is not supported for CREATE ... AS statements.');
  if (source.isSource) throw new KsqlException(`Cannot alter ${kindLower} '${stmt.name}': ALTER operations are not supported on source ${kindLower}s.`);
  if (INFERRING.has(source.valueFormat.format)) {
    throw new KsqlException(`ALTER command is not supported for sources with the ${source.valueFormat.format} format: its schema comes from the schema registry.`);
  }
  const added: Column[] = [];
  for (const e of stmt.addColumns) {
    if (SYSTEM_COLUMN_NAMES.has(e.name)) throw new KsqlException(`'${e.name}' is a reserved column name. You cannot use it as a name for a column.`);
    if (source.schema.columns.some((c) => c.name === e.name) || added.some((c) => c.name === e.name)) {
      throw new KsqlException(`Cannot add column \`${e.name}\` to schema. A column with the same name already exists.`);
    }
    added.push({ name: e.name, type: resolveTypeNode(e.type, (n) => ctx.metaStore.getType(n)), namespace: 'VALUE' });
  }
  const schema = { columns: [...source.schema.columns, ...added] };
  validateFormats(schema, source.keyFormat, source.valueFormat);
  ctx.metaStore.putSource({ ...source, schema }, true);
  return { kind: 'status', commandId: `${kindLower}/${stmt.name}/alter`, message: `${stmt.sourceType === 'STREAM' ? 'Stream' : 'Table'} ${stmt.name} altered.` };
}
