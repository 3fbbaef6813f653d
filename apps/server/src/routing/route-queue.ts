import type { ConversationPriority } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';

/**
 * Routing of queued conversations to human agents, as pure functions over plain data: the order of the
 * queue, the choice of an agent, a whole batch of assignments, a customer's place in the queue and an
 * expected wait. `RoutingQueue` (routing-queue.ts) keeps the same decisions incrementally, event by
 * event; its tests check that both agree on random event sequences, and bench/routing.mjs measures it.
 *
 * Rules every function here follows:
 * - Queue order: effective priority (urgent > high > normal > low), then oldest `queuedAt`, then id.
 *   With `agingMs`, every full `agingMs` of waiting raises the effective priority by one level (up to
 *   urgent), so low-priority conversations cannot starve behind a steady stream of normal ones.
 * - An agent can take a conversation when it is `online`, `active < capacity`, in the conversation's
 *   team (`teamId: null` = any agent) and has every required skill. Preferred skills never exclude.
 * - Strategies break every tie down to the agent id, so the result is deterministic:
 *   - `round_robin`: the agent assigned longest ago (never assigned first), then the one with fewer
 *     open conversations, then id;
 *   - `least_busy`: the lowest `active / capacity`, then as round robin;
 *   - `skill_based`: the most of the conversation's required and preferred skills, then as least busy.
 *     Every eligible agent has all required skills, so the preferred ones decide; without preferred
 *     skills this is least busy.
 *   Agents assigned within the same batch all get `lastAssignedAt = now`; among them the one assigned
 *   earlier in the batch counts as longer ago (`AgentLoad.turn`), so round robin keeps rotating. A
 *   later batch cannot see that order any more: there, fewer open conversations first keeps the spread
 *   even (the agents who got one more in the last batch wait).
 *
 * Bad input (every function validates what it is given; nothing is assigned when something is bad):
 * - `capacity: 0` is accepted and means "takes no conversations" (an agent paused by an admin);
 *   `active > capacity` is accepted (capacity lowered while conversations are open): no new ones until
 *   it drops below.
 * - Negative, fractional or NaN `capacity`/`active`, NaN or infinite times (`queuedAt`, `now`,
 *   `lastAssignedAt`), an unknown priority, presence or strategy, `agingMs ≤ 0`, and duplicate agent or
 *   conversation ids throw a `DomainError` with code `ROUTING_INPUT_INVALID` whose message names the
 *   field (`details.field`, `details.value`).
 */

export type Presence = 'online' | 'away' | 'offline';
export type Priority = ConversationPriority;
export type RoutingStrategy = 'round_robin' | 'least_busy' | 'skill_based';

export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['round_robin', 'least_busy', 'skill_based'];
/** Lowest first: the index is the priority's level. */
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
const PRESENCES: readonly Presence[] = ['online', 'away', 'offline'];
const URGENT = PRIORITIES.length - 1;

export interface RoutingAgent {
  id: string;
  teamIds: string[];
  /** e.g. `lang:zh-Hans`, `lang:en`, `product:tv`. */
  skills: string[];
  /** Most open conversations at once. */
  capacity: number;
  /** Open conversations assigned now. */
  active: number;
  presence: Presence;
  /** ms epoch; null = never assigned. */
  lastAssignedAt: number | null;
}

export interface QueuedConversation {
  id: string;
  /** null = any team. */
  teamId: string | null;
  priority: Priority;
  /** ms epoch. */
  queuedAt: number;
  /** Required: only agents with all of them can take it, e.g. `['lang:zh-Hant']`. */
  skills: string[];
  /** Nice to have (e.g. `product:tv`): `skill_based` prefers agents with more of them; never required. */
  preferredSkills?: string[];
}

export interface Assignment {
  conversationId: string;
  agentId: string;
}

export interface OrderOptions {
  /** Every full `agingMs` of waiting raises the effective priority one level. Off when absent. */
  agingMs?: number;
}

/** What changes about an agent while a batch assigns: its open conversations and last assignment. */
export interface AgentLoad {
  active: number;
  lastAssignedAt: number | null;
  /** Order of assignment within the current batch (1, 2, …); 0 = not assigned in it. Breaks ties between equal `lastAssignedAt`. */
  turn: number;
}

/** By agent id; an agent missing here is read from its own `active` and `lastAssignedAt`, turn 0. */
export type AgentLoads = ReadonlyMap<string, AgentLoad>;

/** The queue in routing order (a new array; the input is not changed). */
export function orderQueue(queue: readonly QueuedConversation[], now: number, opts: OrderOptions = {}): QueuedConversation[] {
  checkTime(now, 'now');
  const agingMs = checkAging(opts.agingMs);
  checkQueue(queue);
  const keyed = queue.map((c) => ({ c, level: effectivePriority(c, now, agingMs) }));
  keyed.sort((a, b) => b.level - a.level || a.c.queuedAt - b.c.queuedAt || compareIds(a.c.id, b.c.id));
  return keyed.map((k) => k.c);
}

/**
 * The agent `strategy` picks for one conversation, or null when no agent can take it. `state` holds
 * loads that differ from the agents' own fields (a batch in progress); omit it for a single pick.
 */
export function pickAgent(
  conversation: QueuedConversation,
  agents: readonly RoutingAgent[],
  strategy: RoutingStrategy,
  state: AgentLoads = new Map(),
): string | null {
  checkStrategy(strategy);
  checkConversation(conversation, 'conversation');
  checkAgents(agents);
  const prepared = agents.map(prepareAgent);
  return pickPrepared(conversation, prepared, strategy, state)?.id ?? null;
}

/**
 * Assigns the queue in routing order, each conversation to the agent `strategy` picks, counting each
 * assignment against the agent's capacity (and as its `lastAssignedAt = now`) before the next one.
 * A conversation nobody can take stays queued and does not hold up the ones behind it.
 * Returns the assignments in the order they were made; the inputs are not changed.
 */
export function assignQueue(
  queue: readonly QueuedConversation[],
  agents: readonly RoutingAgent[],
  strategy: RoutingStrategy,
  now: number,
  opts: OrderOptions = {},
): Assignment[] {
  checkStrategy(strategy);
  checkAgents(agents);
  const ordered = orderQueue(queue, now, opts);
  const prepared = agents.map(prepareAgent);
  const state = new Map<string, AgentLoad>();
  const out: Assignment[] = [];
  let turn = 0;
  let free = prepared.filter((a) => a.presence === 'online' && a.active < a.capacity).length;
  for (const c of ordered) {
    if (free === 0) break;
    const agent = pickPrepared(c, prepared, strategy, state);
    if (!agent) continue;
    const load = state.get(agent.id) ?? { active: agent.active, lastAssignedAt: agent.lastAssignedAt, turn: 0 };
    const next = { active: load.active + 1, lastAssignedAt: now, turn: ++turn };
    state.set(agent.id, next);
    if (next.active >= agent.capacity) free--;
    out.push({ conversationId: c.id, agentId: agent.id });
  }
  return out;
}

export interface PositionOptions extends OrderOptions {
  /**
   * The roster (any presence, any load). Only conversations ahead that at least one of these agents
   * could take as well as this one count. Without it, conversations ahead count when their teams can
   * meet: the same team, or either of them open to any team.
   */
  agents?: readonly RoutingAgent[];
}

/**
 * The conversation's place (1 = next) in routing order among the conversations ahead of it that
 * compete for the same agents; null when it is not in the queue. Presence and load are ignored (they
 * change by the minute; who could serve whom does not). A conversation no agent on the roster could
 * take is 1: `expectedWaitMs` tells such a customer there is no estimate.
 */
export function queuePosition(queue: readonly QueuedConversation[], conversationId: string, now: number, opts: PositionOptions = {}): number | null {
  const ordered = orderQueue(queue, now, opts);
  const at = ordered.findIndex((c) => c.id === conversationId);
  if (at < 0) return null;
  const target = ordered[at]!;
  let competes: (c: QueuedConversation) => boolean;
  if (opts.agents) {
    checkAgents(opts.agents);
    const serving = opts.agents.map(prepareAgent).filter((a) => canServe(a, target));
    competes = (c) => serving.some((a) => canServe(a, c));
  } else {
    competes = (c) => c.teamId === null || target.teamId === null || c.teamId === target.teamId;
  }
  let position = 1;
  for (let i = 0; i < at; i++) if (competes(ordered[i]!)) position++;
  return position;
}

export interface WaitInputs {
  /** Mean time from assignment to close over recent conversations of this pool, ms. */
  averageHandleMs: number;
  /** Sum of `capacity` of the online agents who could take the conversation. */
  onlineCapacity: number;
  /**
   * Conversations of this pool closed over a recent window. When given with `count > 0`, the measured
   * rate replaces the capacity-based one (it already reflects agents slower or faster than average).
   */
  recentCloses?: { count: number; windowMs: number };
}

/**
 * Expected wait, ms, of the conversation at `position` (from `queuePosition`), or null when nobody
 * online can take it and nothing closed recently.
 *
 * Estimator: a queued conversation is waiting because every slot that could serve it is busy, so it
 * moves up one place each time one of those slots frees. With `onlineCapacity` busy slots and handle
 * times averaging `averageHandleMs`, slots free at `onlineCapacity / averageHandleMs` per ms (exact
 * for exponential handle times, where the first of C busy slots frees after H / C on average), so
 * wait = position × averageHandleMs / onlineCapacity. With `recentCloses`, the rate is
 * count / windowMs instead. Abandonment and new higher-priority arrivals are not modelled: the
 * first makes the estimate pessimistic, the second optimistic.
 */
export function expectedWaitMs(position: number, inputs: WaitInputs): number | null {
  if (!Number.isInteger(position) || position < 1) invalid('position', position, 'must be a whole number ≥ 1');
  const { averageHandleMs, onlineCapacity, recentCloses } = inputs;
  if (!Number.isFinite(averageHandleMs) || averageHandleMs <= 0) invalid('averageHandleMs', averageHandleMs, 'must be a finite number > 0');
  if (!Number.isFinite(onlineCapacity) || onlineCapacity < 0) invalid('onlineCapacity', onlineCapacity, 'must be a finite number ≥ 0');
  let rate = onlineCapacity / averageHandleMs;
  if (recentCloses) {
    const { count, windowMs } = recentCloses;
    if (!Number.isFinite(count) || count < 0) invalid('recentCloses.count', count, 'must be a finite number ≥ 0');
    if (!Number.isFinite(windowMs) || windowMs <= 0) invalid('recentCloses.windowMs', windowMs, 'must be a finite number > 0');
    if (count > 0) rate = count / windowMs;
  }
  return rate > 0 ? position / rate : null;
}

/** The priority level (0 = low … 3 = urgent) the conversation has at `now`, aging included. */
export function effectivePriority(c: QueuedConversation, now: number, agingMs: number | undefined): number {
  return agedLevel(PRIORITIES.indexOf(c.priority), c.queuedAt, now, agingMs);
}

/** `effectivePriority` from the level of the conversation's own priority. */
export function agedLevel(base: number, queuedAt: number, now: number, agingMs: number | undefined): number {
  if (!agingMs || base === URGENT) return base;
  const waited = now - queuedAt;
  return waited <= 0 ? base : Math.min(URGENT, base + Math.floor(waited / agingMs));
}

// ── shared with RoutingQueue ──────────────────────────────────────────────────────────────────────

/** An agent with its skills and teams as sets, for repeated eligibility checks. */
export interface PreparedAgent {
  id: string;
  teams: ReadonlySet<string>;
  skills: ReadonlySet<string>;
  capacity: number;
  active: number;
  presence: Presence;
  lastAssignedAt: number | null;
}

export function prepareAgent(a: RoutingAgent): PreparedAgent {
  return {
    id: a.id,
    teams: new Set(a.teamIds),
    skills: new Set(a.skills),
    capacity: a.capacity,
    active: a.active,
    presence: a.presence,
    lastAssignedAt: a.lastAssignedAt,
  };
}

/** Team and skills only: whether the agent could ever take the conversation, whatever its presence and load. */
export function canServe(a: { teams: ReadonlySet<string>; skills: ReadonlySet<string> }, c: { teamId: string | null; skills: readonly string[] }): boolean {
  if (c.teamId !== null && !a.teams.has(c.teamId)) return false;
  for (const s of c.skills) if (!a.skills.has(s)) return false;
  return true;
}

/** How many of the conversation's required and preferred skills the agent has (each counted once). */
export function skillMatch(a: { skills: ReadonlySet<string> }, c: QueuedConversation): number {
  const wanted = new Set(c.skills);
  for (const s of c.preferredSkills ?? []) wanted.add(s);
  let n = 0;
  for (const s of wanted) if (a.skills.has(s)) n++;
  return n;
}

/** An eligible agent as the strategies compare them. */
export interface Candidate {
  id: string;
  capacity: number;
  active: number;
  lastAssignedAt: number | null;
  turn: number;
  skillMatch: number;
}

/** Negative when `a` should get the conversation before `b`. */
export function compareCandidates(strategy: RoutingStrategy, a: Candidate, b: Candidate): number {
  if (strategy === 'skill_based' && a.skillMatch !== b.skillMatch) return b.skillMatch - a.skillMatch;
  if (strategy !== 'round_robin') {
    // active/capacity compared without division: both capacities are > 0 for an eligible agent.
    const load = a.active * b.capacity - b.active * a.capacity;
    if (load !== 0) return load;
  }
  const la = a.lastAssignedAt ?? Number.NEGATIVE_INFINITY;
  const lb = b.lastAssignedAt ?? Number.NEGATIVE_INFINITY;
  if (la !== lb) return la < lb ? -1 : 1;
  return a.turn - b.turn || a.active - b.active || compareIds(a.id, b.id);
}

/** Code-unit order, the same in every locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function routingError(field: string, value: unknown, problem: string): DomainError {
  return new DomainError('ROUTING_INPUT_INVALID', `${field} ${problem} (got ${describe(value)})`, { field, value: describe(value) });
}

export function checkTime(t: unknown, field: string): void {
  if (typeof t !== 'number' || !Number.isFinite(t)) invalid(field, t, 'must be a finite number of ms');
}

export function checkAging(agingMs: number | undefined): number | undefined {
  if (agingMs === undefined) return undefined;
  if (typeof agingMs !== 'number' || !Number.isFinite(agingMs) || agingMs <= 0) invalid('agingMs', agingMs, 'must be a finite number of ms > 0');
  return agingMs;
}

export function checkStrategy(strategy: unknown): asserts strategy is RoutingStrategy {
  if (!ROUTING_STRATEGIES.includes(strategy as RoutingStrategy)) invalid('strategy', strategy, `must be one of ${ROUTING_STRATEGIES.join(', ')}`);
}

export function checkConversation(c: QueuedConversation, where: string): void {
  if (typeof c?.id !== 'string' || c.id === '') invalid(`${where}.id`, c?.id, 'must be a non-empty string');
  if (c.teamId !== null && typeof c.teamId !== 'string') invalid(`${where}.teamId`, c.teamId, 'must be a string or null');
  if (!PRIORITIES.includes(c.priority)) invalid(`${where}.priority`, c.priority, `must be one of ${PRIORITIES.join(', ')}`);
  checkTime(c.queuedAt, `${where}.queuedAt`);
  checkStrings(c.skills, `${where}.skills`);
  if (c.preferredSkills !== undefined) checkStrings(c.preferredSkills, `${where}.preferredSkills`);
}

export function checkAgent(a: RoutingAgent, where: string): void {
  if (typeof a?.id !== 'string' || a.id === '') invalid(`${where}.id`, a?.id, 'must be a non-empty string');
  checkStrings(a.teamIds, `${where}.teamIds`);
  checkStrings(a.skills, `${where}.skills`);
  if (!Number.isInteger(a.capacity) || a.capacity < 0) invalid(`${where}.capacity`, a.capacity, 'must be a whole number ≥ 0');
  if (!Number.isInteger(a.active) || a.active < 0) invalid(`${where}.active`, a.active, 'must be a whole number ≥ 0');
  if (!PRESENCES.includes(a.presence)) invalid(`${where}.presence`, a.presence, `must be one of ${PRESENCES.join(', ')}`);
  if (a.lastAssignedAt !== null) checkTime(a.lastAssignedAt, `${where}.lastAssignedAt`);
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────────

function pickPrepared(c: QueuedConversation, agents: readonly PreparedAgent[], strategy: RoutingStrategy, state: AgentLoads): PreparedAgent | null {
  let best: PreparedAgent | null = null;
  let bestCandidate: Candidate | null = null;
  for (const a of agents) {
    if (a.presence !== 'online') continue;
    const load = state.get(a.id);
    const active = load ? load.active : a.active;
    if (active >= a.capacity || !canServe(a, c)) continue;
    const candidate: Candidate = {
      id: a.id,
      capacity: a.capacity,
      active,
      lastAssignedAt: load ? load.lastAssignedAt : a.lastAssignedAt,
      turn: load ? load.turn : 0,
      skillMatch: strategy === 'skill_based' ? skillMatch(a, c) : 0,
    };
    if (!bestCandidate || compareCandidates(strategy, candidate, bestCandidate) < 0) {
      best = a;
      bestCandidate = candidate;
    }
  }
  return best;
}

function checkQueue(queue: readonly QueuedConversation[]): void {
  const seen = new Set<string>();
  queue.forEach((c, i) => {
    checkConversation(c, `queue[${i}]`);
    if (seen.has(c.id)) invalid(`queue[${i}].id`, c.id, 'is a duplicate conversation id');
    seen.add(c.id);
  });
}

function checkAgents(agents: readonly RoutingAgent[]): void {
  const seen = new Set<string>();
  agents.forEach((a, i) => {
    checkAgent(a, `agents[${i}]`);
    if (seen.has(a.id)) invalid(`agents[${i}].id`, a.id, 'is a duplicate agent id');
    seen.add(a.id);
  });
}

function checkStrings(xs: unknown, field: string): void {
  if (!Array.isArray(xs) || xs.some((x) => typeof x !== 'string')) invalid(field, xs, 'must be an array of strings');
}

function invalid(field: string, value: unknown, problem: string): never {
  throw routingError(field, value, problem);
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  try {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return typeof value;
  }
}
