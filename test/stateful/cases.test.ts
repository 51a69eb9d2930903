/** Sluice's own stateful cases (QTT format, test/stateful/cases/*.json) must all pass. */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runConformance } from '../../engine/index.js';
import { qttDepsWithExtensions } from '../../engine/testing/deps.js';

describe('stateful cases', () => {
  it('pass', async () => {
    const report = await runConformance(resolve(__dirname, 'cases'), await qttDepsWithExtensions(), { groupsFile: resolve(__dirname, 'cases', 'no-groups.json') });
    expect(report.results.length).toBeGreaterThan(5);
    expect(report.results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
  });
});
