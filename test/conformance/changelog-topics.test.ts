/**
 * Every changelog topic that ksqlDB's QTT cases list in `post.topics` is created by the test
 * driver with the same name (planner/store-names.ts), whether or not the case passes as a whole
 * (many still miss their `-repartition` topics). Each such case is run with its topic expectations
 * narrowed to the changelogs; a case whose statements Sluice rejects is counted, not hidden.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { listQttFiles } from '../../engine/testing/conformance.js';
import { loadQttFile, type QttCase } from '../../engine/testing/qtt-case.js';
import { runQttCase } from '../../engine/testing/qtt-runner.js';
import { qttDepsWithExtensions } from '../../engine/testing/deps.js';

const dir = resolve(__dirname, '../../../shared/conformance/qtt');

interface TopicsPost { topics?: { name: string }[] }

describe.skipIf(!existsSync(dir))('changelog topics of the QTT cases', () => {
  it('are all produced, with ksqlDB names, by every case whose statements run', async () => {
    const deps = await qttDepsWithExtensions();
    let cases = 0, names = 0;
    const missing: string[] = [];
    const rejected: string[] = [];
    for (const path of listQttFiles(dir)) {
      for (const c of loadQttFile(path)) {
        const post = (c.post ?? {}) as { topics?: TopicsPost };
        const changelogs = (post.topics?.topics ?? []).filter((t) => t.name.endsWith('-changelog'));
        if (changelogs.length === 0) continue;
        cases++;
        names += changelogs.length;
        const narrowed: QttCase = { ...c, post: { ...post, topics: { topics: changelogs } } };
        const r = await runQttCase(narrowed, deps);
        if (r.passed) continue;
        if (r.reason?.startsWith('post: topic')) missing.push(`${c.id}: ${r.reason}`);
        else rejected.push(c.id);
      }
    }
    expect(missing).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(21);
    // at most one case (windowed sources of different window types) is rejected by the planner
    expect(rejected.length, rejected.join('\n')).toBeLessThanOrEqual(1);
    expect(names).toBeGreaterThanOrEqual(42);
  }, 300_000);
});
