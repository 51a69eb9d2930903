/** Builds key/value serdes for a source or sink from its formats and columns. */
import type { Column } from '../catalog/schema.js';
import type { FormatInfo } from '../catalog/source.js';
import { createSerde, type RowSerde } from '../serde/index.js';

export function rowSerde(format: FormatInfo, columns: readonly Column[], role: 'key' | 'value'): RowSerde {
  const wrapSingle = format.features.includes('WRAP_SINGLES') ? true : format.features.includes('UNWRAP_SINGLES') ? false : undefined;
  return createSerde(
    columns.map((c) => ({ name: c.name, type: c.type })),
    { format: format.format as never, properties: format.properties, wrapSingle },
    role,
  );
}
