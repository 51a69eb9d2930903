/**
 * The classic consumer-group protocol for one member (reference §10): JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup to the group's coordinator, over kafkajs's broker requests. No policy here
 * (when to rejoin, what to assign): that is the caller's (runtime/group-assignment.ts). Sluice
 * speaks the protocol itself rather than through kafkajs's consumer because the consumer has no
 * revocation callback: a member must stop and commit its tasks *before* it rejoins.
 *
 * Errors come back as kafkajs errors; `groupErrorKind` sorts the ones a member reacts to.
 */
import type { KjsBroker, KjsError, KjsGroupBroker } from './kafkajs-internals.js';
import type { GroupGeneration } from '../topics.js';

export interface JoinedGroup extends GroupGeneration {
  readonly leaderId: string;
  readonly protocol: string;
  /** Every member's metadata; only the leader gets them (followers get []). */
  readonly members: readonly { memberId: string; metadata: Buffer }[];
}

export interface GroupClientOptions {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  /** Runs a request against the group's coordinator, finding it again on coordinator errors. */
  readonly coordinator: <T>(what: string, fn: (b: KjsBroker) => Promise<T>) => Promise<T>;
}

export class GroupClient {
  constructor(private readonly opts: GroupClientOptions) {}

  get groupId(): string {
    return this.opts.groupId;
  }

  get sessionTimeoutMs(): number {
    return this.opts.sessionTimeoutMs;
  }

  /** JoinGroup (retried once with the broker-assigned member id when the broker requires one). */
  async join(memberId: string, protocols: { name: string; metadata: Buffer }[]): Promise<JoinedGroup> {
    const { groupId, sessionTimeoutMs, rebalanceTimeoutMs } = this.opts;
    const r = await this.opts.coordinator(`JoinGroup ${groupId}`, (b) => (b as unknown as KjsGroupBroker).joinGroup({
      groupId, sessionTimeout: sessionTimeoutMs, rebalanceTimeout: rebalanceTimeoutMs, memberId, protocolType: 'consumer', groupProtocols: protocols,
    }));
    return {
      generationId: r.generationId, memberId: r.memberId, leaderId: r.leaderId, protocol: r.groupProtocol,
      members: r.members.map((m) => ({ memberId: m.memberId, metadata: m.memberMetadata })),
    };
  }

  /** SyncGroup: the leader hands over every member's assignment; everyone gets their own back. */
  async sync(g: GroupGeneration, assignments: { memberId: string; assignment: Buffer }[]): Promise<Buffer> {
    const { groupId } = this.opts;
    const r = await this.opts.coordinator(`SyncGroup ${groupId}`, (b) => (b as unknown as KjsGroupBroker).syncGroup({
      groupId, generationId: g.generationId, memberId: g.memberId,
      groupAssignment: assignments.map((a) => ({ memberId: a.memberId, memberAssignment: a.assignment })),
    }));
    return r.memberAssignment;
  }

  async heartbeat(g: GroupGeneration): Promise<void> {
    const { groupId } = this.opts;
    await this.opts.coordinator(`Heartbeat ${groupId}`, (b) => (b as unknown as KjsGroupBroker).heartbeat({ groupId, groupGenerationId: g.generationId, memberId: g.memberId }));
  }

  async leave(memberId: string): Promise<void> {
    const { groupId } = this.opts;
    await this.opts.coordinator(`LeaveGroup ${groupId}`, (b) => (b as unknown as KjsGroupBroker).leaveGroup({ groupId, memberId }));
  }
}

/**
 * `rebalance`: the group is rebalancing, rejoin (after committing); `fenced`: this member's
 * generation or id is no longer valid, its tasks may already run elsewhere (rejoin, without
 * committing); `unknown`: anything else (transient or fatal, the caller retries).
 */
export function groupErrorKind(e: unknown): 'rebalance' | 'fenced' | 'unknown' {
  const k = e as KjsError & { kafkaCode?: number };
  const type = k?.type;
  const code = k?.kafkaCode ?? k?.code; // TopicsError (KafkaTopics) or a kafkajs error
  if (type === 'REBALANCE_IN_PROGRESS' || code === 27) return 'rebalance';
  if (type === 'UNKNOWN_MEMBER_ID' || type === 'ILLEGAL_GENERATION' || type === 'FENCED_INSTANCE_ID' || code === 25 || code === 22 || code === 82) return 'fenced';
  return 'unknown';
}
