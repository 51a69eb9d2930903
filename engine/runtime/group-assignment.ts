/**
 * Kafka mode: the instances running a persistent query share its tasks through the query's
 * consumer group `_confluent-ksql-<service id>query_<query id>` (ksqlDB's application id), the way
 * Kafka Streams instances do. Each runner is one member (topics/kafka/group-client.ts speaks the
 * protocol); the leader assigns whole tasks, so partition p of every source topic of a task goes to
 * the same member (co-partitioning), spread evenly and sticky (a member keeps what it had, up to
 * its fair share). The assignment travels as a ConsumerProtocol assignment (topic partitions, so
 * `kafka-consumer-groups --describe` shows who reads what) whose user data lists the task ids.
 *
 * Rebalance (eager protocol): on REBALANCE_IN_PROGRESS the member first has the runner stop and
 * commit every task (`revoked`: suspended, still open), then rejoins; the new assignment closes
 * the suspended tasks it lost, resumes the kept ones and starts new ones, whose state comes from
 * the changelog topics. A member whose membership is fenced (session timed out, generation gone)
 * drops its tasks without committing (`lost`) and rejoins with a fresh member id.
 */
import type { GroupGeneration, Topics } from '../topics/topics.js';
import type { KafkaTopics } from '../topics/kafka-topics.js';
import { AssignerProtocol } from '../topics/kafka/kafkajs-internals.js';
import { groupErrorKind, type GroupClient } from '../topics/kafka/group-client.js';
import { errorMessage } from './processing-log.js';
import { TaskMigratedError, type AssignmentListener, type TaskAssignment, type TaskAssignmentFactory, type TaskSpec } from './task-assignment.js';

/** The protocol (assignor) name members agree on. */
export const SLUICE_ASSIGNOR = 'sluice-copartitioned';
const LEADER_SYNC_DELAY_MS = 100;

export interface GroupAssignmentOptions {
  /** Default 10 s (the embedded listener's minimum is 6 s). */
  readonly sessionTimeoutMs?: number;
  /** How long the coordinator waits for members to rejoin; default 60 s. */
  readonly rebalanceTimeoutMs?: number;
  /** Default 1 s: how soon a member notices a rebalance. */
  readonly heartbeatIntervalMs?: number;
  readonly log?: (message: string) => void;
}

/** The factory for `QueryRunnerOptions.assignment` in Kafka mode. */
export function groupAssignment(kafka: KafkaTopics, options: GroupAssignmentOptions = {}): TaskAssignmentFactory {
  return (groupId, topics) => new GroupTaskAssignment(kafka.groupClient(groupId, {
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000, rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 60_000,
  }), topics, options);
}

export class GroupTaskAssignment implements TaskAssignment {
  private tasks: readonly TaskSpec[] = [];
  private listener?: AssignmentListener;
  private memberId = '';
  /** Set while this member holds a valid generation (between a sync and the next revoke/lose). */
  private generation?: GroupGeneration;
  /** Tasks of the last assignment (sent as user data so that the leader can keep them here). */
  private previous: string[] = [];
  /** The runner holds suspended tasks (committed at revocation) that the next assignment may keep. */
  private suspended = false;
  private stopped = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake?: () => void;

  constructor(private readonly client: GroupClient, private readonly topics: Topics, private readonly opts: GroupAssignmentOptions) {}

  /** The current generation, for tests and status. */
  get member(): GroupGeneration | undefined {
    return this.generation;
  }

  async start(tasks: readonly TaskSpec[], listener: AssignmentListener): Promise<void> {
    this.tasks = tasks;
    this.listener = listener;
    // Joining waits for the other members (a rebalance): the query starts without waiting for it.
    this.loopDone = this.loop();
  }

  private async loop(): Promise<void> {
    const interval = this.opts.heartbeatIntervalMs ?? 1000;
    let needJoin = true;
    let lastOk = Date.now();
    let backoff = 100;
    while (!this.stopped) {
      try {
        if (needJoin) {
          await this.joinAndSync();
          needJoin = false;
        } else {
          await this.pause(interval);
          if (this.stopped) break;
          await this.client.heartbeat(this.generation!);
        }
        lastOk = Date.now();
        backoff = 100;
      } catch (e) {
        if (this.stopped) break;
        const kind = groupErrorKind(e);
        if (kind === 'rebalance') {
          await this.revoke();
        } else if (kind === 'fenced' || Date.now() - lastOk > this.client.sessionTimeoutMs) {
          this.opts.log?.(`group ${this.client.groupId}: member ${this.memberId} fenced (${errorMessage(e)}), rejoining`);
          await this.lose();
          this.memberId = '';
        } else {
          this.opts.log?.(`group ${this.client.groupId}: ${errorMessage(e)}`);
          await this.pause(backoff);
          backoff = Math.min(backoff * 2, 2000);
        }
        needJoin = true;
      }
    }
  }

  /** Rebalance: the runner commits and suspends every task, before this member rejoins. */
  private async revoke(): Promise<void> {
    if (this.generation === undefined) return;
    await this.listener!.revoked();
    this.generation = undefined;
    this.suspended = true;
  }

  private async lose(): Promise<void> {
    this.generation = undefined;
    this.suspended = false;
    await this.listener!.lost();
  }

  private async joinAndSync(): Promise<void> {
    if (this.generation) await this.revoke();
    try {
      await this.rejoin();
    } catch (e) {
      // A generation may have completed without this member since it suspended its tasks: they
      // may run elsewhere now, so they cannot simply resume.
      if (this.suspended) await this.lose();
      throw e;
    }
  }

  private async rejoin(): Promise<void> {
    const sources = [...new Set(this.tasks.flatMap((t) => t.partitions.map((p) => p.topic)))].sort();
    const metadata = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: sources, userData: Buffer.from(JSON.stringify({ tasks: this.previous })) });
    let joined;
    try {
      joined = await this.client.join(this.memberId, [{ name: SLUICE_ASSIGNOR, metadata }]);
    } catch (e) {
      if (groupErrorKind(e) === 'fenced') this.memberId = '';
      throw e;
    }
    this.memberId = joined.memberId;
    const gen: GroupGeneration = { generationId: joined.generationId, memberId: joined.memberId };
    const assignments = joined.leaderId === joined.memberId ? this.assign(joined.members) : [];
    // librdkafka's mock cluster completes a generation with the leader's SyncGroup and refuses a
    // follower's that arrives after it (INVALID_REQUEST; Kafka answers it). The leader lets the
    // followers' SyncGroups, sent as soon as they got their JoinGroup answer, arrive first.
    if (assignments.length > 1) await new Promise((r) => setTimeout(r, LEADER_SYNC_DELAY_MS));
    const mine = AssignerProtocol.MemberAssignment.decode(await this.client.sync(gen, assignments));
    const known = new Set(this.tasks.map((t) => t.id));
    const ids = mine?.userData?.length ? (JSON.parse(mine.userData.toString()) as { tasks: string[] }).tasks.filter((id) => known.has(id)) : [];
    this.generation = gen;
    this.previous = ids;
    this.suspended = false;
    this.opts.log?.(`group ${this.client.groupId}: generation ${gen.generationId}, member ${gen.memberId} runs tasks [${ids.join(', ')}]`);
    await this.listener!.assigned(ids);
  }

  /** Leader: every member's task list, encoded as ConsumerProtocol assignments. */
  private assign(members: readonly { memberId: string; metadata: Buffer }[]): { memberId: string; assignment: Buffer }[] {
    const previous = members.map((m) => {
      const md = AssignerProtocol.MemberMetadata.decode(m.metadata);
      let tasks: string[] = [];
      try {
        tasks = md?.userData?.length ? (JSON.parse(md.userData.toString()) as { tasks: string[] }).tasks : [];
      } catch {
        // a member of another kind (tool, older version): it keeps nothing
      }
      return { memberId: m.memberId, previous: tasks };
    });
    const byId = new Map(this.tasks.map((t) => [t.id, t]));
    const plan = assignTasks(this.tasks.map((t) => t.id), previous);
    return [...plan].map(([memberId, ids]) => {
      const topics: Record<string, number[]> = {};
      for (const id of ids) for (const p of byId.get(id)!.partitions) (topics[p.topic] ??= []).push(p.partition);
      return { memberId, assignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topics, userData: Buffer.from(JSON.stringify({ tasks: ids })) }) };
    });
  }

  async commitOffsets(offsets: ReadonlyMap<string, number>): Promise<void> {
    const gen = this.generation;
    if (!gen) throw new TaskMigratedError(`group ${this.client.groupId}: no current generation, the task is not owned`);
    try {
      await this.topics.commitOffsets(this.client.groupId, offsets, gen);
    } catch (e) {
      if (groupErrorKind(e) !== 'unknown') throw new TaskMigratedError(`group ${this.client.groupId}: commit refused (${errorMessage(e)})`);
      throw e;
    }
  }

  /** Leaves the group (after the runner closed its tasks), so the others take the tasks over now. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.memberId) await this.client.leave(this.memberId).catch((e) => this.opts.log?.(`LeaveGroup: ${errorMessage(e)}`));
    // a join in flight is answered when the coordinator removes the member; bounded regardless
    await Promise.race([this.loopDone, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}

/**
 * Balanced, sticky assignment of task ids to members: every member gets ⌊n/m⌋ or ⌈n/m⌉ tasks; a
 * member keeps tasks it had (from its metadata) within that share; the rest go, in id order, to
 * the least loaded members. Deterministic for the same input.
 */
export function assignTasks(taskIds: readonly string[], members: readonly { memberId: string; previous: readonly string[] }[]): Map<string, string[]> {
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const out = new Map(sorted.map((m) => [m.memberId, [] as string[]]));
  if (sorted.length === 0) return out;
  const valid = new Set(taskIds);
  const base = Math.floor(taskIds.length / sorted.length);
  let extras = taskIds.length % sorted.length;
  const taken = new Set<string>();
  const keep = (m: { memberId: string; previous: readonly string[] }, limit: number) => {
    const mine = out.get(m.memberId)!;
    for (const t of m.previous) {
      if (mine.length >= limit) break;
      if (valid.has(t) && !taken.has(t)) { mine.push(t); taken.add(t); }
    }
  };
  for (const m of sorted) keep(m, base);
  for (const m of sorted) {
    if (extras === 0) break;
    const before = out.get(m.memberId)!.length;
    keep(m, base + 1);
    if (out.get(m.memberId)!.length > before) extras--;
  }
  for (const t of [...taskIds].sort(compareTaskIds)) {
    if (taken.has(t)) continue;
    let best: string[] | undefined;
    for (const m of sorted) {
      const load = out.get(m.memberId)!;
      const room = load.length < base || (load.length === base && extras > 0);
      if (room && (!best || load.length < best.length)) best = load;
    }
    if (!best) break; // cannot happen: the shares add up to the task count
    if (best.length === base) extras--;
    best.push(t);
    taken.add(t);
  }
  return out;
}

/** Task ids in numeric order where they are numbers or `<subtopology>_<partition>`. */
function compareTaskIds(a: string, b: string): number {
  const pa = a.split('_').map(Number);
  const pb = b.split('_').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? -1;
    const y = pb[i] ?? -1;
    if (Number.isNaN(x) || Number.isNaN(y)) return a < b ? -1 : a > b ? 1 : 0;
    if (x !== y) return x - y;
  }
  return 0;
}
