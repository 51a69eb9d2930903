/** Event-time extraction: the record timestamp, or the TIMESTAMP column (BIGINT, TIMESTAMP or formatted STRING). */
import type { SourceStep } from '../../physical/steps.js';
import type { ConsumedRecord } from '../../topics/topics.js';
import type { TimestampColumn } from '../../catalog/source.js';
import type { SqlType } from '../../types/sql-type.js';
import { KsqlException } from '../../errors/index.js';
import { parseTimestampWithFormat } from '../../functions/datetime.js';

export type TimestampExtractor = (row: unknown[], record: ConsumedRecord) => number;

/** Reads a timestamp from row[idx]; -1 for null (the caller drops such records, as ksqlDB does). */
export function columnTimestamp(idx: number, type: SqlType, tsCol: TimestampColumn): (row: unknown[]) => number {
  if (type.base === 'STRING') {
    const pattern = tsCol.format;
    if (!pattern) throw new KsqlException(`Timestamp column, \`${tsCol.column}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`);
    return (row) => {
      const v = row[idx];
      return v === null || v === undefined ? -1 : parseTimestampWithFormat(v as string, pattern);
    };
  }
  return (row) => {
    const v = row[idx];
    return v === null || v === undefined ? -1 : Number(v);
  };
}

export function timestampExtractor(step: SourceStep): TimestampExtractor {
  const tsCol = step.timestampColumn;
  if (!tsCol) return (_row, record) => record.timestamp;
  const idx = step.schema.columns.findIndex((c) => c.name === tsCol.column && c.role !== 'PSEUDO');
  if (idx < 0) throw new KsqlException(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${tsCol.column}'`);
  const extract = columnTimestamp(idx, step.schema.columns[idx]!.type, tsCol);
  return (row) => extract(row);
}
