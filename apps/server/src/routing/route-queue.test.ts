import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import {
  type Assignment,
  assignQueue,
  effectivePriority,
  expectedWaitMs,
  orderQueue,
  type Priority,
  pickAgent,
  type QueuedConversation,
  queuePosition,
  type RoutingAgent,
  type RoutingStrategy,
} from './route-queue.js';

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
  skills: ['lang:zh-Hans', 'lang:en'],
  capacity: 3,
  active: 0,
  presence: 'online',
  lastAssignedAt: null,
  ...over,
});
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
const countBy = (as: Assignment[]) => {
  const n = new Map<string, number>();
  for (const a of as) n.set(a.agentId, (n.get(a.agentId) ?? 0) + 1);
  return n;
};
/** Runs `fn` and returns the DomainError it throws. */
const failure = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
};

describe('orderQueue', () => {
  it('puts urgent before high before normal before low, oldest first within a priority', () => {
    const queue = [
      conv('low-old', { priority: 'low', queuedAt: T0 - 60 * MIN }),
      conv('normal-new', { priority: 'normal', queuedAt: T0 - 1 * MIN }),
      conv('urgent', { priority: 'urgent', queuedAt: T0 }),
      conv('normal-old', { priority: 'normal', queuedAt: T0 - 5 * MIN }),
      conv('high', { priority: 'high', queuedAt: T0 - 2 * MIN }),
    ];
    expect(ids(orderQueue(queue, T0))).toEqual(['urgent', 'high', 'normal-old', 'normal-new', 'low-old']);
  });

  it('breaks ties of priority and time by id, whatever the input order, and leaves the input alone', () => {
    const queue = [conv('c'), conv('a'), conv('b')];
    expect(ids(orderQueue(queue, T0))).toEqual(['a', 'b', 'c']);
    expect(ids(orderQueue([...queue].reverse(), T0))).toEqual(['a', 'b', 'c']);
    expect(ids(queue)).toEqual(['c', 'a', 'b']);
  });

  it('raises a waiting conversation one level per full agingMs, up to urgent', () => {
    const low = conv('low', { priority: 'low', queuedAt: T0 });
    expect(effectivePriority(low, T0 + 9 * MIN, 10 * MIN)).toBe(0);
    expect(effectivePriority(low, T0 + 10 * MIN, 10 * MIN)).toBe(1);
    expect(effectivePriority(low, T0 + 25 * MIN, 10 * MIN)).toBe(2);
    expect(effectivePriority(low, T0 + 999 * MIN, 10 * MIN)).toBe(3);
    expect(effectivePriority(low, T0 + 999 * MIN, undefined)).toBe(0);
    // A clock behind the queue time does not lower anything.
    expect(effectivePriority(low, T0 - 60 * MIN, 10 * MIN)).toBe(0);

    const queue = [low, conv('normal', { queuedAt: T0 + 15 * MIN }), conv('high', { priority: 'high', queuedAt: T0 + 19 * MIN })];
    const now = T0 + 20 * MIN;
    expect(ids(orderQueue(queue, now))).toEqual(['high', 'normal', 'low']);
    // low has waited 20 min = two levels: high, and older than the other high conversation.
    expect(ids(orderQueue(queue, now, { agingMs: 10 * MIN }))).toEqual(['low', 'high', 'normal']);
  });
});

describe('pickAgent', () => {
  it('round robin: the agent never assigned, then the one assigned longest ago, then by id', () => {
    const agents = [agent('b', { lastAssignedAt: T0 - 5 }), agent('a', { lastAssignedAt: T0 - 9 }), agent('c', { lastAssignedAt: null })];
    expect(pickAgent(conv('x'), agents, 'round_robin')).toBe('c');
    expect(pickAgent(conv('x'), agents.slice(0, 2), 'round_robin')).toBe('a');
    const tied = [agent('b', { lastAssignedAt: T0 }), agent('a', { lastAssignedAt: T0 })];
    expect(pickAgent(conv('x'), tied, 'round_robin')).toBe('a');
    // Round robin ignores load.
    expect(pickAgent(conv('x'), [agent('busy', { active: 2, lastAssignedAt: T0 - 9 }), agent('idle', { lastAssignedAt: T0 })], 'round_robin')).toBe('busy');
  });

  it('least busy: the lowest share of capacity in use, then the one assigned longest ago', () => {
    const agents = [agent('half', { capacity: 4, active: 2 }), agent('third', { capacity: 3, active: 1 }), agent('twothirds', { capacity: 3, active: 2 })];
    expect(pickAgent(conv('x'), agents, 'least_busy')).toBe('third');
    const equal = [agent('a', { capacity: 4, active: 2, lastAssignedAt: T0 }), agent('b', { capacity: 2, active: 1, lastAssignedAt: T0 - 1 })];
    expect(pickAgent(conv('x'), equal, 'least_busy')).toBe('b');
  });

  it('skill based: the most required and preferred skills, then the least busy', () => {
    const c = conv('x', { skills: ['lang:en'], preferredSkills: ['product:tv', 'product:audio'] });
    const agents = [
      agent('generalist', { skills: ['lang:en'] }),
      agent('tv', { skills: ['lang:en', 'product:tv'], active: 2 }),
      agent('tv-audio', { skills: ['lang:en', 'product:tv', 'product:audio'], active: 2 }),
      agent('tv-idle', { skills: ['lang:en', 'product:tv'] }),
    ];
    expect(pickAgent(c, agents, 'skill_based')).toBe('tv-audio');
    expect(pickAgent(c, agents.slice(0, 2).concat(agents[3]!), 'skill_based')).toBe('tv-idle');
    // Without preferred skills every eligible agent matches equally: least busy decides.
    expect(pickAgent(conv('y', { skills: ['lang:en'] }), agents, 'skill_based')).toBe('generalist');
  });

  it('skips agents who are away, offline or full, outside the team, or missing a required skill', () => {
    const c = conv('x', { teamId: 'support', skills: ['lang:zh-Hant', 'product:tv'] });
    const fit = { teamIds: ['support'], skills: ['lang:zh-Hant', 'product:tv', 'lang:en'] };
    const agents = [
      agent('away', { ...fit, presence: 'away' }),
      agent('offline', { ...fit, presence: 'offline' }),
      agent('full', { ...fit, capacity: 2, active: 2 }),
      agent('paused', { ...fit, capacity: 0 }),
      agent('other-team', { ...fit, teamIds: ['sales'] }),
      agent('no-tv', { ...fit, skills: ['lang:zh-Hant'] }),
    ];
    for (const s of ['round_robin', 'least_busy', 'skill_based'] as const) expect(pickAgent(c, agents, s)).toBeNull();
    expect(pickAgent(c, [...agents, agent('ok', fit)], 'round_robin')).toBe('ok');
    // Without a team, anyone with the skills can take it, even an agent in no team.
    expect(pickAgent(conv('y', { skills: ['lang:en'] }), [agent('loner', { teamIds: [] })], 'least_busy')).toBe('loner');
  });

  it('reads loads from the state when given', () => {
    const agents = [agent('a'), agent('b')];
    const state = new Map([['a', { active: 3, lastAssignedAt: T0, turn: 1 }]]);
    expect(pickAgent(conv('x'), agents, 'least_busy', state)).toBe('b');
  });
});

describe('assignQueue', () => {
  it('assigns in routing order and lets later conversations past one nobody can take', () => {
    const queue = [
      conv('fr', { priority: 'urgent', skills: ['lang:fr'] }),
      conv('en-1', { queuedAt: T0 + 1 }),
      conv('en-2', { queuedAt: T0 + 2 }),
      conv('en-3', { queuedAt: T0 + 3 }),
    ];
    const result = assignQueue(queue, [agent('a', { capacity: 1 }), agent('b', { capacity: 1 })], 'round_robin', T0 + 10);
    expect(result).toEqual([
      { conversationId: 'en-1', agentId: 'a' },
      { conversationId: 'en-2', agentId: 'b' },
    ]);
  });

  it('never gives an agent more than its free capacity, and leaves nothing an agent with room could take', () => {
    const strategy = fc.constantFrom<RoutingStrategy>('round_robin', 'least_busy', 'skill_based');
    const skill = fc.constantFrom('lang:en', 'lang:zh-Hans', 'product:tv');
    const team = fc.constantFrom('t1', 't2');
    const agentArb = fc.record({
      teamIds: fc.uniqueArray(team, { maxLength: 2 }),
      skills: fc.uniqueArray(skill, { maxLength: 3 }),
      capacity: fc.integer({ min: 0, max: 4 }),
      active: fc.integer({ min: 0, max: 5 }),
      presence: fc.constantFrom('online', 'away', 'offline'),
      lastAssignedAt: fc.option(fc.integer({ min: T0 - 1000, max: T0 }), { nil: null }),
    });
    const convArb = fc.record({
      teamId: fc.option(team, { nil: null }),
      priority: fc.constantFrom<Priority>('low', 'normal', 'high', 'urgent'),
      queuedAt: fc.integer({ min: T0 - 100 * MIN, max: T0 }),
      skills: fc.uniqueArray(skill, { maxLength: 2 }),
      preferredSkills: fc.uniqueArray(skill, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(agentArb, { maxLength: 8 }), fc.array(convArb, { maxLength: 40 }), strategy, (as, cs, s) => {
        const agents = as.map((a, i) => ({ ...a, id: `a${i}` }) as RoutingAgent);
        const queue = cs.map((c, i) => ({ ...c, id: `c${i}` }));
        const result = assignQueue(queue, agents, s, T0, { agingMs: 10 * MIN });
        const byId = new Map(agents.map((a) => [a.id, a]));
        const n = countBy(result);
        for (const [id, k] of n) {
          const a = byId.get(id)!;
          expect(a.presence).toBe('online');
          expect(a.active + k).toBeLessThanOrEqual(a.capacity);
        }
        const assigned = new Set(result.map((r) => r.conversationId));
        expect(assigned.size).toBe(result.length);
        const after = agents.map((a) => ({ ...a, active: a.active + (n.get(a.id) ?? 0) }));
        for (const r of result) {
          const c = queue.find((q) => q.id === r.conversationId)!;
          expect(pickAgent(c, [{ ...byId.get(r.agentId)!, active: 0, capacity: 1 }], 'round_robin')).toBe(r.agentId);
        }
        for (const c of queue) if (!assigned.has(c.id)) expect(pickAgent(c, after, 'round_robin')).toBeNull();
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('round robin spreads conversations evenly over agents of equal capacity, batch after batch', () => {
    const agents = ['a', 'b', 'c', 'd', 'e'].map((id) => agent(id, { capacity: 100 }));
    const total = new Map<string, number>();
    let now = T0;
    // Seven batches of seven: 49 conversations, so a rotation that restarted each batch would favour 'a'.
    for (let batch = 0; batch < 7; batch++) {
      const queue = Array.from({ length: 7 }, (_, i) => conv(`c${batch}-${i}`, { queuedAt: now + i }));
      now += MIN;
      const result = assignQueue(queue, agents, 'round_robin', now);
      for (const r of result) {
        total.set(r.agentId, (total.get(r.agentId) ?? 0) + 1);
        const a = agents.find((x) => x.id === r.agentId)!;
        a.active++;
        a.lastAssignedAt = now;
      }
    }
    const counts = [...total.values()];
    expect(counts.reduce((s, k) => s + k, 0)).toBe(49);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('least busy fills agents in proportion to their capacity', () => {
    const agents = [agent('small', { capacity: 2 }), agent('big', { capacity: 6 })];
    const queue = Array.from({ length: 8 }, (_, i) => conv(`c${i}`, { queuedAt: T0 + i }));
    const n = countBy(assignQueue(queue, agents, 'least_busy', T0 + 10));
    expect(Object.fromEntries(n)).toEqual({ small: 2, big: 6 });
    const half = countBy(assignQueue(queue.slice(0, 4), agents, 'least_busy', T0 + 10));
    expect(Object.fromEntries(half)).toEqual({ small: 1, big: 3 });
  });

  it('with aging, a low-priority conversation is served despite a steady stream of normal ones', () => {
    // One agent who finishes a conversation every minute; a new normal conversation every minute.
    const serveLow = (agingMs: number | undefined) => {
      const queue = [conv('low', { priority: 'low', queuedAt: T0 }), conv('n0', { queuedAt: T0 }), conv('n1', { queuedAt: T0 })];
      for (let minute = 1; minute <= 60; minute++) {
        const now = T0 + minute * MIN;
        queue.push(conv(`n${minute + 1}`, { queuedAt: now }));
        const [next] = assignQueue(queue, [agent('solo', { capacity: 1 })], 'round_robin', now, { agingMs });
        if (next?.conversationId === 'low') return minute;
        queue.splice(
          queue.findIndex((c) => c.id === next?.conversationId),
          1,
        );
      }
      return null;
    };
    expect(serveLow(undefined)).toBeNull();
    // Raised to normal after 5 min, it is then the oldest normal conversation.
    expect(serveLow(5 * MIN)).toBe(5);
  });

  it('treats capacity 0 as paused, and refuses negative capacity, NaN times, duplicate ids and unknown values by name', () => {
    expect(assignQueue([conv('x')], [agent('paused', { capacity: 0 })], 'least_busy', T0)).toEqual([]);
    // More open conversations than capacity (capacity lowered meanwhile): no new ones, no error.
    expect(assignQueue([conv('x')], [agent('over', { capacity: 1, active: 3 })], 'least_busy', T0)).toEqual([]);

    const cases: [() => unknown, string][] = [
      [() => assignQueue([conv('x')], [agent('a', { capacity: -1 })], 'least_busy', T0), 'agents[0].capacity'],
      [() => assignQueue([conv('x')], [agent('a', { capacity: 1.5 })], 'least_busy', T0), 'agents[0].capacity'],
      [() => assignQueue([conv('x')], [agent('a', { active: Number.NaN })], 'least_busy', T0), 'agents[0].active'],
      [() => assignQueue([conv('x')], [agent('a', { lastAssignedAt: Number.NaN })], 'least_busy', T0), 'agents[0].lastAssignedAt'],
      [() => assignQueue([conv('x'), conv('y', { queuedAt: Number.NaN })], [agent('a')], 'least_busy', T0), 'queue[1].queuedAt'],
      [() => assignQueue([conv('x')], [agent('a')], 'least_busy', Number.NaN), 'now'],
      [() => assignQueue([conv('x'), conv('x')], [agent('a')], 'least_busy', T0), 'queue[1].id'],
      [() => assignQueue([conv('x')], [agent('a'), agent('a')], 'least_busy', T0), 'agents[1].id'],
      [() => assignQueue([conv('x', { priority: 'p1' as Priority })], [agent('a')], 'least_busy', T0), 'queue[0].priority'],
      [() => assignQueue([conv('x')], [agent('a', { presence: 'busy' as 'away' })], 'least_busy', T0), 'agents[0].presence'],
      [() => assignQueue([conv('x')], [agent('a')], 'fastest' as RoutingStrategy, T0), 'strategy'],
      [() => orderQueue([conv('x')], T0, { agingMs: 0 }), 'agingMs'],
      [() => pickAgent(conv('x', { skills: 'lang:en' as unknown as string[] }), [agent('a')], 'least_busy'), 'conversation.skills'],
    ];
    for (const [fn, field] of cases) {
      const err = failure(fn);
      expect(err.code).toBe('ROUTING_INPUT_INVALID');
      expect(err.details.field).toBe(field);
      expect(err.message).toContain(field);
    }
    expect(failure(() => assignQueue([conv('x')], [agent('a', { capacity: -1 })], 'least_busy', T0)).message).toBe(
      'agents[0].capacity must be a whole number ≥ 0 (got -1)',
    );
  });
});

describe('queuePosition', () => {
  const queue = [
    conv('urgent-tv', { priority: 'urgent', skills: ['product:tv'], queuedAt: T0 + 5 }),
    conv('en-old', { skills: ['lang:en'], queuedAt: T0 }),
    conv('zh-old', { skills: ['lang:zh-Hans'], queuedAt: T0 + 1 }),
    conv('en-new', { skills: ['lang:en'], queuedAt: T0 + 2 }),
    conv('billing', { teamId: 'billing', queuedAt: T0 + 3 }),
    conv('sales', { teamId: 'sales', queuedAt: T0 + 4 }),
  ];

  it('counts only the conversations ahead that the same agents could take', () => {
    const agents = [agent('en', { teamIds: ['sales'], skills: ['lang:en'] }), agent('zh', { teamIds: ['billing'], skills: ['lang:zh-Hans'] })];
    // Nobody handles TV: urgent-tv does not compete with anyone.
    expect(queuePosition(queue, 'en-new', T0 + 10, { agents })).toBe(2);
    expect(queuePosition(queue, 'zh-old', T0 + 10, { agents })).toBe(1);
    expect(queuePosition(queue, 'sales', T0 + 10, { agents })).toBe(3);
    expect(queuePosition(queue, 'billing', T0 + 10, { agents })).toBe(2);
    expect(queuePosition(queue, 'urgent-tv', T0 + 10, { agents })).toBe(1);
    expect(queuePosition(queue, 'missing', T0 + 10, { agents })).toBeNull();
  });

  it('without agents, counts conversations ahead whose team can meet this one', () => {
    expect(queuePosition(queue, 'billing', T0 + 10)).toBe(5);
    expect(queuePosition(queue, 'sales', T0 + 10)).toBe(5);
    expect(queuePosition(queue, 'en-new', T0 + 10)).toBe(4);
  });
});

describe('expectedWaitMs', () => {
  it('is position × average handle time ÷ the capacity online, or the measured close rate when known', () => {
    expect(expectedWaitMs(1, { averageHandleMs: 10 * MIN, onlineCapacity: 20 })).toBe(30_000);
    expect(expectedWaitMs(40, { averageHandleMs: 10 * MIN, onlineCapacity: 20 })).toBe(20 * MIN);
    // 30 closes in the last 10 minutes = one every 20 s.
    expect(expectedWaitMs(3, { averageHandleMs: 10 * MIN, onlineCapacity: 20, recentCloses: { count: 30, windowMs: 10 * MIN } })).toBe(MIN);
    expect(expectedWaitMs(3, { averageHandleMs: 10 * MIN, onlineCapacity: 20, recentCloses: { count: 0, windowMs: 10 * MIN } })).toBe(90_000);
  });

  it('has no estimate when nobody online can take the conversation, and refuses nonsense', () => {
    expect(expectedWaitMs(1, { averageHandleMs: 10 * MIN, onlineCapacity: 0 })).toBeNull();
    expect(failure(() => expectedWaitMs(0, { averageHandleMs: MIN, onlineCapacity: 1 })).details.field).toBe('position');
    expect(failure(() => expectedWaitMs(1, { averageHandleMs: Number.NaN, onlineCapacity: 1 })).details.field).toBe('averageHandleMs');
    expect(failure(() => expectedWaitMs(1, { averageHandleMs: MIN, onlineCapacity: -2 })).details.field).toBe('onlineCapacity');
  });
});
