/** The clusters the Kafka-mode tests run against, one fresh cluster per case. */
import { KafkaTopics, MemoryTopics } from '../../engine/topics/index.js';
import { KafkaListener } from '../../server/kafka/index.js';
import { startMockCluster } from './mock-cluster.js';
import type { Backend } from './qtt-kafka-runner.js';

/** Sluice's own Kafka-protocol listener over in-memory topics (retention off: cases use old timestamps). */
export const listenerBackend: Backend = {
  name: 'listener',
  exactPartitions: true,
  async open() {
    const log = new MemoryTopics({ topicDefaults: { 'retention.ms': '-1' } });
    const listener = await KafkaListener.start({ topics: log, host: '127.0.0.1', port: 0 });
    const topics = await KafkaTopics.connect({ brokers: listener.bootstrap, clientId: 'sluice-test' });
    return {
      topics,
      async close() {
        await topics.close();
        await listener.close();
        await log.close();
      },
    };
  },
};

/** librdkafka's mock cluster with three brokers (kcat); topics are auto-created with 4 partitions. */
export const mockBackend: Backend = {
  name: 'mock',
  exactPartitions: false,
  async open() {
    const mock = await startMockCluster(3);
    try {
      const topics = await KafkaTopics.connect({ brokers: mock.brokers, clientId: 'sluice-test' });
      return {
        topics,
        async close() {
          await topics.close();
          await mock.close();
        },
      };
    } catch (e) {
      await mock.close();
      throw e;
    }
  },
};

/** No Kafka at all: the same runner over MemoryTopics (a baseline for the harness itself). */
export const memoryBackend: Backend = {
  name: 'memory',
  exactPartitions: true,
  async open() {
    const topics = new MemoryTopics({ topicDefaults: { 'retention.ms': '-1' } });
    return { topics, close: () => topics.close() };
  },
};
