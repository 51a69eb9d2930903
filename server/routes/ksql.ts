/**
 * POST /ksql: runs a script of non-query statements (reference §1.5). The whole script first runs
 * against a sandbox of the engine (ksqlDB's RequestValidator); only when every statement validates
 * does it run for real, so a failing statement leaves no earlier one executed.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, parseScript, type Engine, type ParsedStatement } from '../../engine/index.js';
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
    const result = await serialized(async () => {
      const run = (mode: Mode) => runStatements(sc, mode, statements, { ...(body.streamsProperties ?? {}) }, { ...variables });
      const validated = await run({ engine: sc.engine.sandbox(), validate: true });
      return validated.status === 200 ? run({ engine: sc.engine, validate: false }) : validated;
    });
    return send(result.status, result.body);
  });
}

/**
 * Validation runs the same loop with a sandboxed engine: it writes no command, closes no push
 * query, drops the entities it builds, and a failure answers with none (nothing has run).
 */
interface Mode {
  readonly engine: Engine;
  readonly validate: boolean;
}

async function runStatements(
  sc: ServerContext, mode: Mode, statements: readonly ParsedStatement[], props: Record<string, unknown>, variables: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const { engine } = mode;
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
            if (!mode.validate) sc.pushQueries.close(st.queryId);
            entities.push({ '@type': 'terminate_query', statementText: s.text, queryId: st.queryId, wasTerminated: true, warnings: [] });
            continue;
          }
          break;
        default:
          break;
      }
      const queryNumber = engine.queryNumber;
      const result = await engine.execute(s, props);
      if (mode.validate) continue;
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
      const err = statementError(e, s.text, mode.validate ? [] : entities);
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
