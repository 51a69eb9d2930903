import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRocksStateBackend } from '../../engine/state/backend.js';
import { orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import { crashInput, WINDOW_MS } from './fixtures/crash-input.js';
import { tempDir } from './helpers.js';

const worker = fileURLToPath(new URL('./fixtures/crash-counter.ts', import.meta.url));
const CYCLES = 6;
const serdes = { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<number>() };

/** Runs the worker, SIGKILLs it `delayMs` after it reports start; resolves with its stdout. */
function runAndKill(dataDir: string, delayMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (timer === undefined && out.includes('start ')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`worker exited with ${code}: ${err}`));
    });
  });
}

let dir: string, cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sluice-crash-')));
afterAll(() => cleanup());

describe('crash safety (SIGKILL at a random moment)', () => {
  it('after every kill, the committed offset N and the state agree exactly', async () => {
    let previous = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const out = await runAndKill(dir, 80 + Math.floor(Math.random() * 400));
      const started = Number(/start (\d+)/.exec(out)![1]);
      expect(started).toBe(previous); // the worker resumed exactly where the last commit was

      const backend = createRocksStateBackend(dir);
      const task = await backend.openTask('crash', '0');
      const n = task.committedOffsets().get('input:0') ?? 0;
      expect(task.committedMetadata()).toEqual(n === 0 ? {} : { n });

      const counts = new Map<string, number>();
      const windows = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const { key, inc, time } = crashInput(i);
        counts.set(key, (counts.get(key) ?? 0) + inc);
        const w = `${key}@${time - (time % WINDOW_MS)}`;
        windows.set(w, (windows.get(w) ?? 0) + inc);
      }
      const kv = task.keyValueStore('counters', serdes);
      expect(new Map(kv.all())).toEqual(counts);
      const ws = task.windowStore('windows', { ...serdes, retentionMs: Number.MAX_SAFE_INTEGER });
      expect(new Map([...ws.fetchAll(-Infinity, Infinity)].map(([k, s, v]) => [`${k}@${s}`, v]))).toEqual(windows);
      await backend.close();

      expect(n).toBeGreaterThanOrEqual(previous);
      previous = n;
    }
    expect(previous).toBeGreaterThan(1000); // the worker really ran and committed
    console.log(`crash test: ${previous} records committed across ${CYCLES} SIGKILLed runs`);
  });
});
