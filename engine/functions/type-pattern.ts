/**
 * Parameter type patterns for function declarations, written as strings:
 *
 *   BOOLEAN INTEGER (INT) BIGINT DOUBLE STRING (VARCHAR) BYTES TIMESTAMP DATE TIME
 *   DECIMAL            any precision and scale
 *   DECIMAL(p, s)      exactly that decimal
 *   ARRAY<P>  MAP<P, P>
 *   STRUCT             any struct;  STRUCT<A INTEGER, B STRING> an exact struct
 *   ANY                any value (no binding; ksqlDB's `Object` parameter)
 *   TIMEUNIT           a bare time unit such as SECONDS (TIMESTAMPADD and friends); only time units match it
 *   T, U, K, V, ...    a generic (an identifier that is not a type name); bound consistently across arguments
 *   LAMBDA<(T, U) => V>  a lambda parameter (only in function parameters)
 *
 * A leading `...` on a parameter makes it variadic (see registry.ts).
 */
import {
  type SqlType, type StructField, SqlTypes, sqlTypeEquals, formatSqlType,
} from '../types/sql-type.js';

export type TypePattern =
  | { readonly kind: 'concrete'; readonly type: SqlType }
  | { readonly kind: 'anyDecimal' }
  | { readonly kind: 'anyStruct' }
  | { readonly kind: 'any' }
  | { readonly kind: 'timeUnit' }
  | { readonly kind: 'generic'; readonly name: string }
  | { readonly kind: 'array'; readonly element: TypePattern }
  | { readonly kind: 'map'; readonly key: TypePattern; readonly value: TypePattern }
  | { readonly kind: 'lambda'; readonly params: readonly TypePattern[]; readonly returns: TypePattern };

const PRIMITIVES: Record<string, SqlType> = {
  BOOLEAN: SqlTypes.BOOLEAN,
  INTEGER: SqlTypes.INTEGER,
  INT: SqlTypes.INTEGER,
  BIGINT: SqlTypes.BIGINT,
  DOUBLE: SqlTypes.DOUBLE,
  STRING: SqlTypes.STRING,
  VARCHAR: SqlTypes.STRING,
  BYTES: SqlTypes.BYTES,
  TIMESTAMP: SqlTypes.TIMESTAMP,
  DATE: SqlTypes.DATE,
  TIME: SqlTypes.TIME,
};

const cache = new Map<string, TypePattern>();

/** Parses a pattern string (cached). Throws an Error naming the pattern when it is malformed. */
export function parsePattern(text: string): TypePattern {
  const hit = cache.get(text);
  if (hit) return hit;
  const p = new PatternParser(text);
  const result = p.parseType();
  p.skipWs();
  if (p.pos !== text.length) throw new Error(`Bad type pattern '${text}' at ${p.pos}`);
  cache.set(text, result);
  return result;
}

class PatternParser {
  pos = 0;
  constructor(private readonly text: string) {}

  skipWs(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private fail(what: string): never {
    throw new Error(`Bad type pattern '${this.text}': expected ${what} at ${this.pos}`);
  }

  private eat(s: string): boolean {
    this.skipWs();
    if (this.text.startsWith(s, this.pos)) { this.pos += s.length; return true; }
    return false;
  }

  private expect(s: string): void {
    if (!this.eat(s)) this.fail(`'${s}'`);
  }

  private ident(): string {
    this.skipWs();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('an identifier');
    this.pos += m[0].length;
    return m[0];
  }

  private int(): number {
    this.skipWs();
    const m = /^\d+/.exec(this.text.slice(this.pos));
    if (!m) this.fail('a number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  parseType(): TypePattern {
    const name = this.ident();
    const upper = name.toUpperCase();
    if (PRIMITIVES[upper] && name === upper) return { kind: 'concrete', type: PRIMITIVES[upper]! };
    switch (name) {
      case 'DECIMAL':
        if (this.eat('(')) {
          const p = this.int(); this.expect(','); const s = this.int(); this.expect(')');
          return { kind: 'concrete', type: SqlTypes.decimal(p, s) };
        }
        return { kind: 'anyDecimal' };
      case 'ANY': return { kind: 'any' };
      case 'TIMEUNIT': return { kind: 'timeUnit' };
      case 'ARRAY': {
        this.expect('<'); const element = this.parseType(); this.expect('>');
        return element.kind === 'concrete' ? { kind: 'concrete', type: SqlTypes.array(element.type) } : { kind: 'array', element };
      }
      case 'MAP': {
        this.expect('<'); const key = this.parseType(); this.expect(','); const value = this.parseType(); this.expect('>');
        return key.kind === 'concrete' && value.kind === 'concrete'
          ? { kind: 'concrete', type: SqlTypes.map(key.type, value.type) }
          : { kind: 'map', key, value };
      }
      case 'STRUCT': {
        if (!this.eat('<')) return { kind: 'anyStruct' };
        const fields: StructField[] = [];
        if (!this.eat('>')) {
          do {
            const fname = this.ident();
            const t = this.parseType();
            if (t.kind !== 'concrete') this.fail('a concrete struct field type');
            fields.push({ name: fname, type: t.type });
          } while (this.eat(','));
          this.expect('>');
        }
        return { kind: 'concrete', type: SqlTypes.struct(fields) };
      }
      case 'LAMBDA': {
        this.expect('<'); this.expect('(');
        const params: TypePattern[] = [];
        if (!this.eat(')')) {
          do params.push(this.parseType()); while (this.eat(','));
          this.expect(')');
        }
        this.expect('=>');
        const returns = this.parseType();
        this.expect('>');
        return { kind: 'lambda', params, returns };
      }
      default:
        // generics are one upper-case letter, optionally followed by a digit (T, U, K1); anything else is a typo
        if (!/^[A-Z]\d?$/.test(name)) this.fail(`a type name or a generic (T, U, K1, ...) instead of '${name}'`);
        return { kind: 'generic', name };
    }
  }
}

export function hasGenerics(p: TypePattern): boolean {
  switch (p.kind) {
    case 'generic': return true;
    case 'array': return hasGenerics(p.element);
    case 'map': return hasGenerics(p.key) || hasGenerics(p.value);
    case 'lambda': return p.params.some(hasGenerics) || hasGenerics(p.returns);
    default: return false;
  }
}

export function countGenerics(p: TypePattern): number {
  switch (p.kind) {
    case 'generic': return 1;
    case 'array': return countGenerics(p.element);
    case 'map': return countGenerics(p.key) + countGenerics(p.value);
    case 'lambda': return p.params.reduce((n, q) => n + countGenerics(q), 0) + countGenerics(p.returns);
    default: return 0;
  }
}

/** ksqlDB's ParamType.toString, used by "Valid alternatives are:" and DESCRIBE FUNCTION. */
export function formatPattern(p: TypePattern): string {
  switch (p.kind) {
    case 'concrete': return formatParamType(p.type);
    case 'anyDecimal': return 'DECIMAL';
    case 'anyStruct': return 'STRUCT';
    case 'any': return 'ANY';
    case 'timeUnit': return 'INTERVALUNIT';
    case 'generic': return p.name;
    case 'array': return `ARRAY<${formatPattern(p.element)}>`;
    case 'map': return `MAP<${formatPattern(p.key)}, ${formatPattern(p.value)}>`;
    case 'lambda': return `LAMBDA (${p.params.map(formatPattern).join(', ')}) => ${formatPattern(p.returns)}`;
  }
}

function formatParamType(t: SqlType): string {
  switch (t.base) {
    case 'STRING': return 'VARCHAR';
    case 'INTEGER': return 'INT';
    case 'DECIMAL': return 'DECIMAL';
    case 'ARRAY': return `ARRAY<${formatParamType(t.element)}>`;
    case 'MAP': return `MAP<${formatParamType(t.key)}, ${formatParamType(t.value)}>`;
    case 'STRUCT': return `STRUCT<${t.fields.map((f) => `${f.name} ${formatParamType(f.type)}`).join(', ')}>`;
    default: return t.base;
  }
}

// ---------------------------------------------------------------------------------------------
// Implicit casts (ksqlDB SqlBaseType.canImplicitlyCast): numbers widen INTEGER → BIGINT → DECIMAL → DOUBLE.
// STRING never converts implicitly, except string literals to DATE/TIME/TIMESTAMP (greatest.json:
// "test greatest with dates"). DATE → TIMESTAMP is not applied to function arguments: it would make
// GREATEST(date, '2022-06-14') ambiguous, which ksqlDB resolves to the DATE overload.

const NUMBER_RANK: Partial<Record<SqlType['base'], number>> = { INTEGER: 1, BIGINT: 2, DECIMAL: 3, DOUBLE: 4 };

export function canImplicitlyCastBase(from: SqlType['base'], to: SqlType['base']): boolean {
  if (from === to) return true;
  const a = NUMBER_RANK[from];
  const b = NUMBER_RANK[to];
  return a !== undefined && b !== undefined && a <= b;
}

/** The DECIMAL an integral type widens to (ksqlDB DecimalUtil.toSqlDecimal). */
export function decimalFor(t: SqlType): SqlType {
  switch (t.base) {
    case 'INTEGER': return SqlTypes.decimal(10, 0);
    case 'BIGINT': return SqlTypes.decimal(19, 0);
    default: return t;
  }
}

/** Bindings of generic names to types. */
export type Bindings = Map<string, SqlType>;

/**
 * Whether `arg` (a non-null SQL type) fits `pattern`, binding generics into `bindings` (mutated).
 * Casts are only considered for concrete primitive parameters and decimals when `allowCast` is set
 * (generics bind exactly, like ksqlDB's GenericsUtil.reserveGenerics).
 */
export function matchPattern(pattern: TypePattern, arg: SqlType, bindings: Bindings, allowCast: boolean, isStringLiteral = false): boolean {
  switch (pattern.kind) {
    case 'any': return true;
    case 'timeUnit': return false;
    case 'anyStruct': return arg.base === 'STRUCT';
    case 'anyDecimal':
      return arg.base === 'DECIMAL' || (allowCast && (arg.base === 'INTEGER' || arg.base === 'BIGINT'));
    case 'concrete': {
      const t = pattern.type;
      if (t.base === 'DECIMAL' && arg.base === 'DECIMAL') return allowCast || sqlTypeEquals(t, arg);
      if (sqlTypeEquals(t, arg)) return true;
      if (!allowCast) return false;
      if (isStringLiteral && arg.base === 'STRING' && (t.base === 'DATE' || t.base === 'TIME' || t.base === 'TIMESTAMP')) return true;
      const composite = t.base === 'ARRAY' || t.base === 'MAP' || t.base === 'STRUCT';
      if (composite) return false;
      return canImplicitlyCastBase(arg.base, t.base);
    }
    case 'generic': {
      const bound = bindings.get(pattern.name);
      if (bound === undefined) { bindings.set(pattern.name, arg); return true; }
      return sqlTypeEquals(bound, arg);
    }
    case 'array':
      return arg.base === 'ARRAY' && matchPattern(pattern.element, arg.element, bindings, false);
    case 'map':
      return arg.base === 'MAP' && matchPattern(pattern.key, arg.key, bindings, false)
        && matchPattern(pattern.value, arg.value, bindings, false);
    case 'lambda': return false;
  }
}

/** Substitutes bound generics; returns null when a generic is unbound. */
export function substitute(pattern: TypePattern, bindings: ReadonlyMap<string, SqlType>): SqlType | null {
  switch (pattern.kind) {
    case 'concrete': return pattern.type;
    case 'generic': return bindings.get(pattern.name) ?? null;
    case 'array': { const e = substitute(pattern.element, bindings); return e && SqlTypes.array(e); }
    case 'map': {
      const k = substitute(pattern.key, bindings);
      const v = substitute(pattern.value, bindings);
      return k && v && SqlTypes.map(k, v);
    }
    default: return null;
  }
}

/** The type an argument of type `arg` is converted to for parameter `pattern` (after a successful match). */
export function targetType(pattern: TypePattern, arg: SqlType | null, bindings: Bindings): SqlType | null {
  switch (pattern.kind) {
    case 'any':
    case 'anyStruct': return arg;
    case 'timeUnit': return null;
    case 'anyDecimal': return arg === null ? null : decimalFor(arg);
    case 'concrete':
      // a concrete DECIMAL(p, s) parameter receives any decimal unchanged in value; convert to the declared type
      return pattern.type;
    default: return substitute(pattern, bindings) ?? arg;
  }
}

export { formatSqlType };
