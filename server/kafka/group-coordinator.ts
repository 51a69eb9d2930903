/**
 * The classic consumer-group coordinator (reference §10): membership, generations, protocol
 * choice, and handing the leader's opaque assignments to members. States:
 * Empty → PreparingRebalance → CompletingRebalance → Stable. Assignment itself is the client's job.
 *
 * Simplification: any JoinGroup from a member of a Stable or CompletingRebalance group starts a
 * rebalance (Kafka skips it when a follower rejoins with unchanged metadata). Static membership
 * (group.instance.id) is accepted but treated as dynamic.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from './protocol.js';

export interface JoinRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  clientId: string;
  clientHost: string;
}

export interface JoinResult {
  error: number;
  generation: number;
  protocol: string;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export interface SyncResult {
  error: number;
  assignment: Buffer;
}

type State = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

interface Member {
  readonly id: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  joinWaiter?: (r: JoinResult) => void;
  syncWaiter?: (r: SyncResult) => void;
  sessionTimer?: NodeJS.Timeout;
}

export interface GroupInfo {
  groupId: string;
  state: State | 'Dead';
  protocolType: string;
  protocol: string;
  members: { memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
}

class Group {
  state: State = 'Empty';
  generation = 0;
  protocolType = '';
  protocol = '';
  leader = '';
  readonly members = new Map<string, Member>();
  rebalanceTimer?: NodeJS.Timeout;
  /** Pending initial delay (group.initial.rebalance.delay.ms) for a group formed from Empty. */
  delayTimer?: NodeJS.Timeout;
  constructor(readonly id: string) {}
}

export interface CoordinatorOptions {
  /** Wait after the first member joins an Empty group, so others can join the same generation. */
  readonly initialRebalanceDelayMs: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly log?: (message: string) => void;
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private closed = false;

  constructor(private readonly opts: CoordinatorOptions) {}

  join(req: JoinRequest): Promise<JoinResult> {
    const fail = (error: number, memberId = req.memberId): Promise<JoinResult> => Promise.resolve({ error, generation: -1, protocol: '', leader: '', memberId, members: [] });
    if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
    if (req.sessionTimeoutMs < this.opts.minSessionTimeoutMs || req.sessionTimeoutMs > this.opts.maxSessionTimeoutMs) return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    let group = this.groups.get(req.groupId);
    if (!group) this.groups.set(req.groupId, (group = new Group(req.groupId)));
    let member = req.memberId === '' ? undefined : group.members.get(req.memberId);
    if (req.memberId !== '' && !member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.members.size > 0 && !(member && group.members.size === 1)) {
      if (req.protocolType !== group.protocolType) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      const names = new Set(req.protocols.map((p) => p.name));
      const common = this.candidates(group, member?.id).filter((n) => names.has(n));
      if (common.length === 0) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (req.protocols.length === 0) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    if (!member) {
      member = {
        id: `${req.clientId}-${randomUUID()}`,
        groupInstanceId: req.groupInstanceId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocols: req.protocols,
        assignment: EMPTY,
      };
      group.members.set(member.id, member);
      this.opts.log?.(`group ${group.id}: ${member.id} joins`);
    }
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    group.protocolType = req.protocolType;
    const m = member;
    // a repeated join replaces the previous pending one
    m.joinWaiter?.({ error: ErrorCode.UNKNOWN_MEMBER_ID, generation: -1, protocol: '', leader: '', memberId: m.id, members: [] });
    const result = new Promise<JoinResult>((resolve) => {
      m.joinWaiter = resolve;
    });
    if (m.sessionTimer) clearTimeout(m.sessionTimer); // no session expiry while waiting to join
    m.sessionTimer = undefined;
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group, group.state === 'Empty');
    else if (group.delayTimer) this.extendInitialDelay(group);
    this.maybeCompleteJoin(group);
    return result;
  }

  /** Protocol names every member (except `except`) supports. */
  private candidates(group: Group, except?: string): string[] {
    let common: string[] | undefined;
    for (const m of group.members.values()) {
      if (m.id === except) continue;
      const names = m.protocols.map((p) => p.name);
      common = common === undefined ? names : common.filter((n) => names.includes(n));
    }
    return common ?? [];
  }

  private prepareRebalance(group: Group, initial: boolean): void {
    group.state = 'PreparingRebalance';
    for (const m of group.members.values()) {
      m.assignment = EMPTY;
      if (m.syncWaiter) {
        const w = m.syncWaiter;
        m.syncWaiter = undefined;
        w({ error: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      }
    }
    let timeout = 0;
    for (const m of group.members.values()) timeout = Math.max(timeout, m.rebalanceTimeoutMs);
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = setTimeout(() => this.onRebalanceTimeout(group), timeout);
    if (initial && this.opts.initialRebalanceDelayMs > 0) this.extendInitialDelay(group);
  }

  private extendInitialDelay(group: Group): void {
    if (group.delayTimer) clearTimeout(group.delayTimer);
    group.delayTimer = setTimeout(() => {
      group.delayTimer = undefined;
      this.maybeCompleteJoin(group);
    }, this.opts.initialRebalanceDelayMs);
  }

  private onRebalanceTimeout(group: Group): void {
    group.rebalanceTimer = undefined;
    if (group.state !== 'PreparingRebalance') return;
    for (const m of [...group.members.values()]) {
      if (!m.joinWaiter) this.removeMember(group, m, 'did not rejoin in time');
    }
    if (group.delayTimer) {
      clearTimeout(group.delayTimer);
      group.delayTimer = undefined;
    }
    this.maybeCompleteJoin(group);
  }

  private maybeCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || group.delayTimer) return;
    for (const m of group.members.values()) if (!m.joinWaiter) return;
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = undefined;
    group.generation++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      return;
    }
    group.protocol = this.selectProtocol(group);
    if (!group.members.has(group.leader)) group.leader = group.members.keys().next().value!;
    group.state = 'CompletingRebalance';
    const all = [...group.members.values()].map((m) => ({
      memberId: m.id,
      groupInstanceId: m.groupInstanceId,
      metadata: m.protocols.find((p) => p.name === group.protocol)?.metadata ?? EMPTY,
    }));
    this.opts.log?.(`group ${group.id}: generation ${group.generation} with ${all.length} member(s), leader ${group.leader}`);
    for (const m of group.members.values()) {
      const w = m.joinWaiter!;
      m.joinWaiter = undefined;
      this.touch(group, m);
      w({ error: 0, generation: group.generation, protocol: group.protocol, leader: group.leader, memberId: m.id, members: m.id === group.leader ? all : [] });
    }
  }

  /** Each member votes for its most preferred common protocol; most votes wins (GroupMetadata.selectProtocol). */
  private selectProtocol(group: Group): string {
    const candidates = this.candidates(group);
    const votes = new Map<string, number>();
    for (const m of group.members.values()) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))?.name;
      if (choice) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = candidates[0] ?? '';
    for (const [name, n] of votes) if (n > (votes.get(best) ?? 0)) best = name;
    return best;
  }

  sync(groupId: string, generation: number, memberId: string, assignments: { memberId: string; assignment: Buffer }[]): Promise<SyncResult> {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return Promise.resolve({ error: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (generation !== group.generation) return Promise.resolve({ error: ErrorCode.ILLEGAL_GENERATION, assignment: EMPTY });
    this.touch(group, member);
    switch (group.state) {
      case 'Empty':
        return Promise.resolve({ error: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
      case 'PreparingRebalance':
        return Promise.resolve({ error: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      case 'Stable':
        return Promise.resolve({ error: 0, assignment: member.assignment });
      case 'CompletingRebalance': {
        const result = new Promise<SyncResult>((resolve) => {
          member.syncWaiter = resolve;
        });
        if (memberId === group.leader) {
          for (const a of assignments) {
            const m = group.members.get(a.memberId);
            if (m) m.assignment = a.assignment;
          }
          group.state = 'Stable';
          for (const m of group.members.values()) {
            if (m.syncWaiter) {
              const w = m.syncWaiter;
              m.syncWaiter = undefined;
              w({ error: 0, assignment: m.assignment });
            }
          }
        }
        return result;
      }
    }
  }

  heartbeat(groupId: string, generation: number, memberId: string): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member || group.state === 'Empty') return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generation !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : 0;
  }

  leave(groupId: string, memberId: string): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(group, member, 'left');
    return 0;
  }

  /** OffsetCommit validation (GroupCoordinator.validateOffsetCommit). Returns an error code or 0. */
  validateCommit(groupId: string, generation: number, memberId: string): number {
    const group = this.groups.get(groupId);
    if (generation < 0 && (!group || group.state === 'Empty')) return 0;
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generation !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    this.touch(group, member);
    return 0;
  }

  private touch(group: Group, member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    if (this.closed || member.joinWaiter) return;
    member.sessionTimer = setTimeout(() => {
      member.sessionTimer = undefined;
      if (group.members.get(member.id) === member && !member.joinWaiter) this.removeMember(group, member, 'session timed out');
    }, member.sessionTimeoutMs);
  }

  private removeMember(group: Group, member: Member, why: string): void {
    this.opts.log?.(`group ${group.id}: ${member.id} ${why}`);
    group.members.delete(member.id);
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.joinWaiter?.({ error: ErrorCode.UNKNOWN_MEMBER_ID, generation: -1, protocol: '', leader: '', memberId: member.id, members: [] });
    member.syncWaiter?.({ error: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    member.joinWaiter = member.syncWaiter = undefined;
    if (group.members.size === 0) {
      if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
      if (group.delayTimer) clearTimeout(group.delayTimer);
      group.rebalanceTimer = group.delayTimer = undefined;
      group.state = 'Empty';
      group.generation++;
      group.leader = '';
      return;
    }
    if (group.state === 'PreparingRebalance') this.maybeCompleteJoin(group);
    else this.prepareRebalance(group, false);
  }

  /** Commit metadata strings (kept in memory; offsets themselves live in `Topics`). */
  private readonly commitMeta = new Map<string, string | null>();
  setCommitMetadata(groupId: string, topic: string, partition: number, metadata: string | null): void {
    const key = `${groupId}\u0000${topic}\u0000${partition}`;
    if (metadata === null || metadata === '') this.commitMeta.delete(key);
    else this.commitMeta.set(key, metadata);
  }
  commitMetadata(groupId: string, topic: string, partition: number): string {
    return this.commitMeta.get(`${groupId}\u0000${topic}\u0000${partition}`) ?? '';
  }

  list(): { groupId: string; protocolType: string }[] {
    return [...this.groups.values()].map((g) => ({ groupId: g.id, protocolType: g.protocolType }));
  }

  describe(groupId: string): GroupInfo {
    const g = this.groups.get(groupId);
    if (!g) return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    return {
      groupId,
      state: g.state,
      protocolType: g.protocolType,
      protocol: g.state === 'Stable' || g.state === 'CompletingRebalance' ? g.protocol : '',
      members: [...g.members.values()].map((m) => ({
        memberId: m.id,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === g.protocol)?.metadata ?? EMPTY,
        assignment: m.assignment,
      })),
    };
  }

  close(): void {
    this.closed = true;
    for (const g of this.groups.values()) {
      if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
      if (g.delayTimer) clearTimeout(g.delayTimer);
      for (const m of g.members.values()) {
        if (m.sessionTimer) clearTimeout(m.sessionTimer);
        m.joinWaiter?.({ error: ErrorCode.COORDINATOR_NOT_AVAILABLE, generation: -1, protocol: '', leader: '', memberId: m.id, members: [] });
        m.syncWaiter?.({ error: ErrorCode.COORDINATOR_NOT_AVAILABLE, assignment: EMPTY });
      }
    }
    this.groups.clear();
  }
}
