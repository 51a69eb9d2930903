/**
 * Restart test (stateful issue): for every stateful conformance case that passes, run the first
 * half of its input, stop the engine, start a fresh one on the same RocksDB state directory and
 * feed the rest; the final value per key of every output topic must equal the uninterrupted run's.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { qttDepsWithExtensions } from '../../engine/testing/deps.js';
import { loadQttFile } from '../../engine/testing/qtt-case.js';
import { runQttCase } from '../../engine/testing/qtt-runner.js';
import { runWithRestart } from '../../engine/testing/restart.js';
import { createRocksStateBackend } from '../../engine/state/index.js';

const root = process.env.SLUICE_CONFORMANCE_DIR ?? resolve(__dirname, '../../../shared/conformance');
const groupsFile = join(root, 'groups.json');

describe.skipIf(!existsSync(groupsFile))('restart of stateful conformance cases', () => {
  it('ends with the same table per key as an uninterrupted run', async () => {
    const files: string[] = JSON.parse(readFileSync(groupsFile, 'utf8')).stateful;
    const deps = await qttDepsWithExtensions();
    const dir = mkdtempSync(join(tmpdir(), 'sluice-restart-'));
    const failures: string[] = [];
    let checked = 0;
    try {
      for (const file of files) {
        const path = join(root, 'qtt', `${file}.json`);
        if (!existsSync(path)) continue;
        for (const c of loadQttFile(path)) {
          if (c.expectedException || c.inputs.length < 2 || c.outputs.length === 0) continue;
          if (!(await runQttCase(c, deps)).passed) continue;
          const caseDir = join(dir, String(checked));
          const result = await runWithRestart(c, {
            functions: deps.functions, topics: deps.topics,
            state: (d) => createRocksStateBackend(d, { syncCommits: false }),
          }, { uninterrupted: join(caseDir, 'a'), restarted: join(caseDir, 'b') });
          checked++;
          if (result.problems.length > 0) failures.push(`${c.id}: ${result.problems.slice(0, 3).join('; ')}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`restart test: ${checked} stateful cases restarted mid-input, ${failures.length} differences`);
    expect(checked).toBeGreaterThan(150);
    expect(failures).toEqual([]);
  }, 600_000);
});
