/** kcat (librdkafka 2.0.2, Debian package `kcat`) against the listener: codecs, keys, headers, groups. */
import { execFile, execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes } from 'kafkajs';
import { kafka, registerKafkajsCodecs, startBroker, waitFor, type TestBroker } from './helpers.js';

const hasKcat = ((): boolean => {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasKcat) console.warn('kcat not on PATH: skipping the kcat tests (apt-get install -y kcat)');

function kcat(args: string[], input?: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', args, { timeout: timeoutMs, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin!.end(input ?? '');
  });
}

describe.skipIf(!hasKcat)('kcat', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startBroker({ embedded: true });
  });
  afterAll(async () => {
    await broker?.close();
  });
  const b = (): string[] => ['-b', broker.bootstrap, '-X', 'broker.address.family=v4'];

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('produces and consumes with keys and headers (-z %s)', async (codec) => {
    const topic = `kcat-${codec}`;
    const pad = 'x'.repeat(300); // compressible, so librdkafka does not fall back to sending it uncompressed
    const lines = Array.from({ length: 20 }, (_, i) => `key${i}:value-${i}-${codec}${pad}`).join('\n') + '\n';
    await kcat([...b(), '-P', '-t', topic, '-K:', '-H', 'h1=one', '-H', 'h2=two', '-z', codec], lines);
    const out = await kcat([...b(), '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%k|%s|%h|%o\n']);
    const rows = out.trim().split('\n');
    expect(rows).toEqual(Array.from({ length: 20 }, (_, i) => `key${i}|value-${i}-${codec}${pad}|h1=one,h2=two|${i}`));
    // stored as librdkafka sent it (compressed), readable in-process too
    const fetched = broker.topics.fetchBatches(topic, 0, 0, 1 << 20);
    const attrs = Buffer.concat(fetched.batches).readInt16BE(21) & 7;
    expect(attrs).toBe(['none', 'gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec));
    const read = await broker.topics.read(topic, 0, 0, 100);
    expect(read.map((r) => `${r.key}|${r.value}`)).toEqual(Array.from({ length: 20 }, (_, i) => `key${i}|value-${i}-${codec}${pad}`));
    expect(read[0]!.headers.map((h) => `${h.key}=${h.value}`)).toEqual(['h1=one', 'h2=two']);
  });

  it('consumes what kafkajs-style in-process appends wrote, with timestamps', async () => {
    await broker.topics.createTopic('kcat-engine', { partitions: 1, replicas: 1 });
    await broker.topics.append('kcat-engine', 0, [{ key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 1_700_000_000_123, headers: [{ key: 'x', value: Buffer.from('y') }] }]);
    const out = await kcat([...b(), '-C', '-t', 'kcat-engine', '-o', 'beginning', '-e', '-f', '%k=%s %T %h\n']);
    expect(out).toBe('a=1 1700000000123 x=y\n');
  });

  it('consumes as a group (-G) and resumes from committed offsets', async () => {
    const topic = 'kcat-group';
    await broker.topics.createTopic(topic, { partitions: 3, replicas: 1 });
    const produce = async (from: number, n: number): Promise<void> => {
      const lines = Array.from({ length: n }, (_, i) => `k${from + i}:v${from + i}`).join('\n') + '\n';
      await kcat([...b(), '-P', '-t', topic, '-K:'], lines);
    };
    await produce(0, 30);
    const group = [...b(), '-G', 'kcat-grp', '-X', 'auto.offset.reset=earliest', '-e', '-f', '%s\n', topic];
    const first = (await kcat(group)).trim().split('\n');
    expect(first.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort());
    await produce(30, 10);
    const second = (await kcat(group)).trim().split('\n');
    expect(second.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v${30 + i}`).sort());
    const committed = await broker.topics.fetchOffsets('kcat-grp');
    expect([0, 1, 2].reduce((n, p) => n + (committed.get(`${topic}:${p}`) ?? 0), 0)).toBe(40);
  });

  it.each([
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ])('crosses clients: kafkajs reads what kcat wrote and kcat reads what kafkajs wrote (%s)', async (codec, type) => {
    registerKafkajsCodecs();
    const pad = 'y'.repeat(200);
    const topic = `cross-${codec}`;
    await kcat([...b(), '-P', '-t', topic, '-K:', '-z', codec], Array.from({ length: 10 }, (_, i) => `r${i}:from-kcat-${i}${pad}`).join('\n') + '\n');
    const k = kafka(broker.bootstrap);
    const producer = k.producer();
    await producer.connect();
    await producer.send({ topic, compression: type, messages: Array.from({ length: 10 }, (_, i) => ({ key: `j${i}`, value: `from-kafkajs-${i}${pad}`, headers: { n: String(i) } })) });
    await producer.disconnect();
    const consumer = k.consumer({ groupId: `cross-${codec}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(`${message.key}=${message.value!.toString().replace(pad, '')}`) });
    await waitFor(() => seen.length >= 20, 20_000, 'kafkajs consumption');
    await consumer.disconnect();
    const expected = [...Array.from({ length: 10 }, (_, i) => `r${i}=from-kcat-${i}`), ...Array.from({ length: 10 }, (_, i) => `j${i}=from-kafkajs-${i}`)];
    expect(seen).toEqual(expected);
    const out = await kcat([...b(), '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%k=%s\n']);
    expect(out.replaceAll(pad, '').trim().split('\n')).toEqual(expected);
  });

  it('lists metadata', async () => {
    const out = await kcat([...b(), '-L', '-t', 'kcat-group']);
    expect(out).toContain('topic "kcat-group" with 3 partitions');
    expect(out).toContain(`broker 0 at ${broker.bootstrap} (controller)`);
  });
});
