/** Streams and tables registered in the metastore. */
import type { LogicalSchema } from './schema.js';

export type SourceKind = 'STREAM' | 'TABLE';

export type SerdeFeature = 'WRAP_SINGLES' | 'UNWRAP_SINGLES';

export interface FormatInfo {
  /** KAFKA, JSON, DELIMITED, NONE, AVRO, JSON_SR, PROTOBUF, PROTOBUF_NOSR */
  readonly format: string;
  /** Format properties, e.g. `delimiter`, `fullSchemaName`, `schemaId`. */
  readonly properties: Readonly<Record<string, string>>;
  readonly features: readonly SerdeFeature[];
}

export type WindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

export interface WindowInfo {
  readonly type: WindowType;
  /** Window size in ms (absent for session windows). */
  readonly sizeMs?: number;
}

export interface TimestampColumn {
  readonly column: string;
  /** A Java DateTimeFormatter pattern for STRING timestamp columns. */
  readonly format?: string;
}

export interface DataSource {
  readonly name: string;
  readonly kind: SourceKind;
  readonly schema: LogicalSchema;
  readonly topic: string;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  readonly window?: WindowInfo;
  readonly timestampColumn?: TimestampColumn;
  /** CREATE SOURCE STREAM/TABLE: read-only. */
  readonly isSource: boolean;
  /** Created by CSAS/CTAS (as opposed to CREATE STREAM/TABLE on an existing topic). */
  readonly isSink: boolean;
  /** The statement that created it, as written. */
  readonly sqlText: string;
}
