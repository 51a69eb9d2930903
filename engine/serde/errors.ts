/**
 * Serde errors. ksqlDB raises Kafka's `SerializationException` for bad data, which the processing log
 * records before the record is skipped; Sluice uses one class for both directions.
 */
import { KsqlException } from '../errors/index.js';

/** Bad data: bytes that do not match the schema, or a value the format cannot write. */
export class SerdeException extends KsqlException {}

/** A schema or WITH property that a format cannot handle (raised while planning, not per record). */
export class FormatException extends KsqlException {}
