/**
 * Which property overrides a request may carry (`streamsProperties`, SET, `/is_valid_property`):
 * ksqlDB accepts ksql.* properties and Kafka Streams / consumer / producer properties, rejects a
 * deny list of server-only ones, and rejects names it does not recognise.
 */
const DENIED = new Set([
  'ksql.service.id', 'ksql.internal.topic.replicas', 'ksql.sink.replicas', 'bootstrap.servers', 'listeners',
  'ksql.connect.url', 'ksql.schema.registry.url', 'ksql.persistent.prefix', 'ksql.transient.prefix',
  'ksql.query.push.v2.enabled.deny', 'ksql.extension.dir', 'ksql.security.extension.class',
]);

const STREAMS_AND_CLIENT = new Set([
  'auto.offset.reset', 'cache.max.bytes.buffering', 'commit.interval.ms', 'num.stream.threads', 'processing.guarantee',
  'buffered.records.per.partition', 'max.task.idle.ms', 'task.timeout.ms', 'fetch.min.bytes', 'fetch.max.wait.ms',
  'max.poll.records', 'max.poll.interval.ms', 'session.timeout.ms', 'heartbeat.interval.ms', 'request.timeout.ms',
  'linger.ms', 'batch.size', 'acks', 'compression.type', 'retries', 'retry.backoff.ms', 'client.id', 'state.dir',
  'default.deserialization.exception.handler', 'default.production.exception.handler', 'topology.optimization',
  'replication.factor', 'statestore.cache.max.bytes', 'isolation.level', 'enable.auto.commit',
]);

/** Returns an error message for a property a client may not override, or undefined when allowed. */
export function propertyProblem(name: string): string | undefined {
  const bare = name.startsWith('ksql.streams.') ? name.slice('ksql.streams.'.length) : name;
  if (DENIED.has(name)) {
    return `One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${name}]`;
  }
  if (name.startsWith('ksql.') || STREAMS_AND_CLIENT.has(bare) || /^(consumer|producer|main\.consumer|restore\.consumer|global\.consumer|admin)\./.test(bare)) {
    return undefined;
  }
  return `Not recognizable as ksql, streams, consumer, or producer property: '${name}'`;
}
