/**
 * Embedded mode or Kafka mode (DESIGN.md, "Topics"): with `bootstrap.servers` set the engine runs
 * on that Kafka cluster through `KafkaTopics`, otherwise on the embedded log under the data dir.
 * Only the embedded log can back Sluice's own Kafka-protocol listener (it serves that log).
 */
import { join } from 'node:path';
import { EmbeddedTopics, KafkaTopics, type Topics } from '../engine/index.js';

export interface OpenedTopics {
  readonly topics: Topics;
  /** The embedded log, when in embedded mode (what the Kafka listener serves). */
  readonly embedded?: EmbeddedTopics;
  readonly mode: 'embedded' | 'kafka';
}

export async function openTopics(config: Readonly<Record<string, unknown>>, dataDir: string, serviceId: string): Promise<OpenedTopics> {
  const bootstrap = config['bootstrap.servers'];
  if (bootstrap !== undefined && String(bootstrap).trim() !== '') {
    const topics = await KafkaTopics.connect({ brokers: String(bootstrap), clientId: `sluice-${serviceId}` });
    return { topics, mode: 'kafka' };
  }
  const embedded = await EmbeddedTopics.open({ dir: join(dataDir, 'log') });
  return { topics: embedded, embedded, mode: 'embedded' };
}
