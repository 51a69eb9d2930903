/** The coordinator's state machine driven directly, with short timeouts. */
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator, type JoinRequest } from '../../server/kafka/group-coordinator.js';

const coordinators: GroupCoordinator[] = [];
afterEach(() => {
  for (const c of coordinators.splice(0)) c.close();
});
const make = (delay = 0): GroupCoordinator => {
  const c = new GroupCoordinator({ initialRebalanceDelayMs: delay, minSessionTimeoutMs: 10, maxSessionTimeoutMs: 60_000 });
  coordinators.push(c);
  return c;
};
const req = (memberId = '', over: Partial<JoinRequest> = {}): JoinRequest => ({
  groupId: 'g',
  sessionTimeoutMs: 200,
  rebalanceTimeoutMs: 300,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('m') }],
  clientId: 'c',
  clientHost: '127.0.0.1',
  ...over,
});

describe('GroupCoordinator', () => {
  it('forms a generation, gives the leader the members and distributes assignments', async () => {
    const c = make(50);
    const [a, b] = await Promise.all([c.join(req()), c.join(req())]);
    expect(a!.generation).toBe(1);
    expect(b!.generation).toBe(1);
    const leader = [a!, b!].find((x) => x.memberId === x.leader)!;
    const follower = [a!, b!].find((x) => x.memberId !== x.leader)!;
    expect(leader.members.length).toBe(2);
    expect(follower.members).toEqual([]);
    const fSync = c.sync('g', 1, follower.memberId, []);
    const lSync = c.sync('g', 1, leader.memberId, [
      { memberId: leader.memberId, assignment: Buffer.from('L') },
      { memberId: follower.memberId, assignment: Buffer.from('F') },
    ]);
    expect((await fSync).assignment.toString()).toBe('F');
    expect((await lSync).assignment.toString()).toBe('L');
    expect(c.heartbeat('g', 1, follower.memberId)).toBe(0);
    expect(c.heartbeat('g', 0, follower.memberId)).toBe(22);
    expect(c.heartbeat('g', 1, 'nobody')).toBe(25);
    expect(c.validateCommit('g', 1, leader.memberId)).toBe(0);
    expect(c.validateCommit('g', 0, leader.memberId)).toBe(22);
    expect(c.validateCommit('other', -1, '')).toBe(0);
  });

  it('rebalances when a member leaves, and when one stops heartbeating', async () => {
    const c = make();
    const first = await c.join(req());
    const second = c.join(req());
    // the first member learns about the rebalance through its heartbeat and rejoins
    expect(c.heartbeat('g', 1, first.memberId)).toBe(27);
    const rejoin = c.join(req(first.memberId));
    const [s, f] = await Promise.all([second, rejoin]);
    expect(s.generation).toBe(2);
    expect(f.generation).toBe(2);
    await Promise.all([c.sync('g', 2, s.memberId, []), c.sync('g', 2, f.memberId, [])]);
    expect(c.leave('g', s.memberId)).toBe(0);
    expect(c.heartbeat('g', 2, f.memberId)).toBe(27);
    const alone = await c.join(req(f.memberId));
    expect(alone.generation).toBe(3);
    expect(alone.members.map((m) => m.memberId)).toEqual([f.memberId]);
    await c.sync('g', 3, f.memberId, []);
    // a second member joins then goes silent: its session (200 ms) expires and the group rebalances
    const ghostJoin = c.join(req());
    expect(c.heartbeat('g', 3, f.memberId)).toBe(27);
    const [ghost, again] = await Promise.all([ghostJoin, c.join(req(f.memberId))]);
    expect(again.generation).toBe(4);
    const syncs = [c.sync('g', 4, ghost.memberId, []), c.sync('g', 4, f.memberId, [])];
    await Promise.all(syncs);
    const end = Date.now() + 2000;
    let code = 0;
    while (Date.now() < end && (code = c.heartbeat('g', 4, f.memberId)) === 0) await new Promise((r) => setTimeout(r, 50));
    expect(code).toBe(27);
    const solo = await c.join(req(f.memberId));
    expect(solo.members.length).toBe(1);
  });

  it('rejects inconsistent protocols and unknown members', async () => {
    const c = make();
    const a = await c.join(req());
    expect((await c.join(req('', { protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.alloc(0) }] }))).error).toBe(23);
    expect((await c.join(req('', { protocolType: 'connect' }))).error).toBe(23);
    expect((await c.join(req('ghost'))).error).toBe(25);
    expect((await c.sync('g', 1, 'ghost', [])).error).toBe(25);
    expect(a.error).toBe(0);
    expect((await c.join(req('', { sessionTimeoutMs: 1 }))).error).toBe(26);
  });
});
