/**
 * The conformance ratchet: every case listed in passing.txt must still pass. New passes are added
 * with `npm run conformance -- --update`.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { readRatchet, runConformance, qttDepsWithExtensions } from '../../engine/index.js';

const dir = resolve(__dirname, '../../../shared/conformance/qtt');
const listed = readRatchet(resolve(__dirname, 'passing.txt'));

describe.skipIf(!existsSync(dir))('conformance ratchet', () => {
  it(`keeps all ${listed.length} listed cases passing`, async () => {
    const wanted = new Set(listed);
    const files = new Set(listed.map((id) => id.split(' - ')[0]!));
    const filter = new RegExp(`^(${[...files].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}) - `);
    const report = await runConformance(dir, await qttDepsWithExtensions(), { filter });
    // ids are compared exactly: some case names end with a blank, which the ratchet file keeps
    const failing = report.results.filter((r) => wanted.has(r.id) && !r.passed);
    const missing = [...wanted].filter((id) => !report.results.some((r) => r.id === id));
    expect(missing, 'listed cases that no longer exist').toEqual([]);
    expect(failing.map((f) => `${f.id}: ${f.reason}`)).toEqual([]);
  }, 600_000);
});
