/**
 * Arithmetic on accumulator values with Java's semantics: INTEGER wraps at 32 bits, BIGINT at 64
 * (types/long.ts), DOUBLE is IEEE, DECIMAL is exact and must fit its declared precision
 * (an overflow is a KsqlFunctionException, which stops the query as in ksqlDB).
 */
import { KsqlException } from '../../errors/index.js';
import { Decimal } from '../../types/decimal.js';
import { longAdd, longSub, type Long } from '../../types/long.js';
import type { SqlType } from '../../types/sql-type.js';

export type NumOps = {
  readonly zero: unknown;
  add(a: unknown, b: unknown): unknown;
  sub(a: unknown, b: unknown): unknown;
  toDouble(v: unknown): number;
};

/** ksqlDB's KsqlFunctionException; surfaces as the cause of the StreamsException that stops the query. */
export class KsqlFunctionException extends KsqlException {
  override readonly javaClass: string = 'io.confluent.ksql.function.KsqlFunctionException';
}

function fit(d: Decimal, precision: number, scale: number): Decimal {
  const s = d.setScale(scale, 'HALF_UP');
  if (s.unscaled !== 0n && s.precision() > precision) {
    throw new KsqlFunctionException(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${precision - scale}. Got ${d.toPlainString()}`);
  }
  return s;
}

export function numOps(t: SqlType): NumOps {
  switch (t.base) {
    case 'INTEGER':
      return { zero: 0, add: (a, b) => ((a as number) + (b as number)) | 0, sub: (a, b) => ((a as number) - (b as number)) | 0, toDouble: (v) => v as number };
    case 'BIGINT':
      return { zero: 0, add: (a, b) => longAdd(a as Long, b as Long), sub: (a, b) => longSub(a as Long, b as Long), toDouble: (v) => Number(v) };
    case 'DOUBLE':
      return { zero: 0, add: (a, b) => (a as number) + (b as number), sub: (a, b) => (a as number) - (b as number), toDouble: (v) => v as number };
    case 'DECIMAL': {
      const { precision, scale } = t;
      return {
        zero: new Decimal(0n, scale),
        add: (a, b) => fit((a as Decimal).add(b as Decimal), precision, scale),
        sub: (a, b) => fit((a as Decimal).subtract(b as Decimal), precision, scale),
        toDouble: (v) => (v as Decimal).toNumber(),
      };
    }
    default:
      throw new KsqlException(`Not a numeric type: ${t.base}`);
  }
}
