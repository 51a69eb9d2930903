/**
 * The NONE format: no columns. Nothing is written (null bytes) and whatever is read is ignored
 * (an empty row; null bytes stay null).
 */
import type { FormatImpl, RowSerde } from './types.js';
import { formatColumns } from './util.js';

const NONE_SERDE: RowSerde = {
  serialize: () => null,
  deserialize: (bytes) => (bytes === null ? null : []),
};

export const NONE_FORMAT: FormatImpl = {
  name: 'NONE',
  properties: [],
  canWrap: false,
  canUnwrap: false,
  checkSchema(columns, role) {
    return columns.length === 0
      ? undefined
      : `The 'NONE' format can only be used when no columns are defined. Got: ${formatColumns(columns, role)}`;
  },
  create: () => NONE_SERDE,
};
