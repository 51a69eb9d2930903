/** Event-time extraction: the record timestamp, or the TIMESTAMP column (BIGINT, TIMESTAMP or formatted STRING). */
import type { SourceStep } from '../../physical/steps.js';
import type { ConsumedRecord } from '../../topics/topics.js';
import { KsqlException } from '../../errors/index.js';
import { parseTimestampWithFormat } from '../../functions/datetime.js';

export type TimestampExtractor = (row: unknown[], record: ConsumedRecord) => number;

export function timestampExtractor(step: SourceStep, nKey: number): TimestampExtractor {
  const tsCol = step.timestampColumn;
  if (!tsCol) return (_row, record) => record.timestamp;
  const idx = step.schema.columns.findIndex((c) => c.name === tsCol.column && c.role !== 'PSEUDO');
  if (idx < 0) throw new KsqlException(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${tsCol.column}'`);
  void nKey;
  const type = step.schema.columns[idx]!.type.base;
  if (type === 'STRING') {
    const pattern = tsCol.format;
    if (!pattern) throw new KsqlException(`Timestamp column, \`${tsCol.column}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`);
    return (row) => {
      const v = row[idx];
      if (v === null || v === undefined) return -1;
      return parseTimestampWithFormat(v as string, pattern);
    };
  }
  return (row) => {
    const v = row[idx];
    if (v === null || v === undefined) return -1;
    return Number(v);
  };
}
