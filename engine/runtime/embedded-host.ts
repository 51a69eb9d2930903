/** The QueryHost of a server: each persistent query runs as a QueryRunner over the server's topics. */
import type { PersistentQuery, QueryHost } from '../exec/query.js';
import { QueryRunner, type QueryRunnerOptions } from './query-runner.js';

export class RunnerQueryHost implements QueryHost {
  private readonly runners = new Map<string, QueryRunner>();

  constructor(private readonly options: QueryRunnerOptions) {}

  async start(query: PersistentQuery): Promise<void> {
    const runner = new QueryRunner(query, this.options);
    this.runners.set(query.id, runner);
    await runner.start();
  }

  async stop(query: PersistentQuery, options: { cleanup: boolean }): Promise<void> {
    const runner = this.runners.get(query.id);
    this.runners.delete(query.id);
    await runner?.stop();
    if (options.cleanup) await this.options.state?.destroyQuery(query.id);
  }

  /** The runner of a running query (status, lag). */
  runner(queryId: string): QueryRunner | undefined {
    return this.runners.get(queryId);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }
}
