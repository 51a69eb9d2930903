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

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  return n < 64 ? (POW10[n] ??= 10n ** BigInt(n)) : 10n ** BigInt(n);
}

/**
 * ksqlDB's `DecimalUtil.ensureFit`: fails when the integer digits overflow the type ("Numeric field
 * overflow") or when fitting the scale would need rounding ("Cannot fit decimal"), else rescales.
 */
export function ensureFit(value: Decimal, type: DecimalType): Decimal {
  const { precision, scale } = type;
  const u = value.unscaled;
  let fitted: bigint;
  if (value.scale === scale) fitted = u;
  else if (value.scale < scale) fitted = u * pow10(scale - value.scale);
  else fitted = u / pow10(value.scale - scale);
  // |trunc(value)| >= 10^(precision - scale)  <=>  |value truncated to `scale`| >= 10^precision
  const limit = pow10(precision);
  if (fitted >= limit || fitted <= -limit) {
    throw new RangeError(`Numeric field overflow: A field with precision ${precision} and scale ${scale} `
      + `must round to an absolute value less than 10^${precision - scale}. Got ${value.toPlainString()}`);
  }
  if (value.scale > scale && fitted * pow10(value.scale - scale) !== u) {
    throw new RangeError(`Cannot fit decimal '${value.toPlainString()}' into DECIMAL(${precision}, ${scale}) `
      + `without rounding. (Requires ${value.precision()},${value.scale})`);
  }
  return value.scale === scale ? value : new Decimal(fitted, scale);
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
