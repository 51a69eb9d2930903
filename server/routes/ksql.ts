/** POST /ksql: runs a script of non-query statements (reference §1.5). */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, parseScript, type Engine, type ParsedStatement } from '../../engine/index.js';
import { genericError, statementError, toEntity } from '../entities.js';

interface KsqlRequest {
  ksql?: string;
  streamsProperties?: Record<string, unknown>;
  sessionVariables?: Record<string, unknown>;
  commandSequenceNumber?: number;
}

const QUERY_ENDPOINT_MESSAGE = "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

export function registerKsqlRoute(app: FastifyInstance, engine: Engine, nextSequence: () => number): void {
  app.post('/ksql', async (req, reply) => {
    const body = (req.body ?? {}) as KsqlRequest;
    const text = typeof body.ksql === 'string' ? body.ksql : '';
    const variables = Object.fromEntries(Object.entries(body.sessionVariables ?? {}).map(([k, v]) => [k, String(v)]));
    let statements: ParsedStatement[];
    try {
      statements = parseScript(text, { variables });
    } catch (e) {
      const err = statementError(e, text, []);
      return reply.code(err.status).type('application/json').send(err.body);
    }
    if (statements.some((s) => s.statement.kind === 'Query' || s.statement.kind === 'Print')) {
      return reply.code(400).type('application/json').send({
        '@type': 'statement_error', error_code: ErrorCode.QUERY_ENDPOINT, message: QUERY_ENDPOINT_MESSAGE, statementText: text, entities: [],
      });
    }
    const entities: unknown[] = [];
    const props: Record<string, unknown> = { ...(body.streamsProperties ?? {}) };
    for (const s of statements) {
      const st = s.statement;
      if (st.kind === 'SetProperty') { props[st.name] = st.value; continue; }
      if (st.kind === 'UnsetProperty') { delete props[st.name]; continue; }
      try {
        const result = await engine.execute(s, props);
        const entity = toEntity(result, s.text, result.kind === 'status' ? nextSequence() : -1);
        if (entity) entities.push(entity);
      } catch (e) {
        const err = statementError(e, s.text, entities);
        return reply.code(err.status).type('application/json').send(err.body);
      }
    }
    return reply.code(200).type('application/json').send(entities);
  });
  app.setErrorHandler((error, _req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const code = status === 400 ? ErrorCode.BAD_REQUEST : ErrorCode.SERVER_ERROR;
    reply.code(status).type('application/json').send(genericError(code, error instanceof Error ? error.message : String(error)));
  });
}
