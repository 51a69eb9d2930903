/**
 * The DELIMITED format (ksqlDB's `KsqlDelimitedSerdeFactory`): one CSV record per message, fields in
 * column order, primitive types only. Writing: doubles like Java, decimals in plain notation with the
 * declared scale, BYTES as base64, TIMESTAMP/DATE/TIME as integers, null as an empty field. Reading:
 * an empty field is null for every type (strings too), BOOLEAN is `equalsIgnoreCase("true")`, numbers
 * follow Java's parsers, and the field count must equal the column count.
 */
import { Decimal } from '../types/decimal.js';
import { formatJavaDouble, parseJavaBigDecimal, parseJavaDouble, parseJavaInt, parseJavaLong } from '../types/java-format.js';
import type { SqlType } from '../types/sql-type.js';
import { readCsvRecord, writeCsvRecord } from './csv.js';
import { FormatException } from './errors.js';
import type { FormatImpl, FormatSpec, RowSerde, SerdeColumn, SerdeOptions, SerdeRole } from './types.js';
import { decodeBase64, deserializeError, ensureFit, serializeError } from './util.js';

type FieldWriter = (v: unknown) => string;
type FieldParser = (s: string) => unknown;

const EXAMPLE = "\nExample valid value: ';'";

/**
 * Resolves a KEY_DELIMITER / VALUE_DELIMITER value: one character, or `TAB` / `SPACE`
 * (case-insensitive). Throws FormatException with ksqlDB's message otherwise.
 */
export function parseDelimiter(value: string, property = 'VALUE_DELIMITER'): string {
  const prefix = `Configuration ${property} is invalid: `;
  if (value.trim() === '') {
    throw new FormatException(prefix + "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'" + EXAMPLE);
  }
  const upper = value.toUpperCase();
  if (upper === 'TAB') return '\t';
  if (upper === 'SPACE') return ' ';
  if (value.length !== 1) {
    throw new FormatException(prefix + `Invalid delimiter value: '${value}'. Delimiter must be a single character or TAB,SPACE` + EXAMPLE);
  }
  return value;
}

function numberFormat(s: string): Error {
  return new Error(`For input string: "${s}"`);
}

function fieldWriter(type: SqlType): FieldWriter {
  switch (type.base) {
    case 'BOOLEAN': return (v) => (v ? 'true' : 'false');
    case 'INTEGER': case 'BIGINT': case 'TIMESTAMP': case 'DATE': case 'TIME': return (v) => String(v);
    case 'DOUBLE': return (v) => formatJavaDouble(v as number);
    case 'DECIMAL': {
      const scale = type.scale;
      return (v) => {
        const d = v as Decimal;
        return (d.scale === scale ? d : d.setScale(scale, 'HALF_UP')).toPlainString();
      };
    }
    case 'STRING': return (v) => v as string;
    case 'BYTES': return (v) => (v as Buffer).toString('base64');
    default: throw new FormatException(`The 'DELIMITED' format does not support type '${type.base}'`);
  }
}

function fieldParser(type: SqlType): FieldParser {
  switch (type.base) {
    case 'BOOLEAN': return (s) => s.toLowerCase() === 'true';
    case 'INTEGER': case 'DATE': case 'TIME':
      return (s) => { const i = parseJavaInt(s); if (i === undefined) throw numberFormat(s); return i; };
    case 'BIGINT':
      return (s) => { const l = parseJavaLong(s); if (l === undefined) throw numberFormat(s); return l; };
    case 'TIMESTAMP':
      return (s) => { const l = parseJavaLong(s); if (l === undefined) throw numberFormat(s); return Number(l); };
    case 'DOUBLE':
      return (s) => { const d = parseJavaDouble(s); if (d === undefined) throw numberFormat(s); return d; };
    case 'DECIMAL':
      return (s) => { const d = parseJavaBigDecimal(s); if (d === undefined) throw numberFormat(s); return ensureFit(d, type); };
    case 'STRING': return (s) => s;
    case 'BYTES': return (s) => decodeBase64(s);
    default: throw new FormatException(`The 'DELIMITED' format does not support type '${type.base}'`);
  }
}

export function delimiterOf(spec: FormatSpec, role: SerdeRole): string {
  const props = spec.properties ?? {};
  const key = Object.keys(props).find((k) => k.toLowerCase() === 'delimiter');
  return key === undefined ? ',' : parseDelimiter(props[key]!, role === 'key' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
}

export function createDelimitedSerde(
  columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole, options: SerdeOptions,
): RowSerde {
  const delimiter = delimiterOf(spec, role);
  const writers = columns.map((c) => fieldWriter(c.type));
  const parsers = columns.map((c) => fieldParser(c.type));
  const n = columns.length;
  return {
    serialize(values) {
      if (values === null) return null;
      if (n === 0) return role === 'key' ? null : Buffer.alloc(0);
      try {
        const fields = new Array<string | null>(n);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          fields[i] = v === null || v === undefined ? null : writers[i]!(v);
        }
        return Buffer.from(writeCsvRecord(fields, delimiter), 'utf8');
      } catch (e) { throw serializeError(role, options, e); }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      if (n === 0) return [];
      try {
        const fields = readCsvRecord(bytes.toString('utf8'), delimiter);
        if (fields === null) {
          // A single null column is written as an empty message; read it back as that row.
          if (n === 1) return [null];
          throw new Error('No fields in record');
        }
        if (fields.length !== n) {
          throw new Error(`Column count mismatch on deserialization. topic: ${options.topic ?? ''}, expected: ${n}, got: ${fields.length}`);
        }
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const f = fields[i]!;
          out[i] = f === '' ? null : parsers[i]!(f);
        }
        return out;
      } catch (e) { throw deserializeError(role, options, e); }
    },
  };
}

export const DELIMITED_FORMAT: FormatImpl = {
  name: 'DELIMITED',
  properties: ['delimiter'],
  canWrap: false,
  canUnwrap: true,
  checkSchema(columns) {
    for (const c of columns) {
      const b = c.type.base;
      if (b === 'ARRAY' || b === 'MAP' || b === 'STRUCT') {
        return `The 'DELIMITED' format does not support type '${b}', column: \`${c.name}\``;
      }
    }
    return undefined;
  },
  create: createDelimitedSerde,
};
