/**
 * JSON numbers kept as text (what `parseJsonExact` produces), and printing of parsed JSON trees the
 * way Jackson prints them inside ksqlDB.
 */
import { Decimal } from '../types/decimal.js';
import { javaBigDecimalToString, stripTrailingZeros } from '../types/java-format.js';

/** A JSON number, kept exactly as written. */
export class JsonNumber {
  /** True for an integer literal (no fraction, no exponent): Jackson's IntNode/LongNode/BigIntegerNode. */
  readonly isIntegral: boolean;

  constructor(readonly text: string, isIntegral?: boolean) {
    this.isIntegral = isIntegral ?? !/[.eE]/.test(text);
  }

  /** The value as a JS number when it is an integer literal that a double holds exactly. */
  get safeInteger(): number | undefined {
    return this.isIntegral && this.text.length < 16 ? Number(this.text) : undefined;
  }

  toNumber(): number { return Number(this.text); }

  /** The value with the scale as written (`1.10` has scale 2, `1e3` has scale -3). */
  toDecimal(): Decimal {
    const t = this.text;
    if (this.isIntegral) return new Decimal(BigInt(t), 0);
    // A JSON number literal: -?digits(.digits)?([eE][+-]?digits)?
    let e = t.indexOf('e');
    if (e < 0) e = t.indexOf('E');
    const mantissa = e < 0 ? t : t.slice(0, e);
    const exp = e < 0 ? 0 : Number(t.slice(e + 1));
    const dot = mantissa.indexOf('.');
    const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
    return new Decimal(BigInt(digits), (dot < 0 ? 0 : mantissa.length - dot - 1) - exp);
  }

  /** The integer value, truncated toward zero when the literal has a fraction. */
  toBigInt(): bigint { return this.isIntegral ? BigInt(this.text) : this.toDecimal().toBigInt(); }

  /** Jackson's `asLong`/`longValue`: truncated toward zero, low 64 bits. A number when safe. */
  toLong(): number | bigint {
    const safe = this.safeInteger;
    if (safe !== undefined) return safe;
    const b = BigInt.asIntN(64, this.toBigInt());
    return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  }

  /**
   * The text Jackson gives for this number when ksqlDB reads JSON with BigDecimal floats and then
   * prints the node: integers as digits, other numbers as `BigDecimal.stripTrailingZeros().toString()`
   * (`1.50` → `1.5`, `10.0` → `1E+1`, `0.0` → `0`).
   */
  toJacksonText(): string {
    if (this.isIntegral) return String(this.safeInteger ?? BigInt(this.text));
    return javaBigDecimalToString(stripTrailingZeros(this.toDecimal()));
  }

  toString(): string { return this.text; }
  toJSON(): unknown { return this.toNumber(); }
}

export function isJsonNumber(v: unknown): v is JsonNumber {
  return v instanceof JsonNumber;
}

/**
 * JSON text for a tree from `parseJsonExact` or `JSON.parse`, printed the way ksqlDB prints a JSON
 * node that it reads into a STRING column: compact, numbers as Jackson prints them.
 */
export function stringifyJsonTree(v: unknown, onNumber?: (n: number) => void): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    onNumber?.(v);
    return jacksonNumberText(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) return v.toJacksonText();
  if (Array.isArray(v)) return '[' + v.map((e) => stringifyJsonTree(e, onNumber)).join(',') + ']';
  const o = v as Record<string, unknown>;
  let s = '{';
  let first = true;
  for (const k of Object.keys(o)) {
    if (!first) s += ',';
    first = false;
    s += JSON.stringify(k) + ':' + stringifyJsonTree(o[k], onNumber);
  }
  return s + '}';
}

/**
 * Jackson's text for a number that `JSON.parse` produced. For non-integers the shortest digits are
 * what `BigDecimal.stripTrailingZeros()` keeps of a shortest literal, and JS and Java switch to
 * exponent notation at the same magnitudes; only the exponent letter differs. An integral value
 * written with a fraction (`10.0`) cannot be told from `10` here: Jackson prints `1E+1`, we print `10`.
 */
export function jacksonNumberText(n: number): string {
  const s = String(n);
  return s.indexOf('e') < 0 ? s : s.toUpperCase();
}
