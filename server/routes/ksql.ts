/** POST /ksql: runs a script of non-query statements (reference §1.5). */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, parseScript, type ParsedStatement } from '../../engine/index.js';
import { genericError, statementError, toEntity, type KsqlEntity } from '../entities.js';
import { isDistributed } from '../command-log.js';
import { propertyProblem } from '../properties.js';
import type { ServerContext } from '../context.js';

interface KsqlRequest {
  ksql?: string;
  streamsProperties?: Record<string, unknown>;
  sessionVariables?: Record<string, unknown>;
  commandSequenceNumber?: number;
}

const QUERY_ENDPOINT_MESSAGE = "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

/** Statements run one request at a time, so command sequence numbers follow execution order. */
let chain: Promise<unknown> = Promise.resolve();
export function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn, fn);
  chain = next.catch(() => undefined);
  return next;
}

export function registerKsqlRoute(app: FastifyInstance, sc: ServerContext): void {
  app.post('/ksql', async (req, reply) => {
    const body = (req.body ?? {}) as KsqlRequest;
    const send = (status: number, payload: unknown) => reply.code(status).type('application/json').send(payload);
    if (typeof body.commandSequenceNumber === 'number' && body.commandSequenceNumber > sc.commands.lastSequence) {
      // Commands run synchronously here, so a sequence number ahead of the log never arrives.
      await chain;
      if (body.commandSequenceNumber > sc.commands.lastSequence) {
        return send(503, genericError(ErrorCode.COMMAND_QUEUE_TIMEOUT,
          `Timed out while waiting for a previous command to execute. command sequence number: ${body.commandSequenceNumber}`));
      }
    }
    for (const name of Object.keys(body.streamsProperties ?? {})) {
      const problem = propertyProblem(name);
      if (problem) return send(400, genericError(ErrorCode.BAD_REQUEST, problem));
    }
    const text = typeof body.ksql === 'string' ? body.ksql : '';
    const variables = Object.fromEntries(Object.entries(body.sessionVariables ?? {}).map(([k, v]) => [k, String(v)]));
    let statements: ParsedStatement[];
    try {
      statements = parseScript(text, { variables });
    } catch (e) {
      const err = statementError(e, text, []);
      return send(err.status, err.body);
    }
    if (statements.some((s) => s.statement.kind === 'Query' || s.statement.kind === 'Print')) {
      return send(400, { '@type': 'statement_error', error_code: ErrorCode.QUERY_ENDPOINT, message: QUERY_ENDPOINT_MESSAGE, statementText: text, entities: [] });
    }
    const result = await serialized(() => runStatements(sc, statements, { ...(body.streamsProperties ?? {}) }, { ...variables }));
    return send(result.status, result.body);
  });
}

async function runStatements(
  sc: ServerContext, statements: readonly ParsedStatement[], props: Record<string, unknown>, variables: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const entities: KsqlEntity[] = [];
  const defined = new Map(Object.entries(variables).map(([k, v]) => [k.toUpperCase(), v]));
  for (const s of statements) {
    const st = s.statement;
    try {
      switch (st.kind) {
        case 'SetProperty': {
          const problem = propertyProblem(st.name);
          if (problem) return { status: 400, body: genericError(ErrorCode.BAD_REQUEST, problem) };
          props[st.name] = st.value;
          continue;
        }
        case 'UnsetProperty': delete props[st.name]; continue;
        case 'DefineVariable': defined.set(st.name.toUpperCase(), st.value); continue;
        case 'UndefineVariable':
          if (!defined.delete(st.name.toUpperCase())) {
            entities.push({ '@type': 'warning_entity', statementText: s.text, message: `Cannot undefine variable '${st.name}' which was never defined`, warnings: [] });
          }
          continue;
        case 'Show':
          if (st.what === 'VARIABLES') {
            entities.push({
              '@type': 'variables', statementText: s.text,
              variables: [...defined].map(([name, value]) => ({ name, value })), warnings: [],
            });
            continue;
          }
          break;
        case 'Terminate':
          if (st.queryId !== undefined && sc.pushQueries.has(st.queryId)) {
            sc.pushQueries.close(st.queryId);
            entities.push({ '@type': 'terminate_query', statementText: s.text, queryId: st.queryId, wasTerminated: true, warnings: [] });
            continue;
          }
          break;
        default:
          break;
      }
      const queryNumber = sc.engine.queryNumber;
      const result = await sc.engine.execute(s, props);
      let seq = -1;
      if (result.kind === 'status' && isDistributed(st)) {
        seq = await sc.commands.append(result.commandId, { statement: s.text, streamsProperties: props, queryNumber }, {
          status: 'SUCCESS', message: result.message, queryId: result.queryId ?? null,
        });
      } else if (result.kind === 'status') {
        seq = sc.commands.lastSequence;
      }
      const entity = toEntity(result, s.text, seq);
      if (entity) entities.push(entity);
    } catch (e) {
      const err = statementError(e, s.text, entities);
      return { status: err.status, body: err.body };
    }
  }
  return { status: 200, body: entities };
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, _req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const code = status === 400 ? ErrorCode.BAD_REQUEST : status * 100;
    reply.code(status).type('application/json').send(genericError(code, error instanceof Error ? error.message : String(error)));
  });
  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).type('text/plain').send('Not Found');
  });
}
