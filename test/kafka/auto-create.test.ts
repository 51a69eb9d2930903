/** auto.create.topics.enable and num.partitions, through Metadata and Produce. */
import { afterEach, describe, expect, it } from 'vitest';
import { kafka, startBroker, type TestBroker } from './helpers.js';

const brokers: TestBroker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.close();
});

describe('topic auto-creation', () => {
  it('creates topics for producers (Metadata with the auto-create flag) with the default partition count', async () => {
    const b = await startBroker({ listener: { defaultPartitions: 3 } });
    brokers.push(b);
    const k = kafka(b.bootstrap);
    const admin = k.admin();
    await admin.connect();
    // kafkajs admin asks Metadata with allow_auto_topic_creation=false: nothing is created
    await expect(admin.fetchTopicMetadata({ topics: ['auto-meta'] })).rejects.toThrow(/does not host/);
    expect(b.topics.partitionCount('auto-meta')).toBeUndefined();
    await admin.disconnect();
    const producer = k.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await producer.send({ topic: 'auto-produce', messages: [{ key: 'a', value: '1' }] });
    await producer.disconnect();
    expect(b.topics.partitionCount('auto-produce')).toBe(3);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION when disabled', async () => {
    const b = await startBroker({ listener: { autoCreateTopics: false } });
    brokers.push(b);
    const producer = kafka(b.bootstrap).producer({ retry: { retries: 1, initialRetryTime: 50 } });
    await producer.connect();
    await expect(producer.send({ topic: 'nope', messages: [{ value: 'x' }] })).rejects.toThrow(/does not host this topic-partition|UNKNOWN_TOPIC/i);
    await producer.disconnect();
    expect(b.topics.partitionCount('nope')).toBeUndefined();
  });
});
