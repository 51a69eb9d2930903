/**
 * Java-compatible printing and parsing of numbers, so that what Sluice writes (JSON and DELIMITED
 * payloads, REST rows) is byte-for-byte what ksqlDB writes.
 *
 * Doubles: `Double.toString` of JDK 11/17 (what ksqlDB runs on): plain between 10^-3 and 10^7,
 * computerized scientific notation outside, always at least one fraction digit. The digits are the
 * shortest that round-trip (as JS prints them), except where the old JDK algorithm differs and we
 * reproduce it: integral values in [2^53, 2^63) print their exact digits less a few rounded-off
 * "insignificant" ones (JDK `FloatingDecimal.developLongDigits`), and `Double.MIN_VALUE` is `4.9E-324`.
 * Checked against JDK 17 on 350k doubles (test/serde/fixtures): the rest differs in 16 cases, all
 * where JDK 17 prints a non-shortest digit string (e.g. `1.0E23` → `9.999999999999999E22`,
 * `5.0E-323` → `4.9E-323`); JDK 19+ prints those the way we do.
 */
import { Decimal } from './decimal.js';

const MIN_VALUE = 5e-324;
const TWO_53 = 2 ** 53;
const TWO_63 = 2 ** 63;
/** JDK `FloatingDecimal.insignificantDigitsNumber`: decimal digits of 2^i. */
const INSIGNIFICANT = [
  0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9,
  10, 10, 10, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17,
  18, 18, 18, 19,
];

/** JDK's exact-long path for an integral double in [2^53, 2^63). */
function formatLongDouble(abs: number): string {
  let v = BigInt(abs);
  const binExp = v.toString(2).length - 1;
  const p2 = binExp - 54;
  const insignificant = p2 > 1 && p2 < INSIGNIFICANT.length ? INSIGNIFICANT[p2]! : 0;
  if (insignificant > 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = v % pow10;
    v /= pow10;
    if (residue >= pow10 / 2n) v++;
  }
  const all = v.toString();
  const exp = all.length - 1 + insignificant;
  const digits = all.replace(/0+$/, '');
  return digits[0] + '.' + (digits.length > 1 ? digits.slice(1) : '0') + 'E' + exp;
}

/** Java `Double.toString(d)`: `0.0`, `-0.0`, `1.0`, `123456.7`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`. */
export function formatJavaDouble(d: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = d < 0 ? -d : d;
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return Number.isInteger(d) ? s + '.0' : s;
  }
  if (d !== d) return 'NaN';
  if (abs === Infinity) return d > 0 ? 'Infinity' : '-Infinity';
  if (abs === MIN_VALUE) return d > 0 ? '4.9E-324' : '-4.9E-324';
  if (abs >= TWO_53 && abs < TWO_63 && Number.isInteger(abs)) return (d < 0 ? '-' : '') + formatLongDouble(abs);
  // toExponential() without an argument gives the shortest round-trip digits: "1.2345e+21", "5e-7"
  const e = d.toExponential();
  const at = e.indexOf('e');
  let mantissa = e.slice(0, at);
  if (mantissa.indexOf('.') < 0) mantissa += '.0';
  const exp = e.charCodeAt(at + 1) === 43 /* + */ ? e.slice(at + 2) : e.slice(at + 1);
  return mantissa + 'E' + exp;
}

/**
 * Java `BigDecimal.toString()`: plain notation when the scale is ≥ 0 and the adjusted exponent is
 * ≥ -6, otherwise scientific (`1.0E-7`, `0E-8`, `1E+3`). This is what Jackson writes for a decimal.
 */
export function javaBigDecimalToString(d: Decimal): string {
  const scale = d.scale;
  const neg = d.unscaled < 0n;
  const coeff = (neg ? -d.unscaled : d.unscaled).toString();
  const adjusted = -scale + (coeff.length - 1);
  if (scale >= 0 && adjusted >= -6) return d.toPlainString();
  let s = neg ? '-' : '';
  s += coeff.length > 1 ? coeff[0] + '.' + coeff.slice(1) : coeff;
  return s + 'E' + (adjusted >= 0 ? '+' : '') + adjusted;
}

/** Java `BigDecimal.stripTrailingZeros()`; zero becomes `0` with scale 0 (JDK 8+). */
export function stripTrailingZeros(d: Decimal): Decimal {
  let u = d.unscaled;
  if (u === 0n) return d.scale === 0 ? d : new Decimal(0n, 0);
  let scale = d.scale;
  while (u % 10n === 0n) {
    u /= 10n;
    scale--;
  }
  return scale === d.scale ? d : new Decimal(u, scale);
}

const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/**
 * Java `Double.parseDouble`: surrounding whitespace (≤ U+0020) is ignored; accepts `NaN`,
 * `Infinity`, exponents and a trailing `f`/`d` suffix. Returns undefined when Java would throw
 * NumberFormatException. Hexadecimal floating literals are not supported.
 */
export function parseJavaDouble(text: string): number | undefined {
  const t = trimJava(text);
  if (!JAVA_DOUBLE.test(t)) return undefined;
  const last = t.charCodeAt(t.length - 1);
  const body = (last | 0x20) === 0x66 /* f */ || (last | 0x20) === 0x64 /* d */ ? t.slice(0, -1) : t;
  if (body.endsWith('NaN')) return NaN;
  return Number(body);
}

const JAVA_BIG_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Java `new BigDecimal(text)`: no whitespace, scale as written; undefined when it would throw. */
export function parseJavaBigDecimal(text: string): Decimal | undefined {
  return JAVA_BIG_DECIMAL.test(text) ? Decimal.parse(text) : undefined;
}

const JAVA_INT = /^[+-]?\d+$/;

/** Java `Integer.parseInt`: no whitespace, optional sign, 32-bit range; undefined when it would throw. */
export function parseJavaInt(text: string): number | undefined {
  if (!JAVA_INT.test(text)) return undefined;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

/** Java `Long.parseLong`: returns a number when safe, a bigint otherwise; undefined when it would throw. */
export function parseJavaLong(text: string): number | bigint | undefined {
  if (!JAVA_INT.test(text)) return undefined;
  if (text.length < 16) return Number(text);
  const b = BigInt(text);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return undefined;
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

function trimJava(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}
