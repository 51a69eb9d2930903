/** Wrapping engine results and errors into ksqlDB's REST entity and error shapes (reference §1.4–1.5). */
import { ErrorCode, KsqlStatementException, KsqlException, type StatementResult } from '../engine/index.js';

export interface KsqlEntity extends Record<string, unknown> {
  '@type': string;
  statementText: string;
  warnings: { message: string }[];
}

export function toEntity(result: StatementResult, statementText: string, commandSequenceNumber: number): KsqlEntity | undefined {
  switch (result.kind) {
    case 'none': return undefined;
    case 'status':
      return {
        '@type': 'currentStatus',
        statementText,
        commandId: result.commandId,
        commandStatus: { status: 'SUCCESS', message: result.message, queryId: result.queryId ?? null },
        commandSequenceNumber,
        warnings: [],
      };
    case 'entity': {
      const { '@type': type, ...rest } = result.entity as { '@type': string };
      return { '@type': type, statementText, ...rest, warnings: [] };
    }
  }
}

export function genericError(code: number, message: string) {
  return { '@type': 'generic_error', error_code: code, message };
}

export function statementError(e: unknown, statementText: string, entities: unknown[]) {
  const message = e instanceof KsqlStatementException ? e.unloggedMessage : e instanceof Error ? e.message : String(e);
  const internal = !(e instanceof KsqlException);
  // ASSERT failures carry their own code (41700 → HTTP 417), possibly as the cause of the statement error
  const own = errorCodeOf(e);
  return {
    status: own !== undefined ? Math.floor(own / 100) : internal ? 500 : 400,
    body: {
      '@type': 'statement_error',
      error_code: own ?? (internal ? ErrorCode.SERVER_ERROR : ErrorCode.BAD_STATEMENT),
      message,
      statementText,
      entities,
    },
  };
}

/** A ksqlDB error code carried by a KsqlException (or its cause); other errors' codes (a schema registry's 409, 40401) are not ksqlDB's. */
function errorCodeOf(e: unknown): number | undefined {
  for (let x = e, depth = 0; x instanceof Error && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { errorCode?: unknown }).errorCode;
    if (x instanceof KsqlException && typeof code === 'number' && code >= 10000) return code;
  }
  return undefined;
}
