import { describe, expect, it } from 'vitest';
import { statementError } from '../../server/entities.js';
import { AssertionFailedException, KsqlException } from '../../engine/errors/index.js';
import { SchemaRegistryError } from '../../engine/schema/types.js';

describe('statementError', () => {
  it("takes the HTTP status from a ksqlDB error code (ASSERT: 41700 → 417)", () => {
    expect(statementError(new AssertionFailedException('Topic t does not exist'), 'ASSERT TOPIC t;', []).status).toBe(417);
  });

  it("does not mistake a schema registry's error code for ksqlDB's", () => {
    const e = new KsqlException('Error serializing message to topic: t.', { cause: new SchemaRegistryError(409, 409, 'incompatible') });
    const r = statementError(e, 'INSERT INTO t VALUES (1);', []);
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
  });
});
