/**
 * A JSON tree that behaves like the Jackson `JsonNode`s ksqlDB's JSON functions work on.
 *
 * Why hand-written rather than JSON.parse: ksqlDB reads JSON with Jackson configured for exact
 * BigDecimals (`[1.23450]` extracts as "1.23450", `1e2` prints as "1E+2"), comments, single quotes and
 * unquoted field names, and it ignores trailing content after the first value; objects keep key order
 * including integer-like keys. JSON.parse does none of this.
 */
import { Decimal } from '../types/decimal.js';

export type JsonNode =
  | { readonly kind: 'object'; readonly fields: Map<string, JsonNode> }
  | { readonly kind: 'array'; readonly items: JsonNode[] }
  | { readonly kind: 'string'; readonly value: string }
  /** `text` is what Jackson's node prints: the integer, or the exact BigDecimal's toString(). */
  | { readonly kind: 'number'; readonly text: string; readonly integral: boolean }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  /** Jackson's MissingNode: what reading an empty (or whitespace-only) document gives. */
  | { readonly kind: 'missing' };

export const NULL_NODE: JsonNode = { kind: 'null' };
export const MISSING_NODE: JsonNode = { kind: 'missing' };

export interface JsonReadOptions {
  /** `//` and `/* *\/` comments (Jackson ALLOW_COMMENTS). */
  readonly comments: boolean;
  /** 'strings' and 'names' (ALLOW_SINGLE_QUOTES). */
  readonly singleQuotes: boolean;
  /** {name: 1} (ALLOW_UNQUOTED_FIELD_NAMES). */
  readonly unquotedNames: boolean;
}

/** ksqlDB's UdfJsonMapper configuration. */
export const UDF_JSON: JsonReadOptions = { comments: true, singleQuotes: true, unquotedNames: true };
/** A plain `new JsonFactory()` (JSON_ARRAY_CONTAINS). */
export const STRICT_JSON: JsonReadOptions = { comments: false, singleQuotes: false, unquotedNames: false };

export class JsonParseError extends Error {}

const ID_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\p{Sc}]/u;

/** Reads JSON text token by token; `value()` reads one value. */
export class JsonReader {
  pos = 0;
  private depth = 0;

  constructor(readonly text: string, readonly options: JsonReadOptions = UDF_JSON) {}

  fail(what: string): never {
    throw new JsonParseError(`${what} at position ${this.pos}`);
  }

  /** Skips whitespace (and comments when allowed); returns the next char code or -1 at the end. */
  peek(): number {
    const t = this.text;
    for (;;) {
      if (this.pos >= t.length) return -1;
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) { this.pos++; continue; }
      if (c === 0x2f /* / */ && this.options.comments) {
        const n = t.charCodeAt(this.pos + 1);
        if (n === 0x2f) {
          const end = t.indexOf('\n', this.pos + 2);
          this.pos = end < 0 ? t.length : end + 1;
          continue;
        }
        if (n === 0x2a) {
          const end = t.indexOf('*/', this.pos + 2);
          if (end < 0) this.fail('Unexpected end-of-input in a comment');
          this.pos = end + 2;
          continue;
        }
      }
      return c;
    }
  }

  /** Reads the root value the way ObjectMapper.readTree does: MissingNode for empty input, rest ignored. */
  root(): JsonNode {
    const c = this.peek();
    if (c === -1) return MISSING_NODE;
    const node = this.value();
    if (node.kind === 'number' && this.pos < this.text.length) {
      const n = this.text.charCodeAt(this.pos);
      if (n !== 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) {
        this.fail(`Unexpected character ('${this.text[this.pos]}'): Expected space separating root-level values`);
      }
    }
    return node;
  }

  value(): JsonNode {
    const c = this.peek();
    switch (c) {
      case -1: return this.fail('Unexpected end-of-input');
      case 0x7b /* { */: return this.object();
      case 0x5b /* [ */: return this.array();
      case 0x22 /* " */: this.pos++; return { kind: 'string', value: this.string(0x22) };
      case 0x27 /* ' */:
        if (!this.options.singleQuotes) this.fail("Unexpected character (''')");
        this.pos++;
        return { kind: 'string', value: this.string(0x27) };
      case 0x74 /* t */: this.keyword('true'); return { kind: 'boolean', value: true };
      case 0x66 /* f */: this.keyword('false'); return { kind: 'boolean', value: false };
      case 0x6e /* n */: this.keyword('null'); return NULL_NODE;
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail(`Unrecognized token '${this.tokenAt()}'`);
    }
  }

  private tokenAt(): string {
    const m = /^[^\s,\]}[{:"]*/.exec(this.text.slice(this.pos, this.pos + 256));
    return m && m[0] ? m[0] : this.text[this.pos] ?? '';
  }

  private keyword(word: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail(`Unrecognized token '${this.tokenAt()}'`);
    this.pos += word.length;
    const next = this.text[this.pos];
    if (next !== undefined && next >= '0' && next !== ']' && next !== '}' && ID_PART.test(next)) {
      this.fail(`Unrecognized token '${word}${this.tokenAt()}'`);
    }
  }

  private number(): JsonNode {
    const start = this.pos;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(start, start + 4096));
    if (!m) this.fail('Invalid numeric value');
    const end = start + m[0].length;
    const next = this.text[end];
    if (next !== undefined && /[0-9.eE]/.test(next)) {
      // '01', '1.', '1.e5', '1e' ...
      this.fail(`Invalid numeric value: ${this.text.slice(start, end + 1)}`);
    }
    this.pos = end;
    const raw = m[0];
    if (m[2] === undefined && m[3] === undefined) return { kind: 'number', text: BigInt(raw).toString(), integral: true };
    const d = Decimal.parse(raw);
    return { kind: 'number', text: javaBigDecimalToString(d.unscaled, d.scale), integral: false };
  }

  /** After the opening quote. */
  string(quote: number): string {
    const t = this.text;
    let out = '';
    let from = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('Unexpected end-of-input in a string');
      const c = t.charCodeAt(this.pos);
      if (c === quote) {
        out += t.slice(from, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail(`Illegal unquoted character (code ${c}): has to be escaped using backslash to be included in string value`);
      if (c !== 0x5c) { this.pos++; continue; }
      out += t.slice(from, this.pos);
      const e = t[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case "'":
          if (!this.options.singleQuotes) this.fail("Unrecognized character escape '''");
          out += e;
          break;
        case 'u': {
          const hex = t.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character in a \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 1;
          this.fail(`Unrecognized character escape '${e ?? ''}'`);
      }
      from = this.pos;
    }
  }

  private enter(): void {
    if (++this.depth > 1000) this.fail('Maximum nesting depth exceeded');
  }

  private array(): JsonNode {
    this.enter();
    this.pos++;
    const items: JsonNode[] = [];
    if (this.peek() === 0x5d) { this.pos++; this.depth--; return { kind: 'array', items }; }
    for (;;) {
      items.push(this.value());
      const c = this.peek();
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x5d) break;
      this.pos--;
      this.fail(c === -1 ? 'Unexpected end-of-input: expected close marker for ARRAY'
        : `Unexpected character ('${this.text[this.pos]}'): was expecting comma to separate Array entries`);
    }
    this.depth--;
    return { kind: 'array', items };
  }

  private object(): JsonNode {
    this.enter();
    this.pos++;
    const fields = new Map<string, JsonNode>();
    if (this.peek() === 0x7d) { this.pos++; this.depth--; return { kind: 'object', fields }; }
    for (;;) {
      const name = this.fieldName();
      if (this.peek() !== 0x3a) this.fail("Unexpected character: was expecting a colon to separate field name and value");
      this.pos++;
      fields.set(name, this.value());
      const c = this.peek();
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x7d) break;
      this.pos--;
      this.fail(c === -1 ? 'Unexpected end-of-input: expected close marker for OBJECT'
        : `Unexpected character ('${this.text[this.pos]}'): was expecting comma to separate Object entries`);
    }
    this.depth--;
    return { kind: 'object', fields };
  }

  private fieldName(): string {
    const c = this.peek();
    if (c === 0x22) { this.pos++; return this.string(0x22); }
    if (c === 0x27 && this.options.singleQuotes) { this.pos++; return this.string(0x27); }
    if (this.options.unquotedNames && c !== -1) {
      const start = this.pos;
      while (this.pos < this.text.length && /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\p{Sc}]/u.test(this.text[this.pos]!)) this.pos++;
      if (this.pos > start) return this.text.slice(start, this.pos);
    }
    return this.fail(c === -1 ? 'Unexpected end-of-input: expected a field name'
      : `Unexpected character ('${this.text[this.pos]}'): was expecting double-quote to start field name`);
  }
}

/** `ObjectMapper.readTree(text)` with ksqlDB's UdfJsonMapper settings (or `options`). Throws JsonParseError. */
export function parseJson(text: string, options: JsonReadOptions = UDF_JSON): JsonNode {
  return new JsonReader(text, options).root();
}

// ---------------------------------------------------------------------------------------------
// Writing

const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
const HEX = '0123456789ABCDEF';

/** A JSON string literal escaped as Jackson writes it (uppercase `\u00XX`, nothing escaped above 0x1F). */
export function quoteJson(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(from, i);
    from = i + 1;
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x08: out += '\\b'; break;
      case 0x09: out += '\\t'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0d: out += '\\r'; break;
      default: out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    }
  }
  return out + s.slice(from) + '"';
}

/** `JsonNode.toString()`: compact JSON. MissingNode prints as the empty string. */
export function writeJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object': {
      let out = '{';
      let first = true;
      for (const [k, v] of node.fields) {
        out += `${first ? '' : ','}${quoteJson(k)}:${writeJson(v)}`;
        first = false;
      }
      return out + '}';
    }
    case 'array': return `[${node.items.map(writeJson).join(',')}]`;
    case 'string': return quoteJson(node.value);
    case 'number': return node.text;
    case 'boolean': return node.value ? 'true' : 'false';
    case 'null': return 'null';
    case 'missing': return '';
  }
}

/** `JsonNode.asText()` for text nodes, `toString()` for the rest (EXTRACTJSONFIELD, JSON_RECORDS). */
export function nodeText(node: JsonNode): string {
  return node.kind === 'string' ? node.value : writeJson(node);
}

// ---------------------------------------------------------------------------------------------
// Java number formatting

/** Java `BigDecimal.toString()`: plain unless the scale is negative or the value is below 1E-6. */
export function javaBigDecimalToString(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  const sign = neg ? '-' : '';
  if (scale === 0) return sign + digits;
  const adjusted = -scale + (digits.length - 1);
  if (scale > 0 && adjusted >= -6) {
    if (digits.length > scale) return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
    return `${sign}0.${'0'.repeat(scale - digits.length)}${digits}`;
  }
  let out = sign + digits[0];
  if (digits.length > 1) out += `.${digits.slice(1)}`;
  if (adjusted !== 0) out += `E${adjusted > 0 ? '+' : ''}${adjusted}`;
  return out;
}
