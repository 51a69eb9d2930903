/** Informational endpoints (reference §1.11): /info, /healthcheck, /status, /clusterStatus, /is_valid_property, ... */
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../engine/index.js';
import { genericError } from '../entities.js';
import { propertyProblem } from '../properties.js';
import type { ServerContext } from '../context.js';

export const SERVER_VERSION = '7.6.0';

export function registerInfoRoutes(app: FastifyInstance, sc: ServerContext): void {
  const json = (reply: { type(t: string): { send(b: unknown): unknown } }, body: unknown) => reply.type('application/json').send(body);
  app.get('/info', async (_req, reply) => json(reply, {
    KsqlServerInfo: { version: SERVER_VERSION, kafkaClusterId: sc.kafkaClusterId, ksqlServiceId: sc.serviceId, serverStatus: 'RUNNING' },
  }));
  app.get('/healthcheck', async (_req, reply) => json(reply, {
    isHealthy: sc.state === 'READY',
    details: { metastore: { isHealthy: true }, kafka: { isHealthy: true }, commandRunner: { isHealthy: sc.state === 'READY' } },
    serverState: sc.state,
  }));
  app.get('/status', async (_req, reply) => json(reply, {
    commandStatuses: Object.fromEntries([...sc.commands.statuses].map(([id, s]) => [id, s.status])),
  }));
  app.get('/status/:type/:entity/:action', async (req, reply) => {
    const { type, entity, action } = req.params as { type: string; entity: string; action: string };
    const s = sc.commands.statuses.get(`${type}/${entity}/${action}`);
    if (!s) return reply.code(404).type('application/json').send(genericError(ErrorCode.NOT_FOUND, 'Command not found'));
    return json(reply, s);
  });
  app.get('/clusterStatus', async (_req, reply) => {
    const now = Date.now();
    const activeStandbyPerQuery: Record<string, unknown> = {};
    for (const q of sc.engine.queries.values()) {
      activeStandbyPerQuery[q.id] = {
        activeStores: [], activePartitions: q.sourceTopics.map((topic) => ({ topic, partition: 0 })), standByStores: [], standByPartitions: [],
      };
    }
    return json(reply, {
      clusterStatus: {
        [sc.advertised]: { hostAlive: true, lastStatusUpdateMs: now, activeStandbyPerQuery, hostStoreLags: { stateStoreLags: {}, updateTimeMs: now } },
      },
    });
  });
  app.get('/is_valid_property/:property', async (req, reply) => {
    const { property } = req.params as { property: string };
    const problem = propertyProblem(property);
    if (problem) return reply.code(400).type('application/json').send(genericError(ErrorCode.BAD_REQUEST, problem));
    return json(reply, true);
  });
  app.post('/lag', async (_req, reply) => json(reply, { isOk: true }));
  app.post('/heartbeat', async (_req, reply) => json(reply, { isOk: true }));
  app.get('/v1/metadata', async (_req, reply) => json(reply, { version: SERVER_VERSION, clusterId: metadataId(sc) }));
  app.get('/v1/metadata/id', async (_req, reply) => json(reply, metadataId(sc)));
}

function metadataId(sc: ServerContext) {
  return { id: '', scope: { path: [], clusters: { 'kafka-cluster': sc.kafkaClusterId, 'ksql-cluster': sc.serviceId } } };
}

/** `/chc/*` answer before the server-state check (ksqlDB's router order). */
export function registerHealthProbes(app: FastifyInstance): void {
  app.get('/chc/ready', async (_req, reply) => reply.type('application/json').send({}));
  app.get('/chc/live', async (_req, reply) => reply.type('application/json').send({}));
}
