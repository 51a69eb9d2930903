/**
 * Compiles typed expressions into plain JS functions over row arrays (DESIGN.md, "Compiled
 * expressions"). Each query compiles its expressions once; the generated code has no closures per
 * record and uses temporaries for SQL null propagation, so V8 can optimise it like hand-written code.
 *
 * Generated functions have the shape `(row) => value`. Everything the code needs beyond the row
 * (resolved functions, decimal literals, regexes, types for casts) lives in the constants array `K`;
 * shared helpers are in `H` (./helpers.ts).
 */
import type * as A from '../../sql/ast.js';
import { assertNever } from '../../sql/ast.js';
import { KsqlException } from '../../errors/index.js';
import type { ExpressionTyper } from '../../analyzer/expression-typer.js';
import { literalValue } from '../../analyzer/expression-typer.js';
import type { LambdaSignature } from '../../functions/types.js';
import { SqlTypes, sqlTypeEquals, type SqlType } from '../../types/sql-type.js';
import { Decimal } from '../../types/decimal.js';
import { H } from './helpers.js';
import { coerceStringLiteral } from '../../analyzer/coercion.js';
import { castValue } from '../../functions/cast.js';
import { formatExpression } from '../../sql/format.js';
import { arithmeticCode, comparisonCode } from './operators.js';

export type CompiledExpression = (row: unknown[]) => unknown;

/** Called when evaluating an expression throws: ksqlDB logs to the processing log and uses null. */
export type ExpressionErrorHandler = (error: unknown, expressionText: string) => void;

export class ExpressionCompiler {
  private readonly constants: unknown[] = [];
  private temps = 0;
  private lambdaIds = 0;
  private readonly lambdaNames: Map<string, string>[] = [];
  private onError: ExpressionErrorHandler | undefined;

  constructor(private readonly typer: ExpressionTyper) {}

  /**
   * Compiles `expr`; when `onError` is given the function catches evaluation errors, reports them
   * and returns null. `targetType` inserts an implicit cast of the result.
   */
  compile(expr: A.Expression, options: { onError?: ExpressionErrorHandler; text?: string; targetType?: SqlType; coerceTo?: SqlType } = {}): CompiledExpression {
    this.typer.typeOf(expr);
    this.onError = options.onError;
    let body = options.coerceTo ? this.coerceItem(expr, options.coerceTo) : this.gen(expr);
    if (options.targetType) body = this.coerce(body, this.typer.typeOf(expr), options.targetType);
    const temps = Array.from({ length: this.temps }, (_, i) => `t${i}`);
    const decl = temps.length ? `let ${temps.join(', ')};` : '';
    const src = options.onError
      ? `return function compiled(row) { ${decl} try { return ${body}; } catch (e) { onError(e, text); return null; } };`
      : `return function compiled(row) { ${decl} return ${body}; };`;
    const factory = new Function('H', 'K', 'onError', 'text', src) as (
      h: typeof H, k: unknown[], onError: ExpressionErrorHandler | undefined, text: string,
    ) => CompiledExpression;
    return factory(H, this.constants, options.onError, options.text ?? '');
  }

  private konst(v: unknown): string {
    this.constants.push(v);
    return `K[${this.constants.length - 1}]`;
  }

  private temp(): string {
    return `t${this.temps++}`;
  }

  /** Code that evaluates `expr` to its value (null for SQL NULL). */
  gen(e: A.Expression): string {
    switch (e.kind) {
      case 'NullLiteral': return 'null';
      case 'BooleanLiteral': return String(e.value);
      case 'IntegerLiteral': return String(e.value);
      case 'DoubleLiteral': return Number.isFinite(e.value) ? `(${String(e.value)})` : this.konst(e.value);
      case 'LongLiteral':
      case 'DecimalLiteral': return this.konst(literalValue(e));
      case 'StringLiteral': {
        const magic = this.typer.magicTimestamp(e);
        return magic !== undefined ? `(${magic})` : JSON.stringify(e.value);
      }
      case 'ColumnRef': {
        const c = this.typer.column(e);
        if (!c) throw new KsqlException(`column not resolved: ${e.name}`);
        return `row[${c.index}]`;
      }
      case 'LambdaVariable': return this.lambdaVar(e.name);
      case 'Dereference': {
        const t = this.temp();
        return `((${t} = ${this.gen(e.base)}) === null ? null : (${t}[${JSON.stringify(e.field)}] ?? null))`;
      }
      case 'Subscript': return this.subscript(e);
      case 'FunctionCall': return this.call(e);
      case 'ArithmeticBinary': return this.binary(e);
      case 'ArithmeticUnary': {
        const t = this.typer.typeOf(e) ?? SqlTypes.INTEGER;
        if (e.op === '+') return this.gen(e.operand);
        const v = this.temp();
        return `((${v} = ${this.gen(e.operand)}) === null ? null : H.negate(${v}, ${this.konst(t)}))`;
      }
      case 'Concat': {
        const a = this.temp(), b = this.temp();
        const str = this.konst(SqlTypes.STRING);
        const lt = this.konst(this.typer.typeOf(e.left)), rt = this.konst(this.typer.typeOf(e.right));
        const asString = (v: string, t: SqlType | null, k: string) => (t === null || t.base === 'STRING' ? v : `H.cast(${v}, ${k}, ${str})`);
        return `((${a} = ${this.gen(e.left)}) === null || (${b} = ${this.gen(e.right)}) === null ? null : ${asString(a, this.typer.typeOf(e.left), lt)} + ${asString(b, this.typer.typeOf(e.right), rt)})`;
      }
      case 'Comparison': return this.comparison(e);
      case 'LogicalBinary': {
        const fn = e.op === 'AND' ? 'H.and' : 'H.or';
        return `${fn}(${this.gen(e.left)}, ${this.gen(e.right)})`;
      }
      case 'Not': {
        const v = this.temp();
        return `((${v} = ${this.gen(e.operand)}) === null ? null : !${v})`;
      }
      case 'IsNull': return `((${this.gen(e.operand)}) ${e.negated ? '!==' : '==='} null)`;
      case 'Like': {
        const pattern = e.pattern.kind === 'StringLiteral' ? this.konst(H.likeRegex(e.pattern.value, e.escape)) : undefined;
        const v = this.temp();
        const test = pattern
          ? `${pattern}.test(${v})`
          : `H.likeRegex(${this.gen(e.pattern)} ?? '', ${JSON.stringify(e.escape ?? null)}).test(${v})`;
        return `((${v} = ${this.gen(e.value)}) === null ? null : ${e.negated ? '!' : ''}${test})`;
      }
      case 'Between': return this.between(e);
      case 'InList': return this.inList(e);
      case 'SearchedCase': {
        const type = this.typer.typeOf(e)!;
        let code = e.else ? this.coerceItem(e.else, type) : 'null';
        for (let i = e.whens.length - 1; i >= 0; i--) {
          const w = e.whens[i]!;
          code = `((${this.gen(w.when)}) === true ? ${this.coerceItem(w.then, type)} : ${code})`;
        }
        return code;
      }
      case 'SimpleCase': {
        const type = this.typer.typeOf(e)!;
        const op = this.temp();
        let code = e.else ? this.coerceItem(e.else, type) : 'null';
        for (let i = e.whens.length - 1; i >= 0; i--) {
          const w = e.whens[i]!;
          code = `(H.sqlEquals(${op}, ${this.gen(w.when)}) === true ? ${this.coerceItem(w.then, type)} : ${code})`;
        }
        return `((${op} = ${this.gen(e.operand)}), ${code})`;
      }
      case 'Cast': {
        const from = this.typer.typeOf(e.expr);
        const to = this.typer.typeOf(e)!;
        const v = this.temp();
        if (from !== null && sqlTypeEquals(from, to)) return this.gen(e.expr);
        return `((${v} = ${this.gen(e.expr)}) === null ? null : H.cast(${v}, ${this.konst(from)}, ${this.konst(to)}))`;
      }
      case 'CreateArray': return this.coerceItem(e, this.typer.typeOf(e)!);
      case 'CreateMap': return this.coerceItem(e, this.typer.typeOf(e)!);
      case 'CreateStruct': return this.coerceItem(e, this.typer.typeOf(e)!);
      case 'Lambda': throw new KsqlException('Lambda expressions are only supported as function arguments');
      case 'IntervalUnit': return JSON.stringify(e.unit);
      case 'AtTimeZone': throw new KsqlException('AT TIME ZONE is not supported');
      default: return assertNever(e);
    }
  }

  /**
   * Code for `e` converted to `to`, the common type of the list it belongs to (CoercionUtil): string
   * literals are parsed once here, other literals become strings, constructors are built directly
   * in the target type, anything else is cast at run time.
   */
  coerceItem(e: A.Expression, to: SqlType): string {
    const from = this.typer.typeOf(e);
    switch (e.kind) {
      case 'CreateArray': {
        if (to.base !== 'ARRAY') break;
        return `[${e.items.map((i) => this.element(i, to.element)).join(', ')}]`;
      }
      case 'CreateMap': {
        if (to.base !== 'MAP') break;
        return `new Map([${e.entries.map((x) => `[${this.element(x.key, to.key)}, ${this.element(x.value, to.value)}]`).join(', ')}])`;
      }
      case 'CreateStruct': {
        if (to.base !== 'STRUCT') break;
        const fields = to.fields.map((f) => {
          const lit = e.fields.find((x) => x.name === f.name);
          return `${JSON.stringify(f.name)}: ${lit ? this.element(lit.value, f.type) : 'null'}`;
        });
        return `({${fields.join(', ')}})`;
      }
      case 'StringLiteral':
        if (to.base !== 'STRING' && this.typer.magicTimestamp(e) === undefined) return this.konst(coerceStringLiteral(e.value, to));
        break;
      default:
        if (to.base === 'STRING' && from !== null && from.base !== 'STRING' && isConstantLiteral(e)) {
          return JSON.stringify(castValue(literalValue(e), from, to));
        }
    }
    return this.coerce(this.gen(e), from, to);
  }

  /**
   * An element of an ARRAY / MAP / STRUCT constructor. ksqlDB evaluates each element on its own: one
   * that fails is logged and becomes NULL while the rest of the constructor survives. Outside lambdas
   * a failing-capable element is compiled as its own function (a call, no per-record closure).
   */
  private element(e: A.Expression, to: SqlType): string {
    if (this.onError === undefined || this.lambdaNames.length > 0 || cannotThrow(e)) return this.coerceItem(e, to);
    const fn = new ExpressionCompiler(this.typer).compile(e, { onError: this.onError, text: formatExpression(e), coerceTo: to });
    return `${this.konst(fn)}(row)`;
  }

  /** Wraps `code` (of type `from`) in an implicit cast to `to` when the types differ. */
  coerce(code: string, from: SqlType | null, to: SqlType): string {
    if (from === null || sqlTypeEquals(from, to)) return code;
    const v = this.temp();
    return `((${v} = ${code}) === null ? null : H.cast(${v}, ${this.konst(from)}, ${this.konst(to)}))`;
  }

  private lambdaVar(name: string): string {
    for (let i = this.lambdaNames.length - 1; i >= 0; i--) {
      const js = this.lambdaNames[i]!.get(name);
      if (js) return js;
    }
    throw new KsqlException(`Unknown lambda variable: ${name}`);
  }

  private subscript(e: A.Subscript): string {
    const baseType = this.typer.typeOf(e.base);
    const b = this.temp(), i = this.temp();
    const fn = baseType?.base === 'MAP' ? 'H.mapGet' : 'H.arrayGet';
    let index = this.gen(e.index);
    if (baseType?.base === 'MAP') index = this.coerce(index, this.typer.typeOf(e.index), baseType.key);
    return `((${b} = ${this.gen(e.base)}) === null || (${i} = ${index}) === null ? null : ${fn}(${b}, ${i}))`;
  }

  private call(e: A.FunctionCall): string {
    this.typer.typeOf(e);
    const resolved = this.typer.resolvedCall(e);
    const fn = this.konst(resolved.invoke);
    const args = e.args.map((arg, idx) => {
      const target = resolved.argTypes[idx];
      if (arg.kind === 'Lambda') return this.lambda(arg, target as LambdaSignature);
      if (arg.kind === 'IntervalUnit') return JSON.stringify(arg.unit);
      const code = this.gen(arg);
      return target && typeof target === 'object' && 'base' in target ? this.coerce(code, this.typer.typeOf(arg), target) : code;
    });
    return `${fn}(${args.join(', ')})`;
  }

  private lambda(arg: A.Lambda, sig: LambdaSignature): string {
    const names = new Map<string, string>();
    const params = arg.params.map((p) => {
      const js = `L${this.lambdaIds++}`;
      names.set(p, js);
      return js;
    });
    this.lambdaNames.push(names);
    try {
      const body = this.typer.withLambdaScope(arg.params, sig.paramTypes, () =>
        this.coerce(this.gen(arg.body), this.typer.typeOf(arg.body), sig.returnType));
      return `((${params.join(', ')}) => ${body})`;
    } finally {
      this.lambdaNames.pop();
    }
  }

  private binary(e: A.ArithmeticBinary): string {
    const type = this.typer.typeOf(e);
    const lt = this.typer.typeOf(e.left), rt = this.typer.typeOf(e.right);
    if (type === null || lt === null || rt === null) return 'null';
    const a = this.temp(), b = this.temp();
    const op = arithmeticCode(e.op, type, lt, rt, a, b, (v) => this.konst(v));
    return `((${a} = ${this.gen(e.left)}) === null || (${b} = ${this.gen(e.right)}) === null ? null : ${op})`;
  }

  private comparison(e: A.Comparison): string {
    const lt = this.typer.typeOf(e.left), rt = this.typer.typeOf(e.right);
    const a = this.temp(), b = this.temp();
    const code = comparisonCode(e.op, lt, rt, a, b, (v) => this.konst(v));
    if (e.op === 'IS DISTINCT FROM' || e.op === 'IS NOT DISTINCT FROM') {
      return `((${a} = ${this.gen(e.left)}), (${b} = ${this.gen(e.right)}), ${code})`;
    }
    return `((${a} = ${this.operand(e.left, rt)}) === null || (${b} = ${this.operand(e.right, lt)}) === null ? false : ${code})`;
  }

  /** A comparison operand; a DECIMAL literal compared with a DOUBLE is folded to a double constant. */
  private operand(e: A.Expression, other: SqlType | null): string {
    if (e.kind === 'DecimalLiteral' && other?.base === 'DOUBLE') return `(${Number(e.text)})`;
    return this.gen(e);
  }

  private between(e: A.Between): string {
    this.typer.typeOf(e);
    const common = this.typer.commonType(e);
    if (common === null) return 'null';
    const v = this.temp(), lo = this.temp(), hi = this.temp();
    const ge = comparisonCode('>=', common, common, v, lo, (x) => this.konst(x));
    const le = comparisonCode('<=', common, common, v, hi, (x) => this.konst(x));
    const test = `(${ge} && ${le})`;
    return `((${v} = ${this.coerceItem(e.value, common)}) === null || (${lo} = ${this.coerceItem(e.min, common)}) === null `
      + `|| (${hi} = ${this.coerceItem(e.max, common)}) === null ? false : ${e.negated ? '!' : ''}${test})`;
  }

  /** `v IN (a, b, ...)` over the list's common type; NULLs never match (ksqlDB's InListEvaluator). */
  private inList(e: A.InList): string {
    this.typer.typeOf(e);
    const common = this.typer.commonType(e);
    if (common === null) return 'false';
    const v = this.temp();
    const tests = e.list.map((item) => {
      const x = this.temp();
      return `((${x} = ${this.coerceItem(item, common)}) !== null && ${comparisonCode('=', common, common, v, x, (k) => this.konst(k))})`;
    });
    const any = tests.length ? tests.join(' || ') : 'false';
    return `((${v} = ${this.coerceItem(e.value, common)}) === null ? false : ${e.negated ? '!' : ''}(${any}))`;
  }
}

export { Decimal };

function cannotThrow(e: A.Expression): boolean {
  switch (e.kind) {
    case 'NullLiteral': case 'BooleanLiteral': case 'IntegerLiteral': case 'LongLiteral': case 'DoubleLiteral':
    case 'DecimalLiteral': case 'StringLiteral': case 'ColumnRef': case 'LambdaVariable':
      return true;
    default: return false;
  }
}

function isConstantLiteral(e: A.Expression): boolean {
  switch (e.kind) {
    case 'IntegerLiteral': case 'LongLiteral': case 'DoubleLiteral': case 'DecimalLiteral': case 'BooleanLiteral': return true;
    case 'ArithmeticUnary': return isConstantLiteral(e.operand);
    default: return false;
  }
}
