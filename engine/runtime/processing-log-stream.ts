/**
 * The processing log as a stream users can query (ksqlDB's KSQL_PROCESSING_LOG): every entry of the
 * in-memory ProcessingLog is written as a JSON record to the topic `<service id>ksql_processing_log`
 * (or `ksql.logging.processing.topic.name`), and the stream (`ksql.logging.processing.stream.name`,
 * default KSQL_PROCESSING_LOG) is registered in the metastore when the engine starts, with ksqlDB's
 * processing-log schema:
 *
 *   LOGGER STRING, LEVEL STRING, TIME BIGINT, MESSAGE STRUCT<TYPE INT,
 *     DESERIALIZATIONERROR STRUCT<TARGET, ERRORMESSAGE, RECORDB64, CAUSE ARRAY<STRING>, TOPIC>,
 *     RECORDPROCESSINGERROR STRUCT<ERRORMESSAGE, RECORD, CAUSE ARRAY<STRING>>,
 *     PRODUCTIONERROR STRUCT<ERRORMESSAGE>,
 *     SERIALIZATIONERROR STRUCT<TARGET, ERRORMESSAGE, RECORD, CAUSE ARRAY<STRING>, TOPIC>,
 *     KAFKASTREAMSTHREADERROR STRUCT<ERRORMESSAGE, THREADNAME, CAUSE ARRAY<STRING>>>
 *
 * Writing happens off the hot path: entries only exist when a record failed, and appends are chained
 * so the topic keeps the log's order.
 */
import type { LogicalSchema } from '../catalog/schema.js';
import type { DataSource } from '../catalog/source.js';
import type { MetaStore } from '../catalog/metastore.js';
import type { Topics } from '../topics/topics.js';
import { SqlTypes, type SqlType } from '../types/sql-type.js';
import { rowSerde } from './serdes.js';
import type { ProcessingLog, ProcessingLogEntry, ProcessingLogType } from './processing-log.js';

const S = SqlTypes.STRING;
const field = (name: string, type: SqlType) => ({ name, type });
const causes = SqlTypes.array(S);

export const PROCESSING_LOG_MESSAGE_TYPE = SqlTypes.struct([
  field('TYPE', SqlTypes.INTEGER),
  field('DESERIALIZATIONERROR', SqlTypes.struct([
    field('TARGET', S), field('ERRORMESSAGE', S), field('RECORDB64', S), field('CAUSE', causes), field('TOPIC', S),
  ])),
  field('RECORDPROCESSINGERROR', SqlTypes.struct([field('ERRORMESSAGE', S), field('RECORD', S), field('CAUSE', causes)])),
  field('PRODUCTIONERROR', SqlTypes.struct([field('ERRORMESSAGE', S)])),
  field('SERIALIZATIONERROR', SqlTypes.struct([
    field('TARGET', S), field('ERRORMESSAGE', S), field('RECORD', S), field('CAUSE', causes), field('TOPIC', S),
  ])),
  field('KAFKASTREAMSTHREADERROR', SqlTypes.struct([field('ERRORMESSAGE', S), field('THREADNAME', S), field('CAUSE', causes)])),
]);

export const PROCESSING_LOG_SCHEMA: LogicalSchema = {
  columns: [
    { name: 'LOGGER', type: S, namespace: 'VALUE' },
    { name: 'LEVEL', type: S, namespace: 'VALUE' },
    { name: 'TIME', type: SqlTypes.BIGINT, namespace: 'VALUE' },
    { name: 'MESSAGE', type: PROCESSING_LOG_MESSAGE_TYPE, namespace: 'VALUE' },
  ],
};

const TYPE_CODE: Record<ProcessingLogType, number> = {
  DESERIALIZATION_ERROR: 0, RECORD_PROCESSING_ERROR: 1, PRODUCTION_ERROR: 2, SERIALIZATION_ERROR: 3,
};

export interface ProcessingLogStreamConfig {
  readonly topic: string;
  readonly streamName: string;
  readonly partitions: number;
  readonly replicas: number;
}

export function processingLogStreamConfig(config: Readonly<Record<string, unknown>>): ProcessingLogStreamConfig {
  const serviceId = String(config['ksql.service.id'] ?? 'default_');
  return {
    topic: String(config['ksql.logging.processing.topic.name'] ?? `${serviceId}ksql_processing_log`),
    streamName: String(config['ksql.logging.processing.stream.name'] ?? 'KSQL_PROCESSING_LOG'),
    partitions: Number(config['ksql.logging.processing.topic.partitions'] ?? 1),
    replicas: Number(config['ksql.logging.processing.topic.replication.factor'] ?? 1),
  };
}

/** The row (LOGGER, LEVEL, TIME, MESSAGE) of one entry. */
export function processingLogRow(e: ProcessingLogEntry): unknown[] {
  const type = TYPE_CODE[e.type];
  const record = e.record ?? null;
  const message: Record<string, unknown> = {
    TYPE: type, DESERIALIZATIONERROR: null, RECORDPROCESSINGERROR: null, PRODUCTIONERROR: null, SERIALIZATIONERROR: null,
    KAFKASTREAMSTHREADERROR: null,
  };
  switch (e.type) {
    case 'DESERIALIZATION_ERROR':
      message.DESERIALIZATIONERROR = {
        TARGET: 'value', ERRORMESSAGE: e.message, RECORDB64: record === null ? null : Buffer.from(record, 'utf8').toString('base64'),
        CAUSE: [], TOPIC: e.topic ?? null,
      };
      break;
    case 'RECORD_PROCESSING_ERROR':
      message.RECORDPROCESSINGERROR = { ERRORMESSAGE: e.message, RECORD: record, CAUSE: [] };
      break;
    case 'PRODUCTION_ERROR':
      message.PRODUCTIONERROR = { ERRORMESSAGE: e.message };
      break;
    case 'SERIALIZATION_ERROR':
      message.SERIALIZATIONERROR = { TARGET: 'value', ERRORMESSAGE: e.message, RECORD: record, CAUSE: [], TOPIC: e.topic ?? null };
      break;
  }
  return [`processing.${e.queryId}`, 'ERROR', e.time, message];
}

/**
 * Registers the processing-log stream (unless one of that name exists) and starts copying entries to
 * its topic. Returns a function that stops the copying. Failures to write are dropped: the processing
 * log must never stop a query.
 */
export function attachProcessingLogStream(
  log: ProcessingLog, topics: Topics, metaStore: MetaStore, config: Readonly<Record<string, unknown>>,
): () => void {
  const cfg = processingLogStreamConfig(config);
  const source: DataSource = {
    name: cfg.streamName, kind: 'STREAM', schema: PROCESSING_LOG_SCHEMA, topic: cfg.topic,
    keyFormat: { format: 'KAFKA', properties: {}, features: [] },
    valueFormat: { format: 'JSON', properties: {}, features: [] },
    isSource: false, isSink: false,
    sqlText: `CREATE STREAM ${cfg.streamName} WITH (KAFKA_TOPIC='${cfg.topic}', VALUE_FORMAT='JSON');`,
  };
  if (!metaStore.getSource(cfg.streamName)) metaStore.putSource(source);
  const serde = rowSerde(source.valueFormat, PROCESSING_LOG_SCHEMA.columns, 'value');
  let chain: Promise<unknown> = Promise.resolve();
  let created = false;
  const write = async (value: Buffer, timestamp: number): Promise<void> => {
    if (!created) {
      if (!(await topics.describeTopic(cfg.topic))) await topics.createTopic(cfg.topic, { partitions: cfg.partitions, replicas: cfg.replicas });
      created = true;
    }
    await topics.append(cfg.topic, 0, [{ key: null, value, timestamp, headers: [] }]);
  };
  return log.subscribe((entry) => {
    let value: Buffer;
    try {
      value = serde.serialize(processingLogRow(entry)) as Buffer;
    } catch {
      return;
    }
    chain = chain.then(() => write(value, entry.time)).catch(() => undefined);
  });
}
