/** Helpers shared by the formats. */
import { Decimal } from '../types/decimal.js';
import { formatSqlType, type DecimalType, type SqlType } from '../types/sql-type.js';
import { SerdeException } from './errors.js';
import type { SerdeColumn, SerdeOptions, SerdeRole } from './types.js';

/** Whether `type` is or contains (in an array, map or struct) a type with the given base. */
export function containsBase(type: SqlType, pred: (t: SqlType) => boolean): boolean {
  if (pred(type)) return true;
  switch (type.base) {
    case 'ARRAY': return containsBase(type.element, pred);
    case 'MAP': return containsBase(type.key, pred) || containsBase(type.value, pred);
    case 'STRUCT': return type.fields.some((f) => containsBase(f.type, pred));
    default: return false;
  }
}

/** ksqlDB's `DecimalUtil.ensureFit`: checks the integer digits, then rescales without rounding. */
export function ensureFit(value: Decimal, type: DecimalType): Decimal {
  const digits = type.precision - type.scale;
  const intPart = value.abs().toBigInt();
  if (intPart >= 10n ** BigInt(digits)) {
    throw new RangeError(`Numeric field overflow: A field with precision ${type.precision} and scale ${type.scale} `
      + `must round to an absolute value less than 10^${digits}. Got ${value.toPlainString()}`);
  }
  if (value.scale === type.scale) return value;
  const rescaled = value.setScale(type.scale, 'DOWN');
  if (value.scale > type.scale && rescaled.compareTo(value) !== 0) {
    throw new RangeError(`Cannot fit decimal '${value.toPlainString()}' into DECIMAL(${type.precision}, ${type.scale}) `
      + `without rounding. (Requires ${value.precision()},${value.scale})`);
  }
  return rescaled;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (Java `Base64.getDecoder()`: standard alphabet, padding optional). */
export function decodeBase64(text: string): Buffer {
  if (!BASE64.test(text) || text.length % 4 === 1) throw new RangeError('Illegal base64 character or length');
  return Buffer.from(text, 'base64');
}

/** Wraps a failure the way ksqlDB's serdes report it. */
export function deserializeError(role: SerdeRole, options: SerdeOptions, cause: unknown): SerdeException {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const topic = options.topic ?? '';
  return new SerdeException(`Failed to deserialize ${role} from topic: ${topic}. ${detail}`, { cause });
}

export function serializeError(role: SerdeRole, options: SerdeOptions, cause: unknown): SerdeException {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const topic = options.topic ?? '';
  return new SerdeException(`Error serializing message to topic: ${topic}. ${detail}`, { cause });
}

/** ksqlDB's column text in messages: `` `NAME` TYPE`` plus ` KEY` for key columns. */
export function columnText(c: SerdeColumn, role: SerdeRole): string {
  return `\`${c.name}\` ${formatSqlType(c.type)}${role === 'key' ? ' KEY' : ''}`;
}

/** `[`A` INTEGER KEY, `B` STRING KEY]` */
export function formatColumns(columns: readonly SerdeColumn[], role: SerdeRole): string {
  return '[' + columns.map((c) => columnText(c, role)).join(', ') + ']';
}
