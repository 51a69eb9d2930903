/** `sluice server`: starts the server with embedded defaults and stops cleanly on SIGINT/SIGTERM. */
import { resolve } from 'node:path';
import { startServer } from '../../server/app.js';
import { loadPropertiesFile, propertiesFromEnv } from '../../server/config.js';
import { flag, type ParsedArgs } from '../args.js';

export async function serverCommand(args: ParsedArgs): Promise<undefined> {
  const configFile = flag(args, 'config');
  const fileProps = configFile ? loadPropertiesFile(configFile) : {};
  const config: Record<string, unknown> = { ...propertiesFromEnv(process.env), ...fileProps };
  const listeners = flag(args, 'listeners') ?? (config.listeners as string | undefined) ?? 'http://0.0.0.0:8088';
  const kafkaListener = flag(args, 'kafka-listener') ?? '0.0.0.0:9092';
  const dataDir = resolve(flag(args, 'data-dir') ?? 'data');
  const server = await startServer({ listeners, kafkaListener, dataDir, config });
  console.log(`Sluice server ready
  REST API and web console: ${server.restUrl}
  Kafka listener:           ${server.kafkaAddress ?? 'disabled'}
  Schema registry:          ${server.schemaRegistryUrl ?? String(config['ksql.schema.registry.url'] ?? 'disabled')}
  Data directory:           ${dataDir}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down...`);
    await server.stop();
    console.log('Sluice stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return undefined;
}
