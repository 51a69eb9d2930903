/** The REPL's rendering of ksqlDB entities (Console's printers). */
import { describe, expect, it } from 'vitest';
import { formatEntity } from '../../cli/repl/format.js';

describe('formatEntity', () => {
  it('prints assert_topic and assert_schema as one sentence', () => {
    expect(formatEntity({ '@type': 'assert_topic', topicName: 't', exists: false })).toBe('Topic t does not exist.\n');
    expect(formatEntity({ '@type': 'assert_schema', subject: 's', id: 55, exists: true })).toBe('Schema with subject s id 55 exists.\n');
    expect(formatEntity({ '@type': 'assert_schema', subject: null, id: 7, exists: false })).toBe('Schema with id 7 does not exist.\n');
  });
});
