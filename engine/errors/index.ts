/**
 * One error catalogue for the engine (DESIGN.md, style 5).
 *
 * The class hierarchy mirrors ksqlDB's so that tests written against ksqlDB (QTT `expectedException`
 * matches by `instanceof` on Java class names) map one to one:
 *   StreamsException ⊃ KsqlException ⊃ KsqlStatementException ⊃ ParseFailedException.
 * `javaClass` names the ksqlDB class each one stands for.
 */
import type { Span } from '../sql/ast.js';

/** REST error codes (HTTP status × 100 + n), as in ksqlDB's `rest/Errors.java`. */
export const ErrorCode = {
  BAD_REQUEST: 40000,
  BAD_STATEMENT: 40001,
  QUERY_ENDPOINT: 40002,
  TOO_MANY_PUSH_QUERIES: 40003,
  HTTP2_ONLY: 40004,
  INTERNAL_ONLY: 40005,
  NOT_FOUND: 40400,
  ASSERTION_FAILED: 41700,
  SCHEMA_REGISTRY_NOT_CONFIGURED: 42801,
  SERVER_ERROR: 50000,
  COMMAND_QUEUE_TIMEOUT: 50301,
  NOT_READY: 50302,
  SHUTTING_DOWN: 50303,
  SHUT_DOWN: 50304,
} as const;

/** A diagnostic: a stable code, a message and where it happened. */
export interface Diagnostic {
  readonly code: string;
  readonly message: string;
  readonly span?: Span;
}

export class StreamsException extends Error {
  readonly javaClass: string = 'org.apache.kafka.streams.errors.StreamsException';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class KsqlException extends StreamsException {
  override readonly javaClass: string = 'io.confluent.ksql.util.KsqlException';
}

/** A problem with one statement. `unloggedMessage` is the message without the statement appended. */
export class KsqlStatementException extends KsqlException {
  override readonly javaClass: string = 'io.confluent.ksql.util.KsqlStatementException';
  readonly statementText: string;
  readonly unloggedMessage: string;
  readonly span?: Span;
  constructor(message: string, statementText: string, options?: { cause?: unknown; span?: Span }) {
    super(statementText ? `${message}\nStatement: ${statementText}` : message, options);
    this.statementText = statementText;
    this.unloggedMessage = message;
    this.span = options?.span;
  }
}

/** A syntax error. `message` follows ksqlDB: `line L:C: Syntax Error\n<detail>`. */
export class ParseFailedException extends KsqlStatementException {
  override readonly javaClass: string = 'io.confluent.ksql.parser.exception.ParseFailedException';
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic, statementText: string) {
    super(diagnostic.message, statementText, { span: diagnostic.span });
    this.diagnostic = diagnostic;
  }
}

/** Java class names that a QTT `expectedException.type` may name, with the classes that satisfy them. */
export const JAVA_EXCEPTION_HIERARCHY: Readonly<Record<string, readonly string[]>> = {
  'io.confluent.ksql.parser.exception.ParseFailedException': ['io.confluent.ksql.parser.exception.ParseFailedException'],
  'io.confluent.ksql.util.KsqlStatementException': [
    'io.confluent.ksql.util.KsqlStatementException',
    'io.confluent.ksql.parser.exception.ParseFailedException',
  ],
  'io.confluent.ksql.util.KsqlException': [
    'io.confluent.ksql.util.KsqlException',
    'io.confluent.ksql.util.KsqlStatementException',
    'io.confluent.ksql.parser.exception.ParseFailedException',
  ],
};

/** Whether `error` is an instance of the Java exception class `javaClass` (by ksqlDB's hierarchy). */
export function isInstanceOfJavaClass(error: unknown, javaClass: string): boolean {
  if (javaClass === 'java.lang.RuntimeException' || javaClass === 'java.lang.Exception' || javaClass === 'java.lang.Throwable') return true;
  if (!(error instanceof StreamsException)) return false;
  if (javaClass === 'org.apache.kafka.streams.errors.StreamsException') return true;
  return (JAVA_EXCEPTION_HIERARCHY[javaClass] ?? [javaClass]).includes(error.javaClass);
}

/** An ASSERT statement whose condition does not hold (REST status 417, error code 41700). */
export class AssertionFailedException extends KsqlException {
  readonly errorCode: number = ErrorCode.ASSERTION_FAILED;
}
