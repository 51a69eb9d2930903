/** GET /info, /healthcheck, /chc/*, / (reference §1.11). */
import type { FastifyInstance } from 'fastify';

export const SERVER_VERSION = '7.6.0';

export function registerInfoRoutes(app: FastifyInstance, info: { serviceId: string; kafkaClusterId: string }): void {
  app.get('/info', async (_req, reply) => reply.type('application/json').send({
    KsqlServerInfo: { version: SERVER_VERSION, kafkaClusterId: info.kafkaClusterId, ksqlServiceId: info.serviceId, serverStatus: 'RUNNING' },
  }));
  app.get('/healthcheck', async (_req, reply) => reply.type('application/json').send({
    isHealthy: true,
    details: { metastore: { isHealthy: true }, kafka: { isHealthy: true }, commandRunner: { isHealthy: true } },
    serverState: 'READY',
  }));
  app.get('/chc/ready', async (_req, reply) => reply.type('application/json').send({}));
  app.get('/chc/live', async (_req, reply) => reply.type('application/json').send({}));
}
