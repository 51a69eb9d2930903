import { createSerde, type FormatSpec, type RowSerde, type SerdeColumn, type SerdeRole } from '../../engine/serde/index.js';
import { Decimal } from '../../engine/types/decimal.js';
import type { SqlType } from '../../engine/types/sql-type.js';

export const col = (name: string, type: SqlType): SerdeColumn => ({ name, type });

export function serde(columns: readonly SerdeColumn[], format: FormatSpec['format'], role: SerdeRole = 'value',
  extra: Omit<FormatSpec, 'format'> = {}): RowSerde & { read(text: string | null): unknown[] | null; write(values: readonly unknown[] | null): string | null } {
  const s = createSerde(columns, { format, ...extra }, role, { topic: 't' });
  return {
    serialize: (v) => s.serialize(v),
    deserialize: (b) => s.deserialize(b),
    read: (text) => s.deserialize(text === null ? null : Buffer.from(text, 'utf8')),
    write: (values) => s.serialize(values)?.toString('utf8') ?? null,
  };
}

export const dec = (text: string): Decimal => Decimal.parse(text);
