/**
 * `sluice bench [--quick] [--json FILE] [--only W1,W2] [--runs N] [--profile DIR]`: the benchmark
 * harness (cli/bench/harness.ts). Exits 1 when a run failed (e.g. its output did not verify).
 * `--worker` is the harness's own child-process entry.
 */
import { flag, type ParsedArgs } from '../args.js';

export async function benchCommand(args: ParsedArgs): Promise<number | undefined> {
  if (flag(args, 'worker') !== undefined) {
    const { workerMain } = await import('../bench/worker.js');
    await workerMain();
    return undefined;
  }
  const { runBench, reportMarkdown } = await import('../bench/harness.js');
  const only = flag(args, 'only');
  const runs = flag(args, 'runs');
  const report = await runBench({
    quick: flag(args, 'quick') !== undefined,
    ...(flag(args, 'json') ? { json: flag(args, 'json')! } : {}),
    ...(only ? { only: only.split(',') } : {}),
    ...(runs ? { runs: Number(runs) } : {}),
    ...(flag(args, 'profile') ? { profileDir: flag(args, 'profile')! } : {}),
  });
  process.stdout.write(reportMarkdown(report));
  return report.rows.some((r) => r.status === 'failed') ? 1 : 0;
}
