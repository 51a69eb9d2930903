/** Topic names, config defaults and parsing shared by the embedded and in-memory logs. */
import { KafkaErrorCode, TopicsError } from './batch-log.js';

const LEGAL = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): void {
  if (name.length === 0 || name.length > 249 || !LEGAL.test(name) || name === '.' || name === '..') {
    throw new TopicsError(KafkaErrorCode.INVALID_TOPIC_EXCEPTION, `Invalid topic name '${name}'`);
  }
}

/** Kafka's topic-level defaults for the configs the log understands. */
export const TOPIC_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '604800000',
  'retention.bytes': '-1',
  'segment.bytes': '1073741824',
  'segment.ms': '604800000',
  'segment.index.bytes': '10485760',
  'index.interval.bytes': '4096',
  'delete.retention.ms': '86400000',
  'min.compaction.lag.ms': '0',
  'max.message.bytes': '1048588',
  'message.timestamp.type': 'CreateTime',
  'compression.type': 'producer',
  'flush.messages': '9223372036854775807',
  'flush.ms': '9223372036854775807',
};

export function withDefaults(configs: Readonly<Record<string, string>> | undefined, brokerDefaults?: Readonly<Record<string, string>>): Record<string, string> {
  return { ...TOPIC_DEFAULTS, ...brokerDefaults, ...configs };
}

export function numConfig(configs: Readonly<Record<string, string>>, name: string): number {
  const v = Number(configs[name] ?? TOPIC_DEFAULTS[name]);
  if (!Number.isFinite(v)) throw new TopicsError(KafkaErrorCode.INVALID_CONFIG, `Invalid value for ${name}: ${configs[name]}`);
  return v;
}

export interface CleanupFlags {
  readonly compact: boolean;
  readonly delete: boolean;
}

export function cleanupFlags(configs: Readonly<Record<string, string>>): CleanupFlags {
  const parts = (configs['cleanup.policy'] ?? 'delete').split(',').map((s) => s.trim());
  return { compact: parts.includes('compact'), delete: parts.includes('delete') };
}
