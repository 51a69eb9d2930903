/**
 * The schema registry of a Sluice server: the embedded one (in-process, journaled under the data
 * directory, served with Confluent's REST API on its own listener, `sluice.schema.registry.listener`,
 * default http://0.0.0.0:8081), or a client of the external registry at `ksql.schema.registry.url`.
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpSchemaRegistryClient, type InMemorySchemaRegistry, type SchemaRegistryClient } from '../../engine/index.js';
import { JournaledSchemaRegistry } from './journal.js';
import { registerSchemaRegistryRoutes } from './routes.js';

export { registerSchemaRegistryRoutes } from './routes.js';
export { JournaledSchemaRegistry } from './journal.js';

export const SR_LISTENER_CONFIG = 'sluice.schema.registry.listener';
export const DEFAULT_SR_LISTENER = 'http://0.0.0.0:8081';

export interface ServerSchemaRegistry {
  readonly client: SchemaRegistryClient;
  /** URL of the embedded registry's API, when it is served. */
  readonly url?: string;
  close(): Promise<void>;
}

/** Serves `sr` with the registry API at `listener` (`http://host:port`; port 0 picks a free one). */
export async function serveSchemaRegistry(sr: InMemorySchemaRegistry, listener: string): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify({ logger: false });
  registerSchemaRegistryRoutes(app, sr);
  const u = new URL(listener);
  await app.listen({ host: u.hostname, port: Number(u.port || 8081) });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : Number(u.port);
  const host = u.hostname === '0.0.0.0' ? '127.0.0.1' : u.hostname;
  return { url: `http://${host}:${port}`, app };
}

/**
 * `restListener` is the REST API's listener: by default the registry listens on the same host at
 * port 8081, or on a free port when the REST API asked for one (port 0, as tests do).
 */
export async function startServerSchemaRegistry(
  config: Readonly<Record<string, unknown>>, dataDir: string, restListener?: string,
): Promise<ServerSchemaRegistry> {
  const external = config['ksql.schema.registry.url'];
  if (typeof external === 'string' && external.trim() !== '') {
    const auth = config['ksql.schema.registry.basic.auth.user.info'];
    const client = new HttpSchemaRegistryClient({ url: external.split(',')[0]!.trim(), ...(typeof auth === 'string' ? { basicAuth: auth } : {}) });
    return { client, close: async () => {} };
  }
  const sr = new JournaledSchemaRegistry(join(dataDir, 'schemas.jsonl'));
  let fallback = DEFAULT_SR_LISTENER;
  if (restListener) {
    const u = new URL(restListener);
    fallback = `${u.protocol}//${u.hostname}:${u.port === '0' ? 0 : 8081}`;
  }
  const listener = String(config[SR_LISTENER_CONFIG] ?? fallback);
  if (listener === '' || listener === 'none') return { client: sr, close: async () => {} };
  const { url, app } = await serveSchemaRegistry(sr, listener);
  return { client: sr, url, close: () => app.close() };
}
