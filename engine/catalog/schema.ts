/**
 * Logical schemas: the columns of a stream or table as ksqlDB sees them — key columns first, then
 * value columns (header columns are value-side columns filled from record headers).
 * Pseudo columns (ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND) are not part of a
 * source's schema; the analyzer adds them when it resolves names.
 */
import { formatSqlType, type SqlType } from '../types/sql-type.js';

export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADERS' | 'HEADER';

export interface Column {
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  /** For `HEADER('k')` columns. */
  readonly headerKey?: string;
}

export interface LogicalSchema {
  readonly columns: readonly Column[];
}

export const PSEUDO_COLUMNS = ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET'] as const;
export const WINDOW_BOUNDS = ['WINDOWSTART', 'WINDOWEND'] as const;
export const SYSTEM_COLUMN_NAMES: ReadonlySet<string> = new Set([...PSEUDO_COLUMNS, ...WINDOW_BOUNDS]);

export function keyColumns(schema: LogicalSchema): Column[] {
  return schema.columns.filter((c) => c.namespace === 'KEY');
}

/** Value-side columns, including header columns (they live in the value row, filled from headers). */
export function valueColumns(schema: LogicalSchema): Column[] {
  return schema.columns.filter((c) => c.namespace !== 'KEY');
}

/** Columns that are serialised into the record value (header columns are not). */
export function serializedValueColumns(schema: LogicalSchema): Column[] {
  return schema.columns.filter((c) => c.namespace === 'VALUE');
}

export function findColumn(schema: LogicalSchema, name: string): Column | undefined {
  return schema.columns.find((c) => c.name === name);
}

/** ksqlDB's `LogicalSchema.toString` column list: `` `ID` BIGINT KEY, `NAME` STRING ``. */
export function formatSchema(schema: LogicalSchema, options: { quote?: boolean; keySuffix?: 'KEY' | 'PRIMARY KEY' } = {}): string {
  const q = options.quote ?? true;
  return schema.columns
    .map((c) => {
      const name = q ? '`' + c.name + '`' : c.name;
      let suffix = '';
      if (c.namespace === 'KEY') suffix = ' ' + (options.keySuffix ?? 'KEY');
      else if (c.namespace === 'HEADERS') suffix = ' HEADERS';
      else if (c.namespace === 'HEADER') suffix = ` HEADER('${c.headerKey}')`;
      return `${name} ${formatSqlType(c.type, { quoteFields: q })}${suffix}`;
    })
    .join(', ');
}
