/**
 * Changelog topics for task state as a `StateBackend` wrapper (DESIGN.md, "Commit" and "State"):
 * every task it opens is a `ChangelogTaskState` (engine/state/changelog.ts, which documents the
 * topics, record format and restore) in 'direct' mode: changes are appended to the changelogs at
 * commit, before the local atomic commit (at-least-once), and a task with no local state restores
 * from them. Source offsets are also committed to the query's consumer group after the local commit,
 * so an instance without the local state continues from the group's position.
 *
 *   const state = new ChangelogStateBackend(createRocksStateBackend(dir), { topics, serviceId, partitions });
 *
 * The query runner uses the same wrapper per task when given `changelog` options instead, which
 * also names the stores as ksqlDB does (from the plan) and, in embedded mode, writes the changelogs
 * through the task's exactly-once outbox.
 */
import type { StateBackend, TaskState } from '../../state/stores.js';
import type { Topics } from '../topics.js';
import { ChangelogTaskState } from '../../state/changelog.js';

export { CHECKPOINT_KEY, changelogTopic } from '../../state/changelog.js';

export interface ChangelogOptions {
  readonly topics: Topics;
  readonly serviceId: string;
  /** Tasks of a query = partitions of its changelog topics (the source partition count). */
  partitions(queryId: string): number | Promise<number>;
  /** Replication factor of created changelog topics; default 1. */
  readonly replicas?: number;
  /** Whether `commit` also commits the source offsets to the query's consumer group; default true (see ChangelogTaskOptions). */
  readonly commitGroupOffsets?: boolean;
}

export class ChangelogStateBackend implements StateBackend {
  constructor(private readonly inner: StateBackend, private readonly opts: ChangelogOptions) {}

  async openTask(queryId: string, taskId: string): Promise<TaskState> {
    // A store lives in one sub-topology, so its changelog partition is the task's partition.
    const partition = Number(taskId.slice(taskId.lastIndexOf('_') + 1));
    if (!Number.isInteger(partition) || partition < 0) throw new Error(`Changelogged task ids are '<partition>' or '<subtopology>_<partition>', got '${taskId}'`);
    const inner = await this.inner.openTask(queryId, taskId);
    try {
      return await ChangelogTaskState.open(inner, {
        topics: this.opts.topics, serviceId: this.opts.serviceId, queryId, partition, mode: 'direct',
        partitions: () => this.opts.partitions(queryId),
        ...(this.opts.replicas !== undefined ? { replicas: this.opts.replicas } : {}),
        ...(this.opts.commitGroupOffsets !== undefined ? { commitGroupOffsets: this.opts.commitGroupOffsets } : {}),
      });
    } catch (e) {
      await inner.close();
      throw e;
    }
  }

  destroyQuery(queryId: string): Promise<void> {
    return this.inner.destroyQuery(queryId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
