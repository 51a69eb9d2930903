/** Persistent queries as the engine tracks them, and the host that runs them. */
import type { PhysicalPlan } from '../physical/steps.js';

export type QueryState = 'RUNNING' | 'PAUSED' | 'ERROR' | 'NOT_RUNNING';

export interface PersistentQuery {
  readonly id: string;
  /** The CREATE ... AS SELECT / INSERT INTO statement, as written. */
  readonly statementText: string;
  readonly plan: PhysicalPlan;
  readonly sinkName?: string;
  readonly sinkTopic?: string;
  readonly sourceNames: readonly string[];
  /** Source topics in plan order. */
  readonly sourceTopics: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
  state: QueryState;
}

/**
 * Runs persistent queries. The server's host consumes topics continuously; the test driver's host
 * feeds records by hand. The engine only tells it what to start and stop.
 */
export interface QueryHost {
  start(query: PersistentQuery): Promise<void>;
  stop(query: PersistentQuery, options: { cleanup: boolean }): Promise<void>;
  pause?(query: PersistentQuery): Promise<void>;
  resume?(query: PersistentQuery): Promise<void>;
}
