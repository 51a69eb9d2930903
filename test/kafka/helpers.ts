/** Test helpers: a listener on a free loopback port over Memory or Embedded topics, kafkajs codecs. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zstd from '@mongodb-js/zstd';
import kafkajs, { type Kafka } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';

// kafkajs is CommonJS: named imports work under vitest but not plain Node ESM (the bench script)
const { CompressionCodecs, CompressionTypes, logLevel, Kafka: KafkaClient } = kafkajs;
import * as lz4 from 'lz4js';
import { EmbeddedTopics, MemoryTopics, type BatchLog } from '../../engine/topics/index.js';
import { KafkaListener, type KafkaListenerOptions } from '../../server/kafka/index.js';

export interface TestBroker {
  readonly topics: BatchLog;
  readonly listener: KafkaListener;
  readonly bootstrap: string;
  close(): Promise<void>;
}

export async function startBroker(opts: { embedded?: boolean; listener?: Partial<KafkaListenerOptions> } = {}): Promise<TestBroker> {
  let dir: string | undefined;
  let topics: BatchLog;
  if (opts.embedded) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-'));
    topics = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
  } else topics = new MemoryTopics();
  const listener = await KafkaListener.start({
    topics,
    host: '127.0.0.1',
    port: 0,
    groupInitialRebalanceDelayMs: 200,
    logger: process.env.SLUICE_KAFKA_DEBUG ? (l, m) => console.log(`[broker ${l}] ${m}`) : undefined,
    ...opts.listener,
  });
  return {
    topics,
    listener,
    bootstrap: listener.bootstrap,
    async close() {
      await listener.close();
      await topics.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let codecsRegistered = false;
/** kafkajs has only gzip built in; snappy, lz4 and zstd come from plugins (also needed to consume them). */
export function registerKafkajsCodecs(): void {
  if (codecsRegistered) return;
  codecsRegistered = true;
  const codecs = CompressionCodecs as unknown as Record<number, () => unknown>;
  codecs[CompressionTypes.Snappy] = SnappyCodec;
  codecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4.compress(encoder.buffer)),
    decompress: async (buffer: Buffer) => Buffer.from(lz4.decompress(buffer)),
  });
  codecs[CompressionTypes.ZSTD] = () => ({
    compress: async (encoder: { buffer: Buffer }) => zstd.compress(encoder.buffer),
    decompress: async (buffer: Buffer) => zstd.decompress(buffer),
  });
}

export function kafka(bootstrap: string, clientId = 'test'): Kafka {
  return new KafkaClient({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
