/** API keys, error codes and the versions this broker advertises (reference §4 "pin" column). */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  DescribeConfigs: 32,
} as const;

export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  INVALID_TOPIC_EXCEPTION: 17,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  INVALID_CONFIG: 40,
  KAFKA_STORAGE_ERROR: 56,
  UNKNOWN_SERVER_ERROR: -1,
} as const;

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Advertised ranges. Clients use the highest version both sides support, so in practice kafkajs
 * 2.2.4 and librdkafka 2.x land on the maxima (Produce 7, Fetch 11, Metadata 4, ...; only
 * ApiVersions v3 is flexible). The minima are *not* pinned to the maxima: librdkafka enables its
 * features by range overlap (rdkafka_feature.c: MsgVer2 needs Produce 3 and Fetch 4 inside the
 * advertised range, BrokerBalancedConsumer needs OffsetCommit 1..2, OffsetFetch 1, JoinGroup /
 * SyncGroup / Heartbeat / LeaveGroup / FindCoordinator 0, OffsetTime ListOffsets 1,
 * IdempotentProducer InitProducerId 0; gzip, snappy and lz4 need Produce v0 in range, zstd v7),
 * and with min = max it falls back to MessageSet v0 and uncompressed batches. Every advertised
 * version is implemented; Produce v0-v2 decode and answer correctly but reject the pre-v2 message
 * formats they carry (CORRUPT_MESSAGE), since the log stores only RecordBatch v2. InitProducerId stays ≤ 1 (≥ 2 makes
 * librdkafka go flexible).
 */
export const SUPPORTED: ReadonlyMap<number, VersionRange> = new Map([
  [ApiKey.Produce, { min: 0, max: 7 }],
  [ApiKey.Fetch, { min: 4, max: 11 }],
  [ApiKey.ListOffsets, { min: 1, max: 2 }],
  [ApiKey.Metadata, { min: 0, max: 4 }],
  [ApiKey.OffsetCommit, { min: 2, max: 5 }],
  [ApiKey.OffsetFetch, { min: 1, max: 4 }],
  [ApiKey.FindCoordinator, { min: 0, max: 2 }],
  [ApiKey.JoinGroup, { min: 0, max: 5 }],
  [ApiKey.Heartbeat, { min: 0, max: 3 }],
  [ApiKey.LeaveGroup, { min: 0, max: 1 }],
  [ApiKey.SyncGroup, { min: 0, max: 3 }],
  [ApiKey.DescribeGroups, { min: 2, max: 2 }],
  [ApiKey.ListGroups, { min: 2, max: 2 }],
  [ApiKey.ApiVersions, { min: 0, max: 3 }],
  [ApiKey.CreateTopics, { min: 3, max: 3 }],
  [ApiKey.DeleteTopics, { min: 1, max: 1 }],
  [ApiKey.InitProducerId, { min: 0, max: 1 }],
  [ApiKey.DescribeConfigs, { min: 1, max: 1 }],
]);

/** Whether (key, version) uses request header v2 / response header v1 (KIP-482). */
export function isFlexible(apiKey: number, apiVersion: number): boolean {
  return apiKey === ApiKey.ApiVersions && apiVersion >= 3;
}
