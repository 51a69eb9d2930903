import { it } from 'vitest';
import { formatBench, runStateBench } from './bench.js';

it('state micro-benchmark (printed, no assertion)', async () => {
  console.log(`\nstate micro-benchmark, n = 50,000\n${formatBench(await runStateBench(50_000))}`);
});
