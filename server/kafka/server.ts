/**
 * The embedded Kafka-protocol listener: a TCP server that lets kafkajs, kcat/librdkafka and other
 * Kafka clients produce to, consume from and form consumer groups over a `BatchLog`
 * (normally `EmbeddedTopics`). Single node: it is every partition's leader, the controller and
 * every group's coordinator.
 *
 *   const listener = await KafkaListener.start({ topics, port: 9092 });
 *   listener.port; // bound port (useful with port 0)
 *   await listener.close();
 */
import { once } from 'node:events';
import * as net from 'node:net';
import type { BatchLog } from '../../engine/topics/index.js';
import { Connection } from './connection.js';
import type { BrokerConfig, BrokerContext, LogLevel } from './context.js';
import { GroupCoordinator } from './group-coordinator.js';

export interface KafkaListenerOptions {
  readonly topics: BatchLog;
  /** Listen address; default 0.0.0.0. */
  readonly host?: string;
  /** Default 9092; 0 picks a free port. */
  readonly port?: number;
  /** Host clients are told to connect to (Metadata, FindCoordinator). Default: `host`, or 127.0.0.1 when listening on a wildcard address. */
  readonly advertisedHost?: string;
  /** Default: the bound port. */
  readonly advertisedPort?: number;
  readonly nodeId?: number;
  readonly clusterId?: string;
  /** auto.create.topics.enable; default true. */
  readonly autoCreateTopics?: boolean;
  /** num.partitions for auto-created topics; default 1. */
  readonly defaultPartitions?: number;
  /** group.initial.rebalance.delay.ms; default 300. */
  readonly groupInitialRebalanceDelayMs?: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms; defaults 6000 / 1800000. */
  readonly groupMinSessionTimeoutMs?: number;
  readonly groupMaxSessionTimeoutMs?: number;
  /** socket.request.max.bytes; default 104857600. */
  readonly maxRequestBytes?: number;
  readonly logger?: (level: LogLevel, message: string) => void;
}

export class KafkaListener {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly broker: BrokerContext;
  private boundPort = 0;
  private producerId = Date.now() % 1_000_000_000;

  private constructor(opts: KafkaListenerOptions) {
    const log = opts.logger ?? (() => {});
    const self = this;
    const config: BrokerConfig = {
      nodeId: opts.nodeId ?? 0,
      clusterId: opts.clusterId ?? 'sluice-embedded',
      autoCreateTopics: opts.autoCreateTopics ?? true,
      defaultPartitions: opts.defaultPartitions ?? 1,
      advertisedHost: () => opts.advertisedHost ?? (!opts.host || opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host),
      advertisedPort: () => opts.advertisedPort ?? self.boundPort,
    };
    const groups = new GroupCoordinator({
      initialRebalanceDelayMs: opts.groupInitialRebalanceDelayMs ?? 300,
      minSessionTimeoutMs: opts.groupMinSessionTimeoutMs ?? 6000,
      maxSessionTimeoutMs: opts.groupMaxSessionTimeoutMs ?? 1_800_000,
      log: (m) => log('info', m),
    });
    this.broker = { topics: opts.topics, config, groups, nextProducerId: () => ++this.producerId, log };
    this.server = net.createServer((socket) => {
      const c = new Connection(socket, this.broker, opts.maxRequestBytes ?? 104_857_600, (closed) => this.connections.delete(closed));
      this.connections.add(c);
    });
    this.server.on('error', (e) => log('error', `listener: ${e.message}`));
  }

  static async start(opts: KafkaListenerOptions): Promise<KafkaListener> {
    const l = new KafkaListener(opts);
    l.server.listen(opts.port ?? 9092, opts.host ?? '0.0.0.0');
    await Promise.race([once(l.server, 'listening'), once(l.server, 'error').then(([e]) => Promise.reject(e as Error))]);
    l.boundPort = (l.server.address() as net.AddressInfo).port;
    return l;
  }

  get port(): number {
    return this.boundPort;
  }

  /** `host:port` as clients should use it (bootstrap.servers). */
  get bootstrap(): string {
    return `${this.broker.config.advertisedHost()}:${this.broker.config.advertisedPort()}`;
  }

  /** Stops accepting, closes client connections and the group coordinator (not the topics). */
  async close(): Promise<void> {
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of [...this.connections]) c.close();
    this.broker.groups.close();
    await closing;
  }
}
