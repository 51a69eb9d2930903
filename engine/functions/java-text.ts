/**
 * Java's `toString` of SQL values, which ksqlDB's functions and CAST(... AS STRING) expose:
 * `Double.toString` (`1.0`, `1.0E10`, `1.234E-5`), `BigDecimal.toPlainString`, `List.toString`
 * (`[a, b]`), `Map.toString` (`{k=v}`), Connect `Struct.toString` (`Struct{A=1,B=x}`, NULL fields left out)
 * and ksqlDB's ISO formats for TIMESTAMP / DATE / TIME.
 *
 * Kept small and local on purpose (engine/serde has its own Java formatting for serialisation; the two
 * can be merged later).
 */
import { Decimal } from '../types/decimal.js';
import type { SqlType } from '../types/sql-type.js';

/**
 * Java `Double.toString`. Digits are the shortest that round-trip (JDK 19+ behaviour; older JDKs
 * occasionally print one more digit).
 */
export function formatJavaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const neg = d < 0;
  const abs = Math.abs(d);
  let [mant, expText] = abs.toExponential().split('e') as [string, string];
  if (mant.length === 1) {
    // Java picks the closest 2-digit decimal when the shortest has one digit (Double.MIN_VALUE → 4.9E-324)
    const two = abs.toExponential(1);
    if (Number(two) === abs) [mant, expText] = two.split('e') as [string, string];
  }
  const exp = Number(expText);
  const digits = mant.replace('.', '').replace(/(?<=.)0$/, '');
  let out: string;
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      out = `${intPart}.${frac || '0'}`;
    } else {
      out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    }
  } else {
    out = `${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
  }
  return neg ? '-' + out : out;
}

/** Java `Float.toString` is not needed: ksqlDB has no FLOAT type. */

const MS_PER_DAY = 86_400_000;

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(width, '0');
}

function formatYear(y: number): string {
  if (y > 9999) return '+' + y;
  if (y < 0) return '-' + String(-y).padStart(4, '0');
  return String(y).padStart(4, '0');
}

/** DATE as `yyyy-MM-dd` (ISO_LOCAL_DATE). */
export function formatDate(epochDays: number): string {
  const d = new Date(epochDays * MS_PER_DAY);
  return `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** TIME as ISO_LOCAL_TIME: `HH:mm:ss`, plus the fraction without trailing zeros when not zero. */
export function formatTime(millisOfDay: number): string {
  const ms = ((millisOfDay % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const f = ms % 1000;
  const base = `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
  return f === 0 ? base : `${base}.${String(f).padStart(3, '0').replace(/0+$/, '')}`;
}

/** TIMESTAMP as `yyyy-MM-dd'T'HH:mm:ss.SSS` in UTC (ksqlDB SqlTimeTypes.formatTimestamp). */
export function formatTimestamp(epochMillis: number): string {
  const d = new Date(epochMillis);
  return `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T`
    + `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * The Java `toString` of a value of SQL type `type` (when known). Without a type, numbers print as
 * integers when integral and as Java doubles otherwise.
 */
export function javaToString(value: unknown, type?: SqlType): string {
  if (value === null || value === undefined) return 'null';
  if (type) {
    switch (type.base) {
      case 'DOUBLE': return formatJavaDouble(value as number);
      case 'TIMESTAMP': return formatTimestamp(value as number);
      case 'DATE': return formatDate(value as number);
      case 'TIME': return formatTime(value as number);
      case 'ARRAY':
        return '[' + (value as unknown[]).map((e) => javaToString(e, type.element)).join(', ') + ']';
      case 'MAP':
        return '{' + [...(value as Map<unknown, unknown>)]
          .map(([k, v]) => `${javaToString(k, type.key)}=${javaToString(v, type.value)}`).join(', ') + '}';
      case 'STRUCT': {
        const obj = value as Record<string, unknown>;
        const parts: string[] = [];
        for (const f of type.fields) {
          const v = obj[f.name];
          if (v !== null && v !== undefined) parts.push(`${f.name}=${javaToString(v, f.type)}`);
        }
        return `Struct{${parts.join(',')}}`;
      }
      default: break;
    }
  }
  if (typeof value === 'number') return Number.isInteger(value) && !type ? String(value) : type ? String(value) : formatJavaDouble(value);
  if (value instanceof Decimal) return value.toPlainString();
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (Array.isArray(value)) return '[' + value.map((e) => javaToString(e)).join(', ') + ']';
  if (value instanceof Map) return '{' + [...value].map(([k, v]) => `${javaToString(k)}=${javaToString(v)}`).join(', ') + '}';
  if (typeof value === 'object') {
    const parts = Object.entries(value as object).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${javaToString(v)}`);
    return `Struct{${parts.join(',')}}`;
  }
  return String(value);
}
