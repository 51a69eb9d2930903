/**
 * The layout of the rows that flow between operators: an ordered list of named, typed columns.
 * Expressions are resolved against a RowSchema to positions, so operators work on plain arrays.
 *
 * `source` is the alias a column came from (for `alias.col` references and joins); `role` tells
 * the key columns of the row (which the sink writes to the record key) from the others.
 */
import type { SqlType } from '../types/sql-type.js';

export type ColumnRole = 'KEY' | 'VALUE' | 'PSEUDO' | 'WINDOW';

export interface RowColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly role: ColumnRole;
  readonly source?: string;
  /** For header-backed value columns: `HEADERS` (all headers) or the key of `HEADER('k')`. */
  readonly header?: { readonly all: true } | { readonly all: false; readonly key: string };
}

export interface RowSchema {
  readonly columns: readonly RowColumn[];
}

export function keyIndexes(schema: RowSchema): number[] {
  const out: number[] = [];
  schema.columns.forEach((c, i) => { if (c.role === 'KEY') out.push(i); });
  return out;
}

export function valueIndexes(schema: RowSchema): number[] {
  const out: number[] = [];
  schema.columns.forEach((c, i) => { if (c.role === 'VALUE') out.push(i); });
  return out;
}
