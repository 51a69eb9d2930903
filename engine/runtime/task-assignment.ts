/**
 * Which tasks of a persistent query this instance runs (DESIGN.md, "Tasks"): the seam between the
 * query runner and the way work is shared. Embedded mode owns everything (`OwnEverything`); in
 * Kafka mode the instances running a query share its tasks through the query's consumer group
 * (group-assignment.ts).
 *
 * Lifecycle: `start` once, with every task of the query and a listener; the assignment then calls
 * the listener, one call at a time, never concurrently:
 * - `assigned(ids)`: run exactly these tasks now (start new ones, resume suspended ones, close
 *   suspended ones not listed);
 * - `revoked()`: a rebalance starts — stop processing every task and commit it, keeping it open
 *   (suspended) until the next `assigned` says whether it stays;
 * - `lost()`: this instance's tasks may already run elsewhere (its membership was fenced) — close
 *   them all without committing.
 * `commitOffsets` commits source offsets as the current owner; `stop` (after the runner closed its
 * tasks) leaves, so the others take over at once.
 */
import type { TopicPartition, Topics } from '../topics/topics.js';

/** One task: its id (the state's task id) and the source topic partitions it reads. */
export interface TaskSpec {
  readonly id: string;
  readonly partitions: readonly TopicPartition[];
}

export interface AssignmentListener {
  assigned(ids: readonly string[]): Promise<void>;
  revoked(): Promise<void>;
  lost(): Promise<void>;
}

export interface TaskAssignment {
  start(tasks: readonly TaskSpec[], listener: AssignmentListener): Promise<void>;
  commitOffsets(offsets: ReadonlyMap<string, number>): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the assignment of one query's runner; `groupId` is the query's consumer group. */
export type TaskAssignmentFactory = (groupId: string, topics: Topics) => TaskAssignment;

/**
 * A commit was refused because this instance no longer owns the task (its group generation is
 * gone). The runner stops the task without marking the query failed; the assignment rejoins.
 */
export class TaskMigratedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskMigratedError';
  }
}

/** One instance owns every task (embedded mode); offsets are simple group commits. */
export class OwnEverything implements TaskAssignment {
  constructor(private readonly groupId: string, private readonly topics: Topics) {}

  async start(tasks: readonly TaskSpec[], listener: AssignmentListener): Promise<void> {
    await listener.assigned(tasks.map((t) => t.id));
  }

  commitOffsets(offsets: ReadonlyMap<string, number>): Promise<void> {
    return this.topics.commitOffsets(this.groupId, offsets);
  }

  async stop(): Promise<void> {}
}

export const ownEverything: TaskAssignmentFactory = (groupId, topics) => new OwnEverything(groupId, topics);
