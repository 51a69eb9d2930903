/**
 * Types expressions against a row schema (ksqlDB's ExpressionTypeManager), resolving column
 * references to row positions and function calls to overloads. Results are memoised per node, so
 * the compiler asks the same typer again without re-resolving anything.
 */
import type * as A from '../sql/ast.js';
import { assertNever } from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import { formatExpression } from '../sql/format.js';
import type { ArgShape, FunctionRegistry, ResolvedFunction } from '../functions/types.js';
import { SqlTypes, formatSqlType, isNumericType, sqlTypeEquals, type SqlType, type StructType } from '../types/sql-type.js';
import { Decimal } from '../types/decimal.js';
import { decimalArithmeticType, decimalLiteralType, toDecimalType } from './decimal-rules.js';
import { commonSuperType } from './type-coercion.js';
import { CoercionException, coerceUserList } from './coercion.js';
import { parseTimestampIso } from '../functions/datetime.js';
import { isCastSupported } from '../functions/cast.js';
import type { RowSchema } from './row-schema.js';
import { resolveTypeNode, type TypeResolver } from './types.js';

export interface ColumnResolution {
  readonly index: number;
  readonly type: SqlType;
}

export class ColumnResolutionError extends KsqlException {}

export interface TyperOptions {
  readonly functions: FunctionRegistry;
  readonly customTypes?: TypeResolver;
  /** Resolves a column that is not in the row (e.g. an aggregate already computed); undefined = not found. */
  readonly fallback?: (expr: A.Expression) => ColumnResolution | undefined;
  /** Word used in "<CLAUSE> column 'X' cannot be resolved." */
  readonly clause?: string;
}

export class ExpressionTyper {
  private readonly types = new WeakMap<A.Expression, SqlType | null>();
  private readonly columns = new WeakMap<A.Expression, ColumnResolution>();
  private readonly calls = new WeakMap<A.FunctionCall, ResolvedFunction>();
  /** Common type of IN lists, BETWEEN operands and CASE results (CoercionUtil), by node. */
  private readonly listTypes = new WeakMap<A.Expression, SqlType | null>();
  /** String literals compared with ROWTIME / WINDOWSTART / WINDOWEND, as epoch millis. */
  private readonly magic = new WeakMap<A.Expression, number>();
  /** Lambda parameter types in scope, innermost last. */
  private readonly lambdaScopes: Map<string, SqlType>[] = [];

  constructor(readonly schema: RowSchema, readonly options: TyperOptions) {}

  /** The SQL type of `expr`, or null for an untyped NULL. Throws KsqlException on type errors. */
  typeOf(expr: A.Expression): SqlType | null {
    if (this.types.has(expr)) return this.types.get(expr)!;
    const t = this.compute(expr);
    // Lambda bodies are typed once per parameter binding; don't memoise inside lambdas.
    if (this.lambdaScopes.length === 0) this.types.set(expr, t);
    return t;
  }

  column(expr: A.Expression): ColumnResolution | undefined {
    return this.columns.get(expr);
  }

  /** The type every item of an IN list / BETWEEN / CASE result list is converted to (after typeOf). */
  commonType(expr: A.Expression): SqlType | null {
    return this.listTypes.get(expr) ?? null;
  }

  /** For a string literal standing for a timestamp compared with ROWTIME/WINDOWSTART/WINDOWEND: its epoch millis. */
  magicTimestamp(expr: A.Expression): number | undefined {
    return this.magic.get(expr);
  }

  resolvedCall(expr: A.FunctionCall): ResolvedFunction {
    const r = this.calls.get(expr);
    if (!r) throw new Error(`function call not typed: ${expr.name}`);
    return r;
  }

  /** Runs `fn` with lambda parameters bound to types (the compiler re-types lambda bodies this way). */
  withLambdaScope<T>(params: readonly string[], types: readonly SqlType[], fn: () => T): T {
    this.lambdaScopes.push(new Map(params.map((p, i) => [p, types[i]!])));
    try {
      return fn();
    } finally {
      this.lambdaScopes.pop();
    }
  }

  lambdaParamType(name: string): SqlType {
    for (let i = this.lambdaScopes.length - 1; i >= 0; i--) {
      const t = this.lambdaScopes[i]!.get(name);
      if (t) return t;
    }
    throw new KsqlException(`Unknown lambda variable: ${name}`);
  }

  private compute(e: A.Expression): SqlType | null {
    switch (e.kind) {
      case 'NullLiteral': return null;
      case 'BooleanLiteral': return SqlTypes.BOOLEAN;
      case 'IntegerLiteral': return SqlTypes.INTEGER;
      case 'LongLiteral': return SqlTypes.BIGINT;
      case 'DoubleLiteral': return SqlTypes.DOUBLE;
      case 'DecimalLiteral': {
        const d = Decimal.parse(e.text);
        return decimalLiteralType(d.precision(), d.scale);
      }
      case 'StringLiteral': return SqlTypes.STRING;
      case 'ColumnRef': return this.resolveColumn(e);
      case 'LambdaVariable': return this.lambdaParamType(e.name);
      case 'Dereference': return this.dereference(e);
      case 'Subscript': return this.subscript(e);
      case 'FunctionCall': return this.functionCall(e);
      case 'ArithmeticBinary': return this.arithmetic(e);
      case 'ArithmeticUnary': {
        const t = this.typeOf(e.operand);
        if (t !== null && !isNumericType(t)) throw new KsqlException(`Error processing expression: ${formatExpression(e)}. Unsupported arithmetic type: ${formatSqlType(t)}`);
        return t;
      }
      case 'Concat': {
        this.typeOf(e.left);
        this.typeOf(e.right);
        return SqlTypes.STRING;
      }
      case 'Comparison': this.comparison(e); return SqlTypes.BOOLEAN;
      case 'LogicalBinary':
        this.expectBoolean(e.left);
        this.expectBoolean(e.right);
        return SqlTypes.BOOLEAN;
      case 'Not': this.expectBoolean(e.operand); return SqlTypes.BOOLEAN;
      case 'IsNull': this.typeOf(e.operand); return SqlTypes.BOOLEAN;
      case 'Like': this.typeOf(e.value); this.typeOf(e.pattern); return SqlTypes.BOOLEAN;
      case 'Between': {
        this.magicTimestamps(e.value, [e.min, e.max]);
        const items = [e.value, e.min, e.max].map((x) => ({ expr: x, type: this.typeOf(x) }));
        let common: SqlType | null;
        try {
          common = coerceUserList(items, (x) => this.typeOf(x));
        } catch (err) {
          if (err instanceof CoercionException) throw new KsqlException(`Invalid Between expression: ${formatExpression(e)}. ${err.message}`);
          throw err;
        }
        if (common !== null && (common.base === 'ARRAY' || common.base === 'MAP' || common.base === 'STRUCT' || common.base === 'BOOLEAN')) {
          throw new KsqlException(`Invalid Between expression: ${formatExpression(e)}. ${formatSqlType(common)} values cannot be ordered.`);
        }
        this.listTypes.set(e, common);
        return SqlTypes.BOOLEAN;
      }
      case 'InList': this.inList(e); return SqlTypes.BOOLEAN;
      case 'SearchedCase': return this.caseType(e.whens, e.else, e);
      case 'SimpleCase': {
        const operandType = this.typeOf(e.operand);
        for (const w of e.whens) commonSuperType([operandType, this.typeOf(w.when)], () => `Invalid Case expression: ${formatExpression(e)}`);
        return this.caseResults(e.whens, e.else);
      }
      case 'Cast': {
        const from = this.typeOf(e.expr);
        const to = resolveTypeNode(e.type, this.options.customTypes);
        if (from !== null && !isCastSupported(from, to)) {
          const prefix = this.options.clause === 'SELECT' ? 'Invalid Select: ' : '';
          throw new KsqlException(`${prefix}Cast of ${formatSqlType(from)} to ${formatSqlType(to)} is not supported`);
        }
        return to;
      }
      case 'CreateArray': return this.createArray(e);
      case 'CreateMap': return this.createMap(e);
      case 'CreateStruct':
        return SqlTypes.struct(e.fields.map((f) => ({ name: f.name, type: this.typeOf(f.value) ?? SqlTypes.STRING })));
      case 'Lambda': throw new KsqlException(`Lambda expressions are only supported as function arguments: ${formatExpression(e)}`);
      case 'IntervalUnit': throw new KsqlException(`Unexpected time unit ${e.unit}`);
      case 'AtTimeZone': this.typeOf(e.expr); return SqlTypes.STRING;
      default: return assertNever(e);
    }
  }

  private resolveColumn(e: A.ColumnRef): SqlType {
    const cols = this.schema.columns;
    let found = -1;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      if (c.name !== e.name) continue;
      if (e.source !== undefined && c.source !== e.source) continue;
      if (found >= 0 && e.source === undefined) {
        const a = cols[found]!;
        throw new KsqlException(
          `${lineCol(e)}Column '${e.name}' is ambiguous. Could be ${a.source}.${e.name} or ${c.source}.${e.name}.`,
        );
      }
      if (found < 0) found = i;
    }
    if (found < 0) {
      const fb = this.options.fallback?.(e);
      if (fb) {
        this.columns.set(e, fb);
        return fb.type;
      }
      const name = e.source !== undefined ? `${e.source}.${e.name}` : e.name;
      throw new ColumnResolutionError(`${this.options.clause ?? 'SELECT'} column '${name}' cannot be resolved.`);
    }
    const col = cols[found]!;
    this.columns.set(e, { index: found, type: col.type });
    return col.type;
  }

  private dereference(e: A.Dereference): SqlType {
    const t = this.typeOf(e.base);
    if (t === null || t.base !== 'STRUCT') {
      throw new KsqlException(`Expected STRUCT type, got: ${t === null ? 'null' : formatSqlType(t)} in ${formatExpression(e)}`);
    }
    const field = (t as StructType).fields.find((f) => f.name === e.field);
    if (!field) throw new KsqlException(`Could not find field '${e.field}' in '${formatExpression(e.base)}'.`);
    return field.type;
  }

  private subscript(e: A.Subscript): SqlType {
    const t = this.typeOf(e.base);
    this.typeOf(e.index);
    if (t === null) return null as unknown as SqlType;
    if (t.base === 'ARRAY') return t.element;
    if (t.base === 'MAP') return t.value;
    throw new KsqlException(`Subscript expression (${formatExpression(e)}) do not apply to ${formatSqlType(t)}.`);
  }

  private functionCall(e: A.FunctionCall): SqlType {
    const fn = this.options.functions.scalar(e.name);
    if (!fn) {
      if (this.options.functions.aggregate(e.name) || this.options.functions.table(e.name)) {
        // Aggregates and table functions are replaced by columns before typing; reaching here is a misuse.
        const fb = this.options.fallback?.(e);
        if (fb) { this.columns.set(e, fb); return fb.type; }
        throw new KsqlException(`Function '${e.name}' is not a scalar function and can not be used here: ${formatExpression(e)}`);
      }
      throw new KsqlException(`Can't find any functions with the name '${e.name}'`);
    }
    const shapes: ArgShape[] = e.args.map((arg): ArgShape => {
      if (arg.kind === 'Lambda') {
        return {
          kind: 'lambda',
          arity: arg.params.length,
          typeBody: (paramTypes) => {
            this.lambdaScopes.push(new Map(arg.params.map((p, i) => [p, paramTypes[i]!])));
            try {
              const bt = this.typeOf(arg.body);
              return bt ?? SqlTypes.STRING;
            } finally {
              this.lambdaScopes.pop();
            }
          },
        };
      }
      if (arg.kind === 'IntervalUnit') return { kind: 'timeUnit', unit: arg.unit };
      return { kind: 'value', type: this.typeOf(arg), literal: literalValue(arg) };
    });
    const resolved = fn.resolve(shapes);
    this.calls.set(e, resolved);
    return resolved.returnType;
  }

  private arithmetic(e: A.ArithmeticBinary): SqlType | null {
    const l = this.typeOf(e.left);
    const r = this.typeOf(e.right);
    if (l === null || r === null) return l ?? r;
    if (l.base === 'STRING' && r.base === 'STRING' && e.op === '+') return SqlTypes.STRING;
    const unsupported = () =>
      new KsqlException(`Error processing expression: ${formatExpression(e)}. Unsupported arithmetic types. ${formatSqlType(l)} ${formatSqlType(r)}`);
    if (!isNumericType(l) || !isNumericType(r)) throw unsupported();
    if (l.base === 'DOUBLE' || r.base === 'DOUBLE') return SqlTypes.DOUBLE;
    if (l.base === 'DECIMAL' || r.base === 'DECIMAL') return decimalArithmeticType(e.op, toDecimalType(l)!, toDecimalType(r)!);
    if (l.base === 'BIGINT' || r.base === 'BIGINT') return SqlTypes.BIGINT;
    return SqlTypes.INTEGER;
  }

  /** ksqlDB's StatementRewriteForMagicPseudoTimestamp: `ROWTIME > '2020-01-01'` compares with epoch millis. */
  private magicTimestamps(column: A.Expression, others: readonly A.Expression[]): void {
    if (column.kind !== 'ColumnRef' || !MAGIC_COLUMNS.has(column.name)) return;
    const t = this.typeOf(column);
    if (t === null || t.base !== 'BIGINT') return;
    for (const o of others) {
      if (o.kind !== 'StringLiteral' || this.magic.has(o)) continue;
      this.magic.set(o, parseTimestampIso(o.value));
      this.types.set(o, SqlTypes.BIGINT);
    }
  }

  private comparison(e: A.Comparison): void {
    this.magicTimestamps(e.left, [e.right]);
    this.magicTimestamps(e.right, [e.left]);
    const l = this.typeOf(e.left);
    const r = this.typeOf(e.right);
    if (l === null && r === null) {
      const side = (x: A.Expression) => (x.kind === 'NullLiteral' ? 'NULL' : formatExpression(x));
      throw new KsqlException(`Comparison with NULL not supported: ${side(e.left)} ${e.op} ${side(e.right)}`);
    }
    if (l === null || r === null) return;
    if (!comparable(l, r, e.op)) {
      throw new KsqlException(
        `Cannot compare ${formatExpression(e.left)} (${formatSqlType(l)}) to ${formatExpression(e.right)} (${formatSqlType(r)}) with ${opName(e.op)}.`,
      );
    }
  }

  private expectBoolean(x: A.Expression): void {
    const t = this.typeOf(x);
    if (t !== null && t.base !== 'BOOLEAN') {
      throw new KsqlException(`Logical expression requires BOOLEAN operands: ${formatExpression(x)} (${formatSqlType(t)})`);
    }
  }

  private inList(e: A.InList): void {
    const items = [e.value, ...e.list].map((x) => ({ expr: x, type: this.typeOf(x) }));
    try {
      this.listTypes.set(e, coerceUserList(items, (x) => this.typeOf(x)));
    } catch (err) {
      if (err instanceof KsqlException) throw new KsqlException(`Invalid Predicate: ${err.message}`, { cause: err });
      throw err;
    }
  }

  private caseType(whens: readonly A.WhenClause[], elseExpr: A.Expression | undefined, e: A.Expression): SqlType | null {
    for (const w of whens) {
      const t = this.typeOf(w.when);
      if (t !== null && t.base !== 'BOOLEAN') {
        throw new KsqlException(`WHEN operand type should be boolean. Type for '${formatExpression(w.when)}' is ${formatSqlType(t)}`);
      }
    }
    void e;
    return this.caseResults(whens, elseExpr);
  }

  private caseResults(whens: readonly A.WhenClause[], elseExpr: A.Expression | undefined): SqlType | null {
    const exprs = whens.map((w) => w.then);
    if (elseExpr) exprs.push(elseExpr);
    let t: SqlType | null;
    try {
      t = coerceUserList(exprs.map((x) => ({ expr: x, type: this.typeOf(x) })), (x) => this.typeOf(x));
    } catch (err) {
      if (err instanceof CoercionException) {
        throw new KsqlException(`Invalid Case expression. Type for all 'THEN' clauses should be the same. ${err.message}`);
      }
      throw err;
    }
    if (t === null) throw new KsqlException('Invalid Case expression. All case branches have NULL type');
    return t;
  }

  private createArray(e: A.CreateArray): SqlType {
    if (e.items.length === 0) {
      throw new KsqlException('Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).');
    }
    const t = coerceUserList(e.items.map((i) => ({ expr: i, type: this.typeOf(i) })), (x) => this.typeOf(x));
    if (t === null) {
      throw new KsqlException('Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.');
    }
    return SqlTypes.array(t);
  }

  private createMap(e: A.CreateMap): SqlType {
    const kt = coerceUserList(e.entries.map((x) => ({ expr: x.key, type: this.typeOf(x.key) })), (x) => this.typeOf(x));
    const vt = coerceUserList(e.entries.map((x) => ({ expr: x.value, type: this.typeOf(x.value) })), (x) => this.typeOf(x));
    if (kt === null) throw new KsqlException('Cannot construct a map with all NULL keys (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL key to the desired type.');
    if (vt === null) throw new KsqlException('Cannot construct a map with all NULL values (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.');
    return SqlTypes.map(kt, vt);
  }
}

const MAGIC_COLUMNS = new Set(['ROWTIME', 'WINDOWSTART', 'WINDOWEND']);

function comparable(l: SqlType, r: SqlType, op: A.ComparisonOp): boolean {
  if (isNumericType(l) && isNumericType(r)) return true;
  const eqOnly = op === '=' || op === '<>' || op === 'IS DISTINCT FROM' || op === 'IS NOT DISTINCT FROM';
  const temporal = (t: SqlType) => t.base === 'TIMESTAMP' || t.base === 'DATE' || t.base === 'TIME';
  if (temporal(l) && r.base === 'STRING') return true;
  if (temporal(r) && l.base === 'STRING') return true;
  if ((l.base === 'TIMESTAMP' || l.base === 'DATE') && (r.base === 'TIMESTAMP' || r.base === 'DATE')) return true;
  if (l.base !== r.base) return false;
  if (l.base === 'ARRAY' || l.base === 'MAP' || l.base === 'STRUCT') return eqOnly && sqlTypeEquals(l, r);
  return true;
}

function opName(op: A.ComparisonOp): string {
  switch (op) {
    case '=': return 'EQUAL';
    case '<>': return 'NOT_EQUAL';
    case '<': return 'LESS_THAN';
    case '<=': return 'LESS_THAN_OR_EQUAL';
    case '>': return 'GREATER_THAN';
    case '>=': return 'GREATER_THAN_OR_EQUAL';
    case 'IS DISTINCT FROM': return 'IS_DISTINCT_FROM';
    case 'IS NOT DISTINCT FROM': return 'IS_NOT_DISTINCT_FROM';
  }
}

function lineCol(e: A.Expression): string {
  return `Line: ${e.span.line}, Col: ${e.span.column}: `;
}

/** The value of a literal argument (for functions that need constants), or undefined. */
export function literalValue(e: A.Expression): unknown {
  switch (e.kind) {
    case 'NullLiteral': return null;
    case 'BooleanLiteral': return e.value;
    case 'IntegerLiteral': return e.value;
    case 'LongLiteral': { const v = BigInt(e.text); return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v; }
    case 'DoubleLiteral': return e.value;
    case 'DecimalLiteral': return Decimal.parse(e.text);
    case 'StringLiteral': return e.value;
    case 'ArithmeticUnary': {
      const v = literalValue(e.operand);
      if (e.op === '+') return v;
      if (typeof v === 'number') return -v;
      if (typeof v === 'bigint') return -v;
      if (v instanceof Decimal) return v.negate();
      return undefined;
    }
    default: return undefined;
  }
}
