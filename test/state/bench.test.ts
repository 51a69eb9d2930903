import { it } from 'vitest';
import { formatBench, runStateBench } from './bench.js';

it('state micro-benchmark (printed, no assertion)', async () => {
  const n = 20_000;
  console.log(`\nstate micro-benchmark, n = ${n}, best of 2\n${formatBench(await runStateBench(n, 2))}`);
});
