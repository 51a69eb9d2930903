/**
 * The Sluice server: the engine over the embedded topic log, the REST API (fastify, HTTP/1.1 and
 * h2c on one port), the WebSocket query endpoint and the embedded Kafka-protocol listener.
 *
 * Start: open the log, replay the command topic into a fresh engine (catalog, types and persistent
 * queries come back; queries resume from their committed offsets), then listen. `stop()` answers
 * 503 to new requests, ends push queries, stops persistent queries (each commits what it has
 * processed) and closes the log.
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  Engine, ErrorCode, KafkaTopics, groupAssignment, createRocksStateBackend, ProcessingLog, RunnerQueryHost, createFunctionRegistryWithExtensions,
  setDefaultSchemaRegistry, type MaterializationProvider, type Topics,
} from '../engine/index.js';
import { KafkaListener } from './kafka/index.js';
import { openTopics } from './topics-mode.js';
import { startServerSchemaRegistry } from './schema-registry/index.js';

import { registerErrorHandlers, registerKsqlRoute } from './routes/ksql.js';
import { registerHealthProbes, registerInfoRoutes } from './routes/info.js';
import { registerQueryRoutes } from './routes/query.js';
import { registerInsertsRoute } from './routes/inserts.js';
import { registerTerminateRoute } from './routes/terminate.js';
import { createWsHandler } from './routes/ws.js';
import { createDualServer, type DualServer } from './transport.js';
import { CommandLog, ReplayingHost, commandTopicName, replayCommands } from './command-log.js';
import { PushRegistry } from './push-registry.js';
import { genericError } from './entities.js';
import type { ServerContext } from './context.js';
import { registerConsole } from './console/index.js';

export interface ServerOptions {
  readonly listeners: string;
  /** host:port, or undefined to not start the Kafka listener. */
  readonly kafkaListener?: string;
  readonly dataDir: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Store-backed materializations for pull queries (default: topic-backed). */
  readonly materialization?: MaterializationProvider;
  /** Reports replay problems (default: console.error). */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly restUrl: string;
  readonly kafkaAddress?: string;
  /** The embedded schema registry's API, when served (not with an external `ksql.schema.registry.url`). */
  readonly schemaRegistryUrl?: string;
  readonly engine: Engine;
  readonly topics: Topics;
  /** Number of transient push queries running now. */
  pushQueryCount(): number;
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? ((l: string) => console.error(l));
  const serviceId = String(options.config['ksql.service.id'] ?? 'default_');
  // the embedded log, or a Kafka cluster when bootstrap.servers is set
  const { topics, embedded } = await openTopics(options.config, options.dataDir, serviceId);
  // built-ins plus the user-defined functions of ksql.extension.dir (a bad module fails startup, naming it)
  const functions = await createFunctionRegistryWithExtensions(options.config);
  const processingLog = new ProcessingLog();
  // Query state (aggregations, materialised tables): one RocksDB per task under <dataDir>/state. Every
  // store change also goes to the store's changelog topic (ksqlDB's names), from which a task without
  // local state restores: through the exactly-once outbox on the embedded log, appended before the
  // local commit (at-least-once) on Kafka.
  const state = createRocksStateBackend(options.dataDir);
  const changelog = embedded ? 'outbox' as const : 'direct' as const;
  // the embedded schema registry (or a client of ksql.schema.registry.url) for AVRO / PROTOBUF / JSON_SR
  const registry = await startServerSchemaRegistry(options.config, options.dataDir, options.listeners);
  const schemaRegistry = registry.client;
  setDefaultSchemaRegistry(schemaRegistry);
  // Kafka mode: the instances with this service id share each query's tasks through its consumer group.
  // (the consumer settings by their ksqlDB names; max.poll.interval.ms is the rebalance timeout, as in Kafka's consumer)
  const ms = (name: string): number | undefined => {
    const v = options.config[`ksql.streams.${name}`] ?? options.config[name];
    return v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
  };
  const timing = Object.fromEntries(Object.entries({
    sessionTimeoutMs: ms('session.timeout.ms'), heartbeatIntervalMs: ms('heartbeat.interval.ms'), rebalanceTimeoutMs: ms('max.poll.interval.ms'),
  }).filter(([, v]) => v !== undefined));
  const assignment = topics instanceof KafkaTopics ? groupAssignment(topics, { log, ...timing }) : undefined;
  const runner = new RunnerQueryHost({ topics, functions, processingLog, serviceId, state, changelog, schemaRegistry, ...(assignment ? { assignment } : {}) });
  const host = new ReplayingHost(runner);
  const engine: Engine = new Engine({ topics, functions, host, config: options.config, processingLog, schemaRegistry });
  const commands = new CommandLog(topics, commandTopicName(serviceId));
  const recorded = await commands.open();
  const failures = await replayCommands(engine, commands, recorded, host);
  for (const f of failures) log(`Could not replay ${f}`);

  let kafka: KafkaListener | undefined;
  if (options.kafkaListener && embedded) {
    const [h, p] = splitHostPort(options.kafkaListener);
    kafka = await KafkaListener.start({ topics: embedded, host: h, port: p });
  }

  const url = new URL(options.listeners);
  const sc: ServerContext = {
    engine, commands, serviceId, kafkaClusterId: 'sluice-embedded',
    pushQueries: new PushRegistry(Number(options.config['ksql.max.push.queries'] ?? 1000)),
    maxBufferedBytes: Number(options.config['sluice.push.max.buffered.bytes'] ?? 4 * 1024 * 1024),
    ...(options.materialization ? { materialization: options.materialization } : {}),
    advertised: `${url.hostname}:${url.port || 8088}`,
    state: 'READY',
  };

  let dual: DualServer | undefined;
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: 32 * 1024 * 1024,
    serverFactory: (handler) => {
      dual = createDualServer(handler);
      return dual.http1;
    },
  });
  // Bodies are JSON whatever their Content-Type (ksqlDB parses them as JSON); an empty body is {}.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = new Error(`Invalid JSON in request: ${(e as Error).message}`) as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  registerErrorHandlers(app);
  registerHealthProbes(app);
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/chc/')) return;
    if (sc.state === 'TERMINATING') return reply.code(503).type('application/json').send(genericError(ErrorCode.SHUTTING_DOWN, 'The server is shutting down'));
    if (sc.state === 'TERMINATED') return reply.code(503).type('application/json').send(genericError(ErrorCode.SHUT_DOWN, 'The server is shut down'));
    if (sc.state === 'INITIALIZING') return reply.code(503).type('application/json').send(genericError(ErrorCode.NOT_READY, 'Server initializing'));
    return undefined;
  });
  registerInfoRoutes(app, sc);
  registerKsqlRoute(app, sc);
  registerTerminateRoute(app, sc);
  registerQueryRoutes(app, sc);
  registerInsertsRoute(app, sc);
  registerConsole(app);
  const ws = createWsHandler(sc);
  await app.ready();
  dual!.http1.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!ws.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await app.listen({ host: url.hostname, port: Number(url.port || 8088) });
  const addr = dual!.http1.address();
  const port = typeof addr === 'object' && addr ? addr.port : Number(url.port);
  sc.advertised = `${url.hostname}:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    restUrl: `http://${url.hostname === '0.0.0.0' ? '127.0.0.1' : url.hostname}:${port}`,
    ...(kafka ? { kafkaAddress: kafka.bootstrap } : {}),
    ...(registry.url ? { schemaRegistryUrl: registry.url } : {}),
    engine,
    topics,
    pushQueryCount: () => sc.pushQueries.size,
    stop() {
      stopped ??= (async () => {
        sc.state = 'TERMINATING';
        sc.pushQueries.closeAll();
        ws.close();
        await new Promise((r) => setTimeout(r, 20));
        dual?.destroyConnections();
        await app.close();
        await runner.stopAll();
        await state.close();
        await kafka?.close();
        await registry.close();
        await topics.close();
        sc.state = 'TERMINATED';
      })();
      return stopped;
    },
  };
}

export function splitHostPort(s: string): [string, number] {
  const i = s.lastIndexOf(':');
  return [s.slice(0, i) || '0.0.0.0', Number(s.slice(i + 1))];
}
