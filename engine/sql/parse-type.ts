/**
 * The `type` rule: primitives (with their aliases INT and VARCHAR), DECIMAL(p, s), ARRAY<T>,
 * MAP<K, V>, STRUCT<name T, ...>, the legacy postfix `T ARRAY`, and custom type names.
 */
import type { PrimitiveTypeName, StructTypeField, TypeNode } from './ast.js';
import type { Cursor } from './cursor.js';
import { identifier, identifierText } from './parse-common.js';
import type { Token } from './tokens.js';

const PRIMITIVES: Readonly<Record<string, PrimitiveTypeName>> = {
  BOOLEAN: 'BOOLEAN', INT: 'INTEGER', INTEGER: 'INTEGER', BIGINT: 'BIGINT', DOUBLE: 'DOUBLE',
  VARCHAR: 'STRING', STRING: 'STRING', BYTES: 'BYTES', TIMESTAMP: 'TIMESTAMP', DATE: 'DATE', TIME: 'TIME',
};

export function parseTypeNode(c: Cursor): TypeNode {
  return c.nested(() => typeNode(c));
}

function typeNode(c: Cursor): TypeNode {
  const first = c.peek();
  let type: TypeNode;
  if (c.isKw('ARRAY') && c.isOp('<', 1)) {
    c.next();
    c.next();
    const element = parseTypeNode(c);
    c.expectOp('>');
    type = { kind: 'ArrayType', element, span: c.spanFrom(first) };
  } else if (c.isKw('MAP') && c.isOp('<', 1)) {
    c.next();
    c.next();
    const key = parseTypeNode(c);
    c.expectOp(',');
    const value = parseTypeNode(c);
    c.expectOp('>');
    type = { kind: 'MapType', key, value, span: c.spanFrom(first) };
  } else if (c.isKw('STRUCT') && (c.isOp('<', 1) || c.isOp('<>', 1))) {
    type = structType(c, first);
  } else if (c.isIdentifier()) {
    type = baseType(c, c.next());
  } else {
    return c.noViableAlternative();
  }
  // The grammar's legacy `type ARRAY` (e.g. `INT ARRAY`).
  while (c.isKw('ARRAY') && !c.isOp('<', 1) && !c.isOp('[', 1)) {
    c.next();
    type = { kind: 'ArrayType', element: type, span: c.spanFrom(first) };
  }
  return type;
}

function structType(c: Cursor, first: Token): TypeNode {
  c.next();
  const fields: StructTypeField[] = [];
  // `STRUCT<>` scans as STRUCT followed by the `<>` operator; it is the empty struct.
  if (!c.acceptOp('<>')) {
    c.expectOp('<');
    if (!c.isOp('>')) {
      do {
        const nameToken = identifier(c);
        const type = parseTypeNode(c);
        fields.push({ name: identifierText(nameToken), type, span: c.spanFrom(nameToken) });
      } while (c.acceptOp(','));
    }
    c.expectOp('>');
  }
  return { kind: 'StructType', fields, span: c.spanFrom(first) };
}

function baseType(c: Cursor, nameToken: Token): TypeNode {
  const params = c.isOp('(') ? typeParameters(c) : undefined;
  const span = c.spanFrom(nameToken);
  const unquoted = nameToken.kind === 'ident';
  const name = identifierText(nameToken);
  if (unquoted && name === 'DECIMAL') {
    if (!params || params.length !== 2) return c.invalid('DECIMAL type requires precision and scale, e.g. DECIMAL(10, 2)', span);
    const [precision, scale] = params as [number, number];
    if (precision < 1) c.invalid(`DECIMAL precision must be >= 1: DECIMAL(${precision}, ${scale})`, span);
    if (scale > precision) c.invalid(`DECIMAL precision must be >= scale: DECIMAL(${precision}, ${scale})`, span);
    return { kind: 'DecimalType', precision, scale, span };
  }
  // `VARCHAR(STRING)` is accepted by the grammar's typeParameter rule and means VARCHAR.
  const stringParams = params?.every((p) => Number.isNaN(p)) && (name === 'VARCHAR' || name === 'STRING');
  if (params && !stringParams) c.invalid(`Unexpected type parameters for type ${name}`, span);
  const primitive = unquoted ? PRIMITIVES[name] : undefined;
  if (primitive && Object.hasOwn(PRIMITIVES, name)) return { kind: 'PrimitiveType', name: primitive, span };
  return { kind: 'CustomType', name, span };
}

/** `'(' typeParameter (',' typeParameter)* ')'` with `typeParameter: INTEGER_VALUE | 'STRING'`. */
function typeParameters(c: Cursor): number[] {
  c.expectOp('(');
  const params: number[] = [];
  const isParam = (t: Token): boolean => t.kind === 'integer' || (t.kind === 'ident' && t.value === 'STRING');
  do {
    if (!isParam(c.peek())) c.mismatch(["'STRING'", 'INTEGER_VALUE'], isParam);
    const t = c.next();
    params.push(t.kind === 'integer' ? Number(t.text) : NaN);
  } while (c.acceptOp(','));
  c.expectOp(')');
  return params;
}
