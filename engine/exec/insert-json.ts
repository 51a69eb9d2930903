/**
 * Appends one row given as a JSON object (column name → value, case-insensitive) to a stream's
 * topic: the `/inserts-stream` path. Values are coerced to the column types by the JSON serde, then
 * written with the source's own key and value formats.
 */
import { KsqlException } from '../errors/index.js';
import type { DataSource } from '../catalog/source.js';
import { keyColumns, serializedValueColumns } from '../catalog/schema.js';
import { rowSerde } from '../runtime/serdes.js';
import { partitionForKey } from '../topics/partitioner.js';
import type { Engine } from '../engine.js';

export async function insertJsonRow(engine: Engine, source: DataSource, row: Readonly<Record<string, unknown>>): Promise<void> {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new KsqlException('Invalid JSON in inserts stream');
  const keys = keyColumns(source.schema);
  const values = serializedValueColumns(source.schema);
  const asJson = { format: 'JSON', properties: {}, features: ['WRAP_SINGLES'] as const };
  const text = Buffer.from(JSON.stringify(row));
  const keyValues = keys.length ? (rowSerde(asJson, keys, 'value').deserialize(text) ?? keys.map(() => null)) : [];
  const valueValues = values.length ? (rowSerde(asJson, values, 'value').deserialize(text) ?? values.map(() => null)) : [];
  const keyBytes = keys.length === 0 ? null : rowSerde(source.keyFormat, keys, 'key').serialize(keyValues);
  const valueBytes = rowSerde(source.valueFormat, values, 'value').serialize(valueValues);
  const desc = await engine.topics.describeTopic(source.topic);
  const partition = partitionForKey(keyBytes, desc?.partitions ?? 1);
  await engine.topics.append(source.topic, partition, [{ key: keyBytes, value: valueBytes, timestamp: Date.now(), headers: [] }]);
}
