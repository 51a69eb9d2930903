/** Turning the SQL text's type syntax into SqlTypes, resolving CREATE TYPE names. */
import type { TypeNode } from '../sql/ast.js';
import { assertNever } from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import { SqlTypes, type SqlType } from '../types/sql-type.js';

export type TypeResolver = (name: string) => SqlType | undefined;

export function resolveTypeNode(node: TypeNode, customTypes?: TypeResolver): SqlType {
  switch (node.kind) {
    case 'PrimitiveType': return SqlTypes[node.name];
    case 'DecimalType': {
      if (node.precision < 1) throw new KsqlException(`DECIMAL precision must be >= 1: DECIMAL(${node.precision}, ${node.scale})`);
      if (node.scale < 0 || node.scale > node.precision) {
        throw new KsqlException(`DECIMAL scale must be between 0 and precision: DECIMAL(${node.precision}, ${node.scale})`);
      }
      return SqlTypes.decimal(node.precision, node.scale);
    }
    case 'ArrayType': return SqlTypes.array(resolveTypeNode(node.element, customTypes));
    case 'MapType': return SqlTypes.map(resolveTypeNode(node.key, customTypes), resolveTypeNode(node.value, customTypes));
    case 'StructType':
      return SqlTypes.struct(node.fields.map((f) => ({ name: f.name, type: resolveTypeNode(f.type, customTypes) })));
    case 'CustomType': {
      const t = customTypes?.(node.name);
      if (!t) throw new KsqlException(`Unknown type: ${node.name}`);
      return t;
    }
    default: return assertNever(node);
  }
}
