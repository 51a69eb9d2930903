/** What the routes share: the engine, the command log, running push queries and server limits. */
import type { Engine, MaterializationProvider } from '../engine/index.js';
import type { CommandLog } from './command-log.js';
import type { PushRegistry } from './push-registry.js';

export type ServerState = 'INITIALIZING' | 'READY' | 'TERMINATING' | 'TERMINATED';

export interface ServerContext {
  readonly engine: Engine;
  readonly commands: CommandLog;
  readonly pushQueries: PushRegistry;
  /** Bytes a slow client may leave unread before its push query is dropped. */
  readonly maxBufferedBytes: number;
  readonly materialization?: MaterializationProvider;
  readonly serviceId: string;
  readonly kafkaClusterId: string;
  /** host:port this server advertises (for /clusterStatus and EXPLAIN). */
  advertised: string;
  state: ServerState;
}
