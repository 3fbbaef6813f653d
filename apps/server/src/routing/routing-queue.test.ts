import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import {
  type Assignment,
  assignQueue,
  orderQueue,
  PRIORITIES,
  type Presence,
  type QueuedConversation,
  queuePosition,
  ROUTING_STRATEGIES,
  type RoutingAgent,
  type RoutingStrategy,
} from './route-queue.js';
import { RoutingQueue } from './routing-queue.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0);

const conv = (id: string, over: Partial<QueuedConversation> = {}): QueuedConversation => ({
  id,
  teamId: null,
  priority: 'normal',
  queuedAt: T0,
  skills: [],
  ...over,
});
const agent = (id: string, over: Partial<RoutingAgent> = {}): RoutingAgent => ({
  id,
  teamIds: ['sales'],
  skills: ['lang:en'],
  capacity: 2,
  active: 0,
  presence: 'online',
  lastAssignedAt: null,
  ...over,
});

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed from its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const subset = <T>(xs: readonly T[], p: number) => xs.filter(() => next() < p);
  return { next, int, pick, subset };
}

/**
 * The same events applied to plain arrays, with `assignQueue` deciding after each one — what a
 * stateless implementation (re-read everything, run the batch) would do.
 */
class Mirror {
  queue: QueuedConversation[] = [];
  agents = new Map<string, RoutingAgent>();
  held = new Map<string, { c: QueuedConversation; agentId: string }>();
  constructor(
    readonly strategy: RoutingStrategy,
    readonly agingMs: number | undefined,
  ) {}

  run(now: number): Assignment[] {
    const result = assignQueue(this.queue, [...this.agents.values()], this.strategy, now, { agingMs: this.agingMs });
    for (const r of result) {
      const i = this.queue.findIndex((c) => c.id === r.conversationId);
      const [c] = this.queue.splice(i, 1);
      this.held.set(r.conversationId, { c: c!, agentId: r.agentId });
      const a = this.agents.get(r.agentId)!;
      a.active++;
      a.lastAssignedAt = now;
    }
    return result;
  }

  /** Gives the agent's conversations back to the queue; returns their ids in routing order. */
  requeue(agentId: string, now: number): string[] {
    const back = [...this.held.values()].filter((h) => h.agentId === agentId).map((h) => h.c);
    for (const c of back) {
      this.held.delete(c.id);
      this.queue.push(c);
      this.agents.get(agentId)!.active--;
    }
    return orderQueue(back, now, { agingMs: this.agingMs }).map((c) => c.id);
  }

  heldBy(agentId: string): number {
    return [...this.held.values()].filter((h) => h.agentId === agentId).length;
  }
}

const TEAMS = ['t1', 't2'];
const SKILLS = ['lang:en', 'lang:zh-Hans', 'lang:zh-Hant', 'product:tv'];

function randomAgent(r: ReturnType<typeof prng>, id: string): RoutingAgent {
  return {
    id,
    teamIds: r.subset(TEAMS, 0.6),
    skills: r.subset(SKILLS, 0.6),
    capacity: r.int(4),
    active: r.int(2),
    presence: r.pick<Presence>(['online', 'online', 'away', 'offline']),
    lastAssignedAt: r.next() < 0.5 ? null : T0 - r.int(10) * MIN,
  };
}

/** Random events against both; every assignment, requeue, order and position must be the same. */
function compare(seed: number, strategy: RoutingStrategy, agingMs: number | undefined, steps: number) {
  const r = prng(seed);
  const q = new RoutingQueue({ strategy, agingMs });
  const m = new Mirror(strategy, agingMs);
  let now = T0;
  let nextConv = 0;
  const agentIds = Array.from({ length: 8 }, (_, i) => `a${i}`);
  let totalAssigned = 0;
  for (let step = 0; step < steps; step++) {
    // Equal times on purpose (ties between agents assigned in different events at the same ms).
    now += r.pick([0, 0, 1, 1000, 30_000, 5 * MIN]);
    const roll = r.next();
    let got: { assignments: Assignment[]; requeued: string[] };
    let requeued: string[] = [];
    const known = [...m.agents.keys()];
    if (known.length < 2 || roll < 0.08) {
      const id = r.pick(agentIds);
      const existing = m.agents.get(id);
      const next = randomAgent(r, id);
      if (existing) {
        const wasOffline = existing.presence === 'offline';
        Object.assign(existing, { teamIds: next.teamIds, skills: next.skills, capacity: next.capacity, presence: next.presence });
        if (next.presence === 'offline' && !wasOffline) requeued = m.requeue(id, now);
      } else m.agents.set(id, { ...next });
      got = q.upsertAgent(next, now);
    } else if (roll < 0.5) {
      const c: QueuedConversation = {
        id: `c${nextConv++}`,
        teamId: r.pick([null, null, ...TEAMS]),
        priority: r.pick(PRIORITIES),
        // Not always the newest: a conversation handed over from elsewhere keeps its own time.
        queuedAt: now - r.pick([0, 0, 0, r.int(20) * MIN]),
        skills: r.subset(SKILLS, 0.25),
        preferredSkills: r.subset(SKILLS, 0.3),
      };
      m.queue.push(c);
      got = q.enqueue(c, now);
    } else if (roll < 0.72 && m.held.size > 0) {
      const id = r.pick([...m.held.keys()]);
      const h = m.held.get(id)!;
      m.held.delete(id);
      m.agents.get(h.agentId)!.active--;
      got = q.closeConversation(id, now);
    } else if (roll < 0.78) {
      const id = r.pick(known);
      const a = m.agents.get(id)!;
      if (a.active - m.heldBy(id) > 0) a.active--;
      got = q.agentFreed(id, now);
    } else if (roll < 0.93) {
      const id = r.pick(known);
      const a = m.agents.get(id)!;
      const presence = r.pick<Presence>(['online', 'online', 'away', 'offline']);
      if (presence === 'offline' && a.presence !== 'offline') requeued = m.requeue(id, now);
      a.presence = presence;
      got = q.setPresence(id, presence, now);
    } else if (roll < 0.97 && m.queue.length > 0) {
      const c = r.pick(m.queue);
      m.queue.splice(m.queue.indexOf(c), 1);
      expect(q.dequeue(c.id)).toBe(true);
      got = { assignments: [], requeued: [] };
    } else {
      const id = r.pick(known);
      requeued = m.requeue(id, now);
      m.agents.delete(id);
      got = q.removeAgent(id, now);
    }
    const want = m.run(now);
    const where = `seed ${seed}, ${strategy}, aging ${agingMs}, step ${step}`;
    expect(got.requeued, where).toEqual(requeued);
    expect(got.assignments, where).toEqual(want);
    totalAssigned += want.length;

    expect(q.size, where).toBe(m.queue.length);
    if (step % 10 === 0) {
      expect(
        q.waiting(now).map((c) => c.id),
        where,
      ).toEqual(orderQueue(m.queue, now, { agingMs }).map((c) => c.id));
      const roster = [...m.agents.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(q.roster(), where).toEqual(roster);
      for (const c of m.queue.slice(0, 5)) expect(q.position(c.id, now), where).toBe(queuePosition(m.queue, c.id, now, { agents: roster, agingMs }));
    }
  }
  return totalAssigned;
}

describe('RoutingQueue', () => {
  it('makes the same assignments as assignQueue after every event, on random event sequences', () => {
    let assigned = 0;
    for (const strategy of ROUTING_STRATEGIES)
      for (const agingMs of [undefined, 2 * MIN])
        for (let seed = 1; seed <= 12; seed++) assigned += compare(seed * 7919 + strategy.length, strategy, agingMs, 250);
    // The sequences did assign (the comparison is not vacuous).
    expect(assigned).toBeGreaterThan(3000);
  });

  it('gives a new conversation to the agent the strategy picks, and queues it when nobody can take it', () => {
    const q = new RoutingQueue({ strategy: 'least_busy' });
    q.upsertAgent(agent('a', { active: 1 }), T0);
    q.upsertAgent(agent('b'), T0);
    expect(q.enqueue(conv('c1', { skills: ['lang:en'] }), T0).assignments).toEqual([{ conversationId: 'c1', agentId: 'b' }]);
    expect(q.enqueue(conv('c2', { skills: ['lang:fr'] }), T0).assignments).toEqual([]);
    expect(q.size).toBe(1);
    expect(q.assigneeOf('c1')).toBe('b');
    expect(q.assigneeOf('c2')).toBeNull();
  });

  it('an agent freed takes the first conversation in routing order it can serve, skipping ones it cannot', () => {
    const q = new RoutingQueue({ strategy: 'round_robin' });
    q.upsertAgent(agent('a', { capacity: 1, skills: ['lang:en'] }), T0);
    q.enqueue(conv('busy', { queuedAt: T0 }), T0);
    q.enqueue(conv('zh-urgent', { priority: 'urgent', skills: ['lang:zh-Hans'], queuedAt: T0 + 1 }), T0 + 1);
    q.enqueue(conv('en-late', { queuedAt: T0 + 3 }), T0 + 3);
    q.enqueue(conv('en-high', { priority: 'high', queuedAt: T0 + 4 }), T0 + 4);
    expect(q.position('en-high', T0 + 5)).toBe(1);
    expect(q.position('en-late', T0 + 5)).toBe(2);
    expect(q.closeConversation('busy', T0 + 5).assignments).toEqual([{ conversationId: 'en-high', agentId: 'a' }]);
    expect(q.waiting(T0 + 5).map((c) => c.id)).toEqual(['zh-urgent', 'en-late']);
  });

  it('an agent going offline gives its conversations back; they keep their place ahead of newer ones', () => {
    const q = new RoutingQueue({ strategy: 'round_robin' });
    q.upsertAgent(agent('a', { capacity: 2 }), T0);
    q.upsertAgent(agent('b', { capacity: 1 }), T0);
    q.enqueue(conv('c1', { queuedAt: T0 }), T0);
    q.enqueue(conv('c2', { queuedAt: T0 + 1 }), T0 + 1);
    q.enqueue(conv('c3', { queuedAt: T0 + 2 }), T0 + 2);
    q.enqueue(conv('c4', { queuedAt: T0 + 3 }), T0 + 3);
    expect(q.assigneeOf('c1')).toBe('a');
    expect(q.assigneeOf('c2')).toBe('b');
    expect(q.assigneeOf('c3')).toBe('a');
    const out = q.setPresence('a', 'offline', T0 + 10);
    expect(out).toEqual({ assignments: [], requeued: ['c1', 'c3'] });
    expect(q.waiting(T0 + 10).map((c) => c.id)).toEqual(['c1', 'c3', 'c4']);
    expect(q.roster().find((x) => x.id === 'a')?.active).toBe(0);
    // Back online, the agent takes the oldest two.
    expect(q.setPresence('a', 'online', T0 + 20).assignments.map((x) => x.conversationId)).toEqual(['c1', 'c3']);
    // Away keeps what the agent has and takes nothing new.
    expect(q.setPresence('a', 'away', T0 + 30)).toEqual({ assignments: [], requeued: [] });
    expect(q.closeConversation('c1', T0 + 31).assignments).toEqual([]);
    expect(q.assigneeOf('c3')).toBe('a');
  });

  it('orders agents assigned in an earlier event of the same millisecond as a fresh batch would', () => {
    const q = new RoutingQueue({ strategy: 'round_robin' });
    q.upsertAgent(agent('x', { capacity: 2 }), T0);
    q.enqueue(conv('c1', { queuedAt: T0 }), T0);
    q.enqueue(conv('c2', { queuedAt: T0 + 1 }), T0 + 1);
    q.upsertAgent(agent('b', { lastAssignedAt: T0 - 1 }), T0 + 2);
    q.upsertAgent(agent('c', { lastAssignedAt: T0 - 2 }), T0 + 2);
    // c (assigned longer ago) takes the first requeued conversation, b the second.
    expect(q.setPresence('x', 'offline', T0 + 5).assignments).toEqual([
      { conversationId: 'c1', agentId: 'c' },
      { conversationId: 'c2', agentId: 'b' },
    ]);
    // Same millisecond, next event: b and c are tied at T0 + 5 with one conversation each, so the id decides.
    expect(q.enqueue(conv('c3', { queuedAt: T0 + 5 }), T0 + 5).assignments).toEqual([{ conversationId: 'c3', agentId: 'b' }]);
  });

  it('keeps an offline agent’s conversations when requeueOnOffline is false', () => {
    const q = new RoutingQueue({ strategy: 'least_busy', requeueOnOffline: false });
    q.upsertAgent(agent('a'), T0);
    q.enqueue(conv('c1'), T0);
    expect(q.setPresence('a', 'offline', T0 + 1)).toEqual({ assignments: [], requeued: [] });
    expect(q.assigneeOf('c1')).toBe('a');
  });

  it('counts conversations it did not assign through agentFreed, and ignores what it cannot know', () => {
    const q = new RoutingQueue({ strategy: 'least_busy' });
    q.upsertAgent(agent('a', { capacity: 1, active: 1 }), T0);
    q.enqueue(conv('c1'), T0);
    expect(q.closeConversation('from-before-restart', T0 + 1).assignments).toEqual([]);
    expect(q.agentFreed('a', T0 + 2).assignments).toEqual([{ conversationId: 'c1', agentId: 'a' }]);
    // The only open conversation is c1, which the queue assigned: agentFreed does not touch it.
    expect(q.agentFreed('a', T0 + 3).assignments).toEqual([]);
    expect(q.roster()[0]?.active).toBe(1);
    expect(q.dequeue('c1')).toBe(false);
  });

  it('adopts assignments made before it started, so closing them or the agent leaving works as usual', () => {
    const q = new RoutingQueue({ strategy: 'least_busy' });
    q.upsertAgent(agent('a', { capacity: 2, active: 2 }), T0);
    q.upsertAgent(agent('b', { capacity: 1, active: 1 }), T0);
    q.adoptAssignment(conv('old-1'), 'a');
    q.adoptAssignment(conv('old-2'), 'a');
    q.enqueue(conv('new', { queuedAt: T0 + 1 }), T0 + 1);
    expect(q.assigneeOf('old-1')).toBe('a');
    expect(q.closeConversation('old-1', T0 + 2).assignments).toEqual([{ conversationId: 'new', agentId: 'a' }]);
    expect(q.setPresence('a', 'offline', T0 + 3)).toEqual({ assignments: [], requeued: ['old-2', 'new'] });
    expect(q.waiting(T0 + 3).map((c) => c.id)).toEqual(['old-2', 'new']);
  });

  it('refuses duplicate conversations, unknown agents and bad times with ROUTING_INPUT_INVALID', () => {
    const q = new RoutingQueue({ strategy: 'skill_based' });
    q.upsertAgent(agent('a', { capacity: 0 }), T0);
    q.enqueue(conv('c1'), T0);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof DomainError ? `${err.code} ${err.details.field}` : String(err);
      }
      return 'no error';
    };
    expect(code(() => q.enqueue(conv('c1'), T0))).toBe('ROUTING_INPUT_INVALID conversation.id');
    expect(code(() => q.setPresence('ghost', 'online', T0))).toBe('ROUTING_INPUT_INVALID agentId');
    expect(code(() => q.enqueue(conv('c2', { queuedAt: Number.NaN }), T0))).toBe('ROUTING_INPUT_INVALID conversation.queuedAt');
    expect(code(() => q.enqueue(conv('c3'), Number.POSITIVE_INFINITY))).toBe('ROUTING_INPUT_INVALID now');
    expect(code(() => q.upsertAgent(agent('b', { capacity: -3 }), T0))).toBe('ROUTING_INPUT_INVALID agent.capacity');
    expect(code(() => q.setPresence('a', 'lunch' as Presence, T0))).toBe('ROUTING_INPUT_INVALID agent.presence');
    expect(code(() => new RoutingQueue({ strategy: 'random' as RoutingStrategy }))).toBe('ROUTING_INPUT_INVALID strategy');
    // Nothing changed by the refused events.
    expect(q.size).toBe(1);
  });

  it('with equal capacity and a steady backlog, round robin spreads new agents’ first conversations evenly', () => {
    const q = new RoutingQueue({ strategy: 'round_robin' });
    const agents = Array.from({ length: 5 }, (_, i) => `a${i}`);
    for (const id of agents) q.upsertAgent(agent(id, { capacity: 100 }), T0);
    const n = new Map<string, number>();
    for (let i = 0; i < 103; i++)
      for (const x of q.enqueue(conv(`c${i}`, { queuedAt: T0 + i }), T0 + i).assignments) n.set(x.agentId, (n.get(x.agentId) ?? 0) + 1);
    const counts = agents.map((id) => n.get(id) ?? 0);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});
