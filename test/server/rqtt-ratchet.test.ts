/**
 * The REST conformance ratchet: every RQTT case listed in rqtt-passing.txt must still pass against
 * a real in-process server. Regenerate the list with
 * `npm run conformance -- --rest --json out.json` and keep the passing ids.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runRqttDir } from '../../server/testing/rqtt-runner.js';

const dir = resolve(__dirname, '../../../shared/conformance/rqtt');
const listed = readFileSync(resolve(__dirname, 'rqtt-passing.txt'), 'utf8').split('\n').filter(Boolean);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!existsSync(dir))('RQTT ratchet', () => {
  it(`keeps all ${listed.length} listed REST cases passing`, async () => {
    const results = await runRqttDir(dir, { filter: new RegExp(`^(${listed.map(escape).join('|')})$`) });
    const failing = results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.reason}`);
    const missing = listed.filter((id) => !results.some((r) => r.id === id));
    expect(missing).toEqual([]);
    expect(failing).toEqual([]);
  }, 600_000);
});
