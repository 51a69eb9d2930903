/** The row layout a source step emits, and the source step itself. */
import type { DataSource } from '../catalog/source.js';
import type { RowColumn, RowSchema } from '../analyzer/row-schema.js';
import { SqlTypes } from '../types/sql-type.js';
import type { SourceStep } from '../physical/steps.js';

/** [key columns, value columns (incl. header columns), ROWTIME, ROWPARTITION, ROWOFFSET, (WINDOWSTART, WINDOWEND)] */
export function sourceRowSchema(source: DataSource, alias: string): RowSchema {
  const columns: RowColumn[] = [];
  for (const c of source.schema.columns) {
    if (c.namespace === 'KEY') columns.push({ name: c.name, type: c.type, role: 'KEY', source: alias });
  }
  for (const c of source.schema.columns) {
    if (c.namespace === 'KEY') continue;
    const header = c.namespace === 'HEADERS' ? { all: true as const } : c.namespace === 'HEADER' ? { all: false as const, key: c.headerKey! } : undefined;
    columns.push({ name: c.name, type: c.type, role: 'VALUE', source: alias, ...(header ? { header } : {}) });
  }
  columns.push({ name: 'ROWTIME', type: SqlTypes.BIGINT, role: 'PSEUDO', source: alias });
  columns.push({ name: 'ROWPARTITION', type: SqlTypes.INTEGER, role: 'PSEUDO', source: alias });
  columns.push({ name: 'ROWOFFSET', type: SqlTypes.BIGINT, role: 'PSEUDO', source: alias });
  if (source.window) {
    columns.push({ name: 'WINDOWSTART', type: SqlTypes.BIGINT, role: 'WINDOW', source: alias });
    columns.push({ name: 'WINDOWEND', type: SqlTypes.BIGINT, role: 'WINDOW', source: alias });
  }
  return { columns };
}

export function sourceStep(source: DataSource, alias: string, id: string): SourceStep {
  const windowed = source.window !== undefined;
  const type = source.kind === 'STREAM'
    ? (windowed ? 'windowedStreamSourceV1' : 'streamSourceV1')
    : (windowed ? 'windowedTableSourceV1' : 'tableSourceV1');
  return {
    type,
    id,
    schema: sourceRowSchema(source, alias),
    topic: source.topic,
    alias,
    sourceSchema: source.schema,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    ...(source.timestampColumn ? { timestampColumn: source.timestampColumn } : {}),
    ...(source.window ? { window: source.window } : {}),
  };
}
