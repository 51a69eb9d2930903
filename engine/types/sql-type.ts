/**
 * SQL types as the analyzer and runtime see them.
 *
 * Runtime value representation (every stage relies on this; SQL NULL is always `null`, never `undefined`):
 *   BOOLEAN   boolean
 *   INTEGER   number, always a 32-bit signed integer
 *   BIGINT    number while it is a safe integer, otherwise a `bigint` (see `long.ts`: one value has one
 *             representation, so `===` and `<` keep working)
 *   DOUBLE    number
 *   DECIMAL   `Decimal` (exact, keeps its scale)
 *   STRING    string
 *   BYTES     Buffer
 *   TIMESTAMP number, epoch milliseconds
 *   DATE      number, epoch days
 *   TIME      number, milliseconds of the day
 *   ARRAY     unknown[]
 *   MAP       Map<unknown, unknown> (insertion order kept)
 *   STRUCT    Struct: a plain object whose own keys are the field names, in schema order
 */

export type SqlBaseType =
  | 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'STRING' | 'BYTES'
  | 'TIMESTAMP' | 'DATE' | 'TIME' | 'ARRAY' | 'MAP' | 'STRUCT';

export type SqlType =
  | { readonly base: 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'TIMESTAMP' | 'DATE' | 'TIME' }
  | DecimalType
  | ArrayType
  | MapType
  | StructType;

export interface DecimalType { readonly base: 'DECIMAL'; readonly precision: number; readonly scale: number }
export interface ArrayType { readonly base: 'ARRAY'; readonly element: SqlType }
export interface MapType { readonly base: 'MAP'; readonly key: SqlType; readonly value: SqlType }
export interface StructField { readonly name: string; readonly type: SqlType }
export interface StructType { readonly base: 'STRUCT'; readonly fields: readonly StructField[] }

export type Struct = Record<string, unknown>;

export const SqlTypes = {
  BOOLEAN: { base: 'BOOLEAN' } as SqlType,
  INTEGER: { base: 'INTEGER' } as SqlType,
  BIGINT: { base: 'BIGINT' } as SqlType,
  DOUBLE: { base: 'DOUBLE' } as SqlType,
  STRING: { base: 'STRING' } as SqlType,
  BYTES: { base: 'BYTES' } as SqlType,
  TIMESTAMP: { base: 'TIMESTAMP' } as SqlType,
  DATE: { base: 'DATE' } as SqlType,
  TIME: { base: 'TIME' } as SqlType,
  decimal: (precision: number, scale: number): DecimalType => ({ base: 'DECIMAL', precision, scale }),
  array: (element: SqlType): ArrayType => ({ base: 'ARRAY', element }),
  map: (key: SqlType, value: SqlType): MapType => ({ base: 'MAP', key, value }),
  struct: (fields: readonly StructField[]): StructType => ({ base: 'STRUCT', fields }),
} as const;

export interface FormatOptions {
  /** Back-quote struct field names (ksqlDB's `FormatOptions.none()` does; DESCRIBE output does not). */
  readonly quoteFields: boolean;
}

/** ksqlDB's `SqlType.toString`: `DECIMAL(4, 2)`, `ARRAY<STRING>`, `MAP<STRING, INTEGER>`, ``STRUCT<`A` INTEGER>``. */
export function formatSqlType(type: SqlType, options: FormatOptions = { quoteFields: true }): string {
  switch (type.base) {
    case 'DECIMAL': return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ARRAY': return `ARRAY<${formatSqlType(type.element, options)}>`;
    case 'MAP': return `MAP<${formatSqlType(type.key, options)}, ${formatSqlType(type.value, options)}>`;
    case 'STRUCT':
      return `STRUCT<${type.fields
        .map((f) => `${options.quoteFields ? '`' + f.name + '`' : f.name} ${formatSqlType(f.type, options)}`)
        .join(', ')}>`;
    default: return type.base;
  }
}

export function sqlTypeEquals(a: SqlType, b: SqlType): boolean {
  if (a.base !== b.base) return false;
  switch (a.base) {
    case 'DECIMAL': { const d = b as DecimalType; return a.precision === d.precision && a.scale === d.scale; }
    case 'ARRAY': return sqlTypeEquals(a.element, (b as ArrayType).element);
    case 'MAP': return sqlTypeEquals(a.key, (b as MapType).key) && sqlTypeEquals(a.value, (b as MapType).value);
    case 'STRUCT': {
      const s = b as StructType;
      return a.fields.length === s.fields.length
        && a.fields.every((f, i) => f.name === s.fields[i]!.name && sqlTypeEquals(f.type, s.fields[i]!.type));
    }
    default: return true;
  }
}

export function isNumericType(t: SqlType): boolean {
  return t.base === 'INTEGER' || t.base === 'BIGINT' || t.base === 'DOUBLE' || t.base === 'DECIMAL';
}
