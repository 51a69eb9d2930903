/**
 * Where a Sluice workload runs. Embedded mode: the real server (`startServer`) in this process,
 * statements through REST `/ksql`, data written to and read from its embedded log directly.
 * Kafka mode: an engine whose topics are a Kafka client (kafkajs) connected to the bench broker
 * (Sluice's embedded Kafka listener in another process), built only from the engine's public API.
 */
import { join } from 'node:path';
import * as engineApi from '../../engine/index.js';
import { Engine, ProcessingLog, RunnerQueryHost, createFunctionRegistry, parseScript, type Topics } from '../../engine/index.js';
import { startServer } from '../../server/app.js';
import { StatementError, isNotSupported, type SluiceTarget } from './sluice-runner.js';

/** A feature the workload needs has not landed: reported as "not available", never skipped silently. */
export class NotAvailable extends Error {}

export async function postKsql(restUrl: string, sql: string, properties: Record<string, unknown> = {}): Promise<unknown> {
  const res = await fetch(`${restUrl}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql, streamsProperties: properties }),
  });
  const body = (await res.json().catch(() => ({}))) as { message?: string };
  if (res.status !== 200) {
    const message = body.message ?? `HTTP ${res.status}`;
    throw new StatementError(message, isNotSupported(message) || res.status === 404);
  }
  return body;
}

export async function embeddedTarget(dataDir: string): Promise<SluiceTarget> {
  const server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir, config: {} });
  return {
    topics: server.engine.topics,
    engine: server.engine,
    execute: async (sql, props) => { await postKsql(server.restUrl, sql, props); },
    close: () => server.stop(),
  };
}

interface KafkaTopicsClass {
  connect(opts: { brokers: string; clientId?: string }): Promise<Topics>;
}

interface StateBackendFactory {
  (dataDir: string): ConstructorParameters<typeof RunnerQueryHost>[0]['state'];
}

/**
 * Kafka mode through the engine's public API: `KafkaTopics` (branch kafka-mode) under the same
 * Engine + RunnerQueryHost the server uses, with RocksDB state when the engine exports a backend.
 */
export async function kafkaTarget(bootstrap: string, dataDir: string): Promise<SluiceTarget> {
  const api = engineApi as unknown as Record<string, unknown>;
  const KafkaTopics = api.KafkaTopics as KafkaTopicsClass | undefined;
  if (!KafkaTopics) throw new NotAvailable('the engine does not export KafkaTopics yet (Kafka mode is on branch kafka-mode)');
  const topics = await KafkaTopics.connect({ brokers: bootstrap, clientId: 'sluice-bench' });
  const functions = createFunctionRegistry();
  const processingLog = new ProcessingLog();
  const makeState = api.createRocksStateBackend as StateBackendFactory | undefined;
  const state = makeState ? makeState(join(dataDir, 'state')) : undefined;
  const host = new RunnerQueryHost({ topics, functions, processingLog, serviceId: 'bench_', ...(state ? { state } : {}) });
  const engine = new Engine({ topics, functions, host, processingLog, config: {} });
  return {
    topics,
    engine,
    async execute(sql, props = {}) {
      for (const s of parseScript(sql)) {
        try {
          await engine.execute(s, props);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          throw new StatementError(message, isNotSupported(message));
        }
      }
    },
    async close() {
      await host.stopAll();
      await topics.close();
    },
  };
}
