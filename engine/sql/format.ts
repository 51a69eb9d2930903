/**
 * Prints expressions and types back to SQL the way ksqlDB's ExpressionFormatter does: binary
 * operators and predicates fully parenthesised, `COUNT(*)`, `S->F`, `ARR[1]`, `MAP(K:=V)`,
 * `CAST(X AS STRING)`, doubles as Java prints them, and identifiers back-quoted only when needed.
 * Used for column names, EXPLAIN and error messages.
 */
import { assertNever, type Expression, type TypeNode } from './ast.js';
import { RESERVED } from './tokens.js';
import { formatJavaDouble } from '../types/java-format.js';

export interface FormatOptions {
  /** Whether a name must be back-quoted; defaults to {@link needsQuotes}. */
  readonly quote?: (name: string) => boolean;
}

/** A name needs quotes when it is not a valid unquoted identifier as stored (upper case) or is reserved. */
export function needsQuotes(name: string): boolean {
  return !/^[A-Z_][A-Z0-9_@]*$/.test(name) || RESERVED.has(name);
}

export function formatIdentifier(name: string, options: FormatOptions = {}): string {
  return (options.quote ?? needsQuotes)(name) ? `\`${name.replace(/`/g, '``')}\`` : name;
}

export function formatStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export { formatJavaDouble };

export function formatType(type: TypeNode): string {
  switch (type.kind) {
    case 'PrimitiveType': return type.name;
    case 'DecimalType': return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ArrayType': return `ARRAY<${formatType(type.element)}>`;
    case 'MapType': return `MAP<${formatType(type.key)}, ${formatType(type.value)}>`;
    case 'StructType':
      return `STRUCT<${type.fields.map((f) => `\`${f.name}\` ${formatType(f.type)}`).join(', ')}>`;
    case 'CustomType': return formatIdentifier(type.name);
    default: return assertNever(type);
  }
}

/**
 * Operands printed without enclosing parentheses that would bind differently as the base of `->`,
 * `[ ]` or `AT TIME ZONE` (ksqlDB prints these ambiguously; Sluice adds parentheses).
 */
function needsParensAsBase(e: Expression): boolean {
  return e.kind === 'ArithmeticUnary' || e.kind === 'AtTimeZone' || e.kind === 'Lambda';
}

export function formatExpression(expr: Expression, options: FormatOptions = {}): string {
  const f = (e: Expression): string => formatExpression(e, options);
  const base = (e: Expression): string => (needsParensAsBase(e) ? `(${f(e)})` : f(e));
  const id = (name: string): string => formatIdentifier(name, options);
  switch (expr.kind) {
    case 'NullLiteral': return 'null';
    case 'BooleanLiteral': return String(expr.value);
    case 'IntegerLiteral': return String(expr.value);
    case 'LongLiteral': return expr.text;
    case 'DoubleLiteral': return formatJavaDouble(expr.value);
    case 'DecimalLiteral': return expr.text;
    case 'StringLiteral': return formatStringLiteral(expr.value);
    case 'ColumnRef': return expr.source !== undefined ? `${id(expr.source)}.${id(expr.name)}` : id(expr.name);
    case 'LambdaVariable': return id(expr.name);
    case 'Dereference': return `${base(expr.base)}->${id(expr.field)}`;
    case 'Subscript': return `${base(expr.base)}[${f(expr.index)}]`;
    case 'FunctionCall':
      if (expr.star) return `${expr.name}(*)`;
      return `${expr.name}(${expr.distinct ? 'DISTINCT ' : ''}${expr.args.map(f).join(', ')})`;
    case 'ArithmeticBinary': return `(${f(expr.left)} ${expr.op} ${f(expr.right)})`;
    case 'ArithmeticUnary': {
      let operand = f(expr.operand);
      // `-(1->F)` must not print as `-1->F`, which reads as (-1)->F.
      const literal = ['IntegerLiteral', 'LongLiteral', 'DecimalLiteral', 'DoubleLiteral'].includes(expr.operand.kind);
      if (!literal && /^[0-9.]/.test(operand)) operand = `(${operand})`;
      // A space keeps `- -1` from printing as a `--` comment.
      return expr.op === '-' ? `-${operand.startsWith('-') ? ' ' : ''}${operand}` : `+${operand}`;
    }
    // ksqlDB turns `a || b` into CONCAT(a, b) when it builds the AST.
    case 'Concat': return `CONCAT(${f(expr.left)}, ${f(expr.right)})`;
    case 'Comparison': return `(${f(expr.left)} ${expr.op} ${f(expr.right)})`;
    case 'LogicalBinary': return `(${f(expr.left)} ${expr.op} ${f(expr.right)})`;
    case 'Not': return `(NOT ${f(expr.operand)})`;
    case 'IsNull': return `(${f(expr.operand)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
    case 'Like': {
      const escape = expr.escape !== undefined ? ` ESCAPE ${formatStringLiteral(expr.escape)}` : '';
      return `(${f(expr.value)}${expr.negated ? ' NOT' : ''} LIKE ${f(expr.pattern)}${escape})`;
    }
    case 'Between': {
      const between = `(${f(expr.value)} BETWEEN ${f(expr.min)} AND ${f(expr.max)})`;
      return expr.negated ? `(NOT ${between})` : between;
    }
    case 'InList': {
      const inList = `(${f(expr.value)} IN (${expr.list.map(f).join(', ')}))`;
      return expr.negated ? `(NOT ${inList})` : inList;
    }
    case 'SearchedCase':
    case 'SimpleCase': {
      const parts = ['CASE'];
      if (expr.kind === 'SimpleCase') parts.push(f(expr.operand));
      for (const w of expr.whens) parts.push(`WHEN ${f(w.when)} THEN ${f(w.then)}`);
      if (expr.else) parts.push('ELSE', f(expr.else));
      parts.push('END');
      return `(${parts.join(' ')})`;
    }
    case 'Cast': return `CAST(${f(expr.expr)} AS ${formatType(expr.type)})`;
    case 'CreateArray': return `ARRAY[${expr.items.map(f).join(', ')}]`;
    case 'CreateMap': return `MAP(${expr.entries.map((e) => `${f(e.key)}:=${f(e.value)}`).join(', ')})`;
    case 'CreateStruct': return `STRUCT(${expr.fields.map((x) => `${id(x.name)}:=${f(x.value)}`).join(', ')})`;
    case 'Lambda': return `(${expr.params.map(id).join(', ')}) => ${f(expr.body)}`;
    case 'IntervalUnit': return expr.unit;
    case 'AtTimeZone': return `${base(expr.expr)} AT TIME ZONE ${formatStringLiteral(expr.zone)}`;
    default: return assertNever(expr);
  }
}
