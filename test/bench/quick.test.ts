/**
 * The benchmark harness end to end in --quick mode (small data, every workload and baseline): it
 * must finish, verify every run it measured, and report features that have not landed as
 * "not available" rather than dropping them. The figures themselves are not asserted.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportMarkdown, runBench, type BenchReport } from '../../cli/bench/harness.js';

describe('npm run bench -- --quick', () => {
  it('runs every workload and baseline once, verified, and writes the JSON report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-test-'));
    try {
      const json = join(dir, 'bench.json');
      const report = await runBench({ quick: true, json, log: () => {} });
      const failed = report.rows.filter((r) => r.status === 'failed').map((r) => `${r.id} ${r.mode}: ${r.reason}`);
      expect(failed).toEqual([]);

      const ids = new Set(report.rows.map((r) => r.id));
      for (const id of ['B1', 'B2', 'B3', 'W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7']) expect(ids, id).toContain(id);
      for (const r of report.rows) {
        if (r.status === 'not available') expect(r.reason, `${r.id} ${r.mode}`).toBeTruthy();
      }
      // What is on main now must be measured: the baselines, W1 embedded, start-up and idle memory.
      const ok = (id: string, mode: string) => report.rows.find((r) => r.id === id && r.mode === mode && r.status === 'ok');
      for (const [id, mode] of [['B1', 'in-process'], ['B2', 'kafka'], ['B3', 'in-process'], ['W1', 'embedded']] as const) {
        expect(ok(id, mode)?.eventsPerSec, `${id} ${mode}`).toBeGreaterThan(0);
      }
      expect(ok('W1', 'embedded')?.ratios.B1).toBeGreaterThan(0);
      expect(report.rows.find((r) => r.id === 'W7' && r.title.startsWith('start-up'))?.elapsedMs).toBeGreaterThan(0);

      const written = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
      expect(written.machine.cores).toBeGreaterThan(0);
      expect(written.machine.node).toBe(process.version);
      expect(reportMarkdown(written)).toContain('| W1 | filter + projection | embedded |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
