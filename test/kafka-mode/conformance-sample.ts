/** Shared body of the two Kafka-mode conformance tests (one file per cluster so vitest runs them in parallel). */
import { describe, expect, it } from 'vitest';
import { qttDir, sampleCases } from './cases.js';
import { runQttCaseInKafkaMode, type Backend } from './qtt-kafka-runner.js';

/** Cases per cluster in `npm test`; `test/kafka-mode/run-conformance.mts --all` runs every suitable case. */
export const SAMPLE_SIZE = 60;

export function conformanceSample(backend: Backend, skip = false): void {
  const dir = qttDir();
  describe.skipIf(!dir || skip)(`Kafka mode on ${backend.name}: conformance sample`, () => {
    it(`runs ${SAMPLE_SIZE} passing conformance cases end to end with the embedded results`, async () => {
      const cases = sampleCases(dir!, SAMPLE_SIZE);
      expect(cases.length).toBe(SAMPLE_SIZE);
      const failures: string[] = [];
      for (const c of cases) {
        const r = await runQttCaseInKafkaMode(c, backend);
        if (!r.passed) failures.push(`${r.id}: ${r.reason}`);
      }
      expect(failures).toEqual([]);
    }, 300_000);
  });
}
