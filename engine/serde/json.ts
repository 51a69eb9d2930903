/**
 * The JSON format (ksqlDB's `KsqlJsonSerdeFactory`, no schema registry).
 *
 * Several columns, or one wrapped column: an object keyed by column name (read case-insensitively,
 * written with the exact names, in column order). One unwrapped column (keys by default, values with
 * WRAP_SINGLE_VALUE=false): the bare value. The document `null` reads as a null row.
 *
 * Parsing: `JSON.parse` is the fast path. It loses decimal scale and integer precision beyond 2^53,
 * so the exact parser (`parseJsonExact`) is used instead when the schema contains a DECIMAL, and as a
 * second pass when the fast path meets an integer beyond ±(2^53 − 1) in a BIGINT, INTEGER or STRING
 * position (the readers throw NEEDS_EXACT). Every integer literal ≥ 2^53 parses to such a double, so
 * no precision is lost, and documents without big integers pay for no pre-scan of the text. After a
 * retry the serde parses exactly for the next 256 documents, as such topics tend to repeat.
 */
import { containsBase, deserializeError, serializeError } from './util.js';
import { parseJsonExact } from './json-exact.js';
import { CoercionError, compileFieldsReader, compileReader, convertError, isObject, NEEDS_EXACT } from './json-read.js';
import { compileWriter } from './json-write.js';
import type { FormatImpl, FormatSpec, RowSerde, SerdeColumn, SerdeOptions, SerdeRole } from './types.js';
import { SqlTypes } from '../types/sql-type.js';

const EXACT_STREAK = 256;

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
  const n = columns.length;
  // After a retry, parse exactly for a while: a topic with big integers tends to keep sending them.
  let preferExact = 0;
  /** Parses and reads the document, retrying with the exact parser when the fast path lost digits. */
  const readDoc = <R>(bytes: Buffer, read: (tree: unknown) => R): R | null => {
    // Jackson skips a UTF-8 byte order mark; JSON.parse would reject it.
    const text = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      ? bytes.toString('utf8', 3) : bytes.toString('utf8');
    if (!exactAlways && preferExact === 0) {
      try {
        const tree: unknown = JSON.parse(text);
        return tree === null ? null : read(tree);
      } catch (e) {
        if (e !== NEEDS_EXACT) throw e;
        preferExact = EXACT_STREAK;
      }
    } else if (preferExact > 0) preferExact--;
    const tree = parseJsonExact(text);
    return tree === null ? null : read(tree);
  };

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
          return readDoc(bytes, (tree) => [read(tree)]);
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
        return readDoc(bytes, (tree) => {
          if (!isObject(tree)) throw convertError(tree, rowType);
          const out = new Array<unknown>(n);
          readFields(tree, out, false);
          return out;
        });
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
