/**
 * POST /ksql/terminate `{"deleteTopicList": [...]}` (ksqlDB's KsqlResource.terminateCluster and
 * ClusterTerminator): terminates all queries, drops all sources, deletes the topics of sources whose
 * topic matches a listed name or regex (and their schema subjects) and the command topic, then the
 * server answers every further request with 503 "The server is shut down".
 *
 * ksqlDB distributes TERMINATE CLUSTER through the command topic and answers before the command
 * finishes, with the queued status; Sluice terminates before answering but keeps that entity.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, topicPattern } from '../../engine/index.js';
import { genericError } from '../entities.js';
import type { ServerContext } from '../context.js';
import { serialized } from './ksql.js';

export const TERMINATE_CLUSTER_STATEMENT_TEXT = 'TERMINATE CLUSTER;';

export function registerTerminateRoute(app: FastifyInstance, sc: ServerContext): void {
  app.post('/ksql/terminate', async (req, reply) => {
    const send = (status: number, payload: unknown) => reply.code(status).type('application/json').send(payload);
    const list = ((req.body ?? {}) as { deleteTopicList?: unknown }).deleteTopicList ?? [];
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
      return send(400, genericError(ErrorCode.BAD_REQUEST, 'deleteTopicList must be a list of topic names or patterns'));
    }
    const patterns: RegExp[] = [];
    for (const p of list as string[]) {
      try {
        patterns.push(topicPattern(p));
      } catch {
        return send(400, genericError(ErrorCode.BAD_REQUEST, `Invalid pattern: ${p}`));
      }
    }
    let seq: number;
    try {
      seq = await serialized(async () => {
        const n = sc.commands.nextSequence;
        sc.state = 'TERMINATING';
        sc.pushQueries.closeAll();
        await sc.engine.terminateCluster(patterns);
        await sc.engine.topics.deleteTopic(sc.commands.topic);
        sc.state = 'TERMINATED';
        return n;
      });
    } catch (e) {
      // Partly terminated: stay up so that the request can be repeated.
      sc.state = 'READY';
      return send(500, { ...genericError(ErrorCode.SERVER_ERROR, (e as Error).message), statementText: TERMINATE_CLUSTER_STATEMENT_TEXT, entities: [] });
    }
    return send(200, [{
      '@type': 'currentStatus',
      statementText: TERMINATE_CLUSTER_STATEMENT_TEXT,
      commandId: 'cluster/TerminateCluster/terminate',
      commandStatus: { status: 'QUEUED', message: 'Statement written to command topic', queryId: null },
      commandSequenceNumber: seq,
      warnings: [],
    }]);
  });
}
