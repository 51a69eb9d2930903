import { createRocksStateBackend } from './engine/state/backend.js';
import { orderedKeySerializer, valueSerializer } from './engine/state/codec.js';
const backend = createRocksStateBackend('/tmp/rx/prof', { syncCommits: false });
const task = await backend.openTask('p', '0');
const kv = task.keyValueStore('kv', { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<[number, number, string]>() });
const keys = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
for (const k of keys) kv.put(k, [0, 0, 'x']);
await task.commit(new Map());
const n = 500000;
for (let r = 0; r < 4; r++) {
const t0 = performance.now();
for (let i = 0; i < n; i++) { const k = keys[i % 1000]!; const a = kv.get(k)!; kv.put(k, [a[0] + 1, a[1] + i, a[2]]); }
console.log('get+put µs', (performance.now() - t0) * 1000 / n);
}
await task.commit(new Map());
const t1 = performance.now();
for (let i = 0; i < n; i++) kv.get(keys[i % 1000]!);
console.log('rocks get µs', (performance.now() - t1) * 1000 / n);
await task.close(); await backend.close();
