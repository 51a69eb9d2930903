/**
 * The JSON format (ksqlDB's `KsqlJsonSerdeFactory`, no schema registry).
 *
 * Several columns, or one wrapped column: an object keyed by column name (read case-insensitively,
 * written with the exact names, in column order). One unwrapped column (keys by default, values with
 * WRAP_SINGLE_VALUE=false): the bare value. The document `null` reads as a null row.
 *
 * Parsing: `JSON.parse` is the fast path. It loses BIGINT precision beyond 2^53 and decimal scale, so
 * the exact parser is used instead when the schema contains a DECIMAL, or when the text contains a
 * run of 16+ digits (every integer ≥ 2^53 has 16 digits; a run inside a string only costs speed).
 */
import { containsBase, deserializeError, serializeError } from './util.js';
import { parseJsonExact } from './json-exact.js';
import { CoercionError, compileFieldsReader, compileReader, convertError, isObject } from './json-read.js';
import { compileWriter } from './json-write.js';
import type { FormatImpl, FormatSpec, RowSerde, SerdeColumn, SerdeOptions, SerdeRole } from './types.js';
import { SqlTypes } from '../types/sql-type.js';

const LONG_DIGIT_RUN = /\d{16}/;

function rootPath(e: unknown): unknown {
  return e instanceof CoercionError ? new CoercionError(e.rawMessage, '$' + e.path) : e;
}

export function isWrapped(columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole): boolean {
  if (columns.length !== 1) return true;
  return spec.wrapSingle ?? role === 'value';
}

export function createJsonSerde(
  columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole, options: SerdeOptions,
): RowSerde {
  const wrapped = isWrapped(columns, spec, role);
  const exactAlways = columns.some((c) => containsBase(c.type, (t) => t.base === 'DECIMAL'));
  const parse = (bytes: Buffer): unknown => {
    const text = bytes.toString('utf8');
    return exactAlways || LONG_DIGIT_RUN.test(text) ? parseJsonExact(text) : JSON.parse(text);
  };
  const n = columns.length;

  if (!wrapped) {
    const write = compileWriter(columns[0]!.type);
    const read = compileReader(columns[0]!.type);
    return {
      serialize(values) {
        if (values === null) return null;
        const v = values[0];
        if (v === null || v === undefined) return null;
        try { return Buffer.from(write(v), 'utf8'); } catch (e) { throw serializeError(role, options, e); }
      },
      deserialize(bytes) {
        if (bytes === null) return null;
        try {
          const tree = parse(bytes);
          return tree === null ? null : [read(tree)];
        } catch (e) { throw deserializeError(role, options, rootPath(e)); }
      },
    };
  }

  const names = columns.map((c) => c.name);
  const prefixes = names.map((name, i) => (i > 0 ? ',' : '') + JSON.stringify(name) + ':');
  const writers = columns.map((c) => compileWriter(c.type));
  const readFields = compileFieldsReader(names, columns.map((c) => c.type));
  const rowType = SqlTypes.struct(columns);
  return {
    serialize(values) {
      if (values === null) return null;
      try {
        let s = '{';
        for (let i = 0; i < n; i++) s += prefixes[i]! + writers[i]!(values[i]);
        return Buffer.from(s + '}', 'utf8');
      } catch (e) { throw serializeError(role, options, e); }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try {
        const tree = parse(bytes);
        if (tree === null) return null;
        if (!isObject(tree)) throw convertError(tree, rowType);
        const out = new Array<unknown>(n);
        readFields(tree, out, false);
        return out;
      } catch (e) { throw deserializeError(role, options, rootPath(e)); }
    },
  };
}

export const JSON_FORMAT: FormatImpl = {
  name: 'JSON',
  properties: [],
  canWrap: true,
  canUnwrap: true,
  checkSchema(columns) {
    const badMap = columns.some((c) => containsBase(c.type, (t) => t.base === 'MAP' && t.key.base !== 'STRING'));
    return badMap ? 'JSON only supports MAP types with STRING keys' : undefined;
  },
  create: createJsonSerde,
};
