/** Reading and validating WITH (...) properties of CREATE / CSAS / CTAS / INSERT statements. */
import type { Properties, PropertyEntry } from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';

const CREATE_PROPS = new Set([
  'KAFKA_TOPIC', 'KEY_FORMAT', 'VALUE_FORMAT', 'FORMAT', 'PARTITIONS', 'REPLICAS', 'RETENTION_MS', 'CLEANUP_POLICY',
  'TIMESTAMP', 'TIMESTAMP_FORMAT', 'WRAP_SINGLE_VALUE', 'KEY_DELIMITER', 'VALUE_DELIMITER', 'KEY_SCHEMA_ID',
  'VALUE_SCHEMA_ID', 'KEY_SCHEMA_FULL_NAME', 'VALUE_SCHEMA_FULL_NAME', 'VALUE_AVRO_SCHEMA_FULL_NAME',
  'KEY_PROTOBUF_NULLABLE_REPRESENTATION', 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION', 'WINDOW_TYPE', 'WINDOW_SIZE',
  'SOURCE_CONNECTOR', 'QUERY_ID', 'SOURCE_CONNECTOR',
]);

export class WithProperties {
  private readonly values = new Map<string, PropertyEntry>();

  constructor(props: Properties, allowed: ReadonlySet<string> = CREATE_PROPS) {
    for (const p of props) {
      const name = p.name.toUpperCase();
      if (!allowed.has(name)) throw new KsqlException(`Invalid config variable(s) in the WITH clause: ${name}`);
      this.values.set(name, p);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    const p = this.values.get(name);
    if (!p) return undefined;
    const v = p.value;
    switch (v.kind) {
      case 'StringLiteral': return v.value;
      case 'IntegerLiteral': return String(v.value);
      case 'BooleanLiteral': return String(v.value);
      default: return v.text;
    }
  }

  integer(name: string): number | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n)) throw new KsqlException(`Invalid value for ${name}: ${s}`);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    const l = s.toLowerCase();
    if (l !== 'true' && l !== 'false') throw new KsqlException(`Property ${name} must be true or false, got: ${s}`);
    return l === 'true';
  }
}
