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
import { formatJavaDouble } from '../types/java-format.js';
import { formatDateIso as formatDate, formatTimeIso as formatTime, formatTimestampIso as formatTimestamp } from './datetime.js';

export { formatJavaDouble, formatDate, formatTime, formatTimestamp };
import type { SqlType } from '../types/sql-type.js';


/** Java `Float.toString` is not needed: ksqlDB has no FLOAT type. */

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
