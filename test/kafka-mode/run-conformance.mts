/**
 * Runs the Kafka-mode conformance sample from the command line (larger runs than `npm test`):
 *   npx tsx test/kafka-mode/run-conformance.mts [listener|mock|memory ...] [--count N | --all] [--filter RE]
 */
import { allSuitableCases, qttDir, sampleCases } from './cases.js';
import { listenerBackend, memoryBackend, mockBackend } from './backends.js';
import { runQttCaseInKafkaMode } from './qtt-kafka-runner.js';

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a) && args[args.indexOf(a) - 1] !== '--filter');
const backends = [listenerBackend, mockBackend, memoryBackend].filter((b) => (names.length ? names.includes(b.name) : b.name !== 'memory'));
const dir = qttDir();
if (!dir) throw new Error('conformance cases not found (set SLUICE_QTT_DIR)');
const countArg = args.indexOf('--count');
let cases = args.includes('--all') ? allSuitableCases(dir) : sampleCases(dir, countArg >= 0 ? Number(args[countArg + 1]) : 60);
const filterArg = args.indexOf('--filter');
if (filterArg >= 0) cases = cases.filter((c) => new RegExp(args[filterArg + 1]!).test(c.id));
let failed = 0;
for (const b of backends) {
  const t0 = Date.now();
  let ok = 0;
  for (const c of cases) {
    const t = Date.now();
    const r = await runQttCaseInKafkaMode(c, b);
    if (r.passed) ok++;
    else failed++;
    console.log(`${b.name} ${r.passed ? 'PASS' : 'FAIL'} ${Date.now() - t}ms ${c.id}${r.passed ? '' : `\n    ${r.reason}`}`);
  }
  console.log(`${b.name}: ${ok}/${cases.length} passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
process.exit(failed ? 1 : 0);
