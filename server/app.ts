/**
 * The Sluice server: the engine over the embedded topic log, the REST API (fastify) and the
 * embedded Kafka-protocol listener. `startServer` resolves once every listener is up.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Engine, EmbeddedTopics, ProcessingLog, RunnerQueryHost, createFunctionRegistryWithExtensions, createRocksStateBackend } from '../engine/index.js';
import { KafkaListener } from './kafka/index.js';
import { registerKsqlRoute } from './routes/ksql.js';
import { registerInfoRoutes } from './routes/info.js';

export interface ServerOptions {
  readonly listeners: string;
  /** host:port, or undefined to not start the Kafka listener. */
  readonly kafkaListener?: string;
  readonly dataDir: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface RunningServer {
  readonly restUrl: string;
  readonly kafkaAddress?: string;
  readonly engine: Engine;
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const topics = await EmbeddedTopics.open({ dir: join(options.dataDir, 'log') });
  // built-ins plus the user-defined functions of ksql.extension.dir (a bad module fails startup, naming it)
  const functions = await createFunctionRegistryWithExtensions(options.config);
  const serviceId = String(options.config['ksql.service.id'] ?? 'default_');
  const processingLog = new ProcessingLog();
  // Query state (aggregations, materialised tables): one RocksDB per task under <dataDir>/state.
  const state = createRocksStateBackend(options.dataDir);
  const host = new RunnerQueryHost({ topics, functions, processingLog, serviceId, state });
  const engine = new Engine({ topics, functions, host, config: options.config, processingLog });

  let kafka: KafkaListener | undefined;
  if (options.kafkaListener) {
    const [host, port] = splitHostPort(options.kafkaListener);
    kafka = await KafkaListener.start({ topics, host, port });
  }

  let sequence = 0;
  const app: FastifyInstance = Fastify({ logger: false });
  registerInfoRoutes(app, { serviceId, kafkaClusterId: 'sluice-embedded' });
  registerKsqlRoute(app, engine, () => sequence++);
  const url = new URL(options.listeners);
  await app.listen({ host: url.hostname, port: Number(url.port || 8088) });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : Number(url.port);

  return {
    restUrl: `http://${url.hostname}:${port}`,
    ...(kafka ? { kafkaAddress: kafka.bootstrap } : {}),
    engine,
    async stop() {
      await app.close();
      await host.stopAll();
      await state.close();
      await kafka?.close();
      await topics.close();
    },
  };
}

export function splitHostPort(s: string): [string, number] {
  const i = s.lastIndexOf(':');
  return [s.slice(0, i) || '0.0.0.0', Number(s.slice(i + 1))];
}
