import { test } from 'vitest';
import { avroType } from './engine/schema/avro-types.js';
test('x', () => {
  for (const s of ['long', { type: 'long' }, ['null', 'long'], ['null', { type: 'long' }]]) {
    const t = avroType(s);
    try { console.log(JSON.stringify(s), t.fromBuffer(t.toBuffer(998877665544332211n))); } catch (e) { console.log(JSON.stringify(s), 'ERR', (e as Error).message.slice(0, 80)); }
  }
});
