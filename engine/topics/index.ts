/** Public surface of the topic layer (the engine's index.ts re-exports this). */
export * from './topics.js';
export * from './partitioner.js';
export * from './batch-log.js';
export { EmbeddedTopics, type EmbeddedTopicsOptions } from './embedded-topics.js';
export { MemoryTopics, type MemoryTopicsOptions } from './memory-topics.js';
export { KafkaTopics, type KafkaTopicsOptions } from './kafka-topics.js';
export { type FsyncPolicy, parseFsyncPolicy } from './fsync-policy.js';
export { Codec, codecFromName, type CompressionName } from './compression.js';
export { encodeBatch, decodeBatch, validateBatch } from './record-batch.js';
export { crc32c } from './crc32c.js';
