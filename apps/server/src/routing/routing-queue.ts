import {
  type Assignment,
  agedLevel,
  type Candidate,
  canServe,
  checkAgent,
  checkAging,
  checkConversation,
  checkStrategy,
  checkTime,
  compareCandidates,
  compareIds,
  orderQueue,
  PRIORITIES,
  type Presence,
  type QueuedConversation,
  type RoutingAgent,
  type RoutingStrategy,
  routingError,
  skillMatch,
} from './route-queue.js';

export interface RoutingQueueOptions {
  strategy: RoutingStrategy;
  /** As in `orderQueue`: every full `agingMs` of waiting raises the effective priority one level. */
  agingMs?: number;
  /** An agent going offline gives its open conversations (those this queue assigned) back to the queue. Default true. */
  requeueOnOffline?: boolean;
}

/** What one event changed. */
export interface RoutingOutcome {
  /** In the order they were made. */
  assignments: Assignment[];
  /**
   * Conversations taken back from an agent that went offline or was removed, in routing order. Each is
   * either in `assignments` (another agent took it) or back in the queue, with its original `queuedAt`.
   */
  requeued: string[];
}

/**
 * The queue and the agents of one workspace, kept between events so that each event assigns without
 * re-sorting the queue or looking at every conversation: `enqueue`, `closeConversation`/`agentFreed`,
 * `setPresence`, `upsertAgent`, `removeAgent`. Each returns the assignments it made; they are the ones
 * `assignQueue` would make on the queue and agents as they stand after the event (tested on random
 * event sequences), because after every event no queued conversation can be taken by any agent with
 * room — so only what the event changed can lead to an assignment:
 * - a new (or requeued) conversation goes to the agent the strategy picks among those with room;
 * - an agent with new room (freed, back online, more capacity or skills) takes, one at a time, the
 *   first conversation in routing order it can serve.
 *
 * How: conversations are grouped by what they need (team + required skills), and each group keeps one
 * array per priority sorted by (queuedAt, id). Within such an array the routing order is that order,
 * aging included (older = at least as aged), so a group's next conversation is the best of its four
 * array heads and an agent's next is the best head among the groups it can serve: O(groups) per
 * assignment, plus a binary-search insert per enqueue. Only agents with room are considered for a new
 * conversation.
 *
 * Starting from the database: `upsertAgent` each agent with its `active` count, `adoptAssignment`
 * each open assigned conversation (so that closing it, or its agent going offline, works as for one
 * this queue assigned), then `enqueue` the waiting ones oldest first.
 *
 * Bad input is refused as in `assignQueue` (`ROUTING_INPUT_INVALID`), plus: enqueueing an id already
 * queued or assigned, and events for an unknown agent. Closing a conversation this queue does not
 * hold is ignored (use `agentFreed` for conversations it does not know); so is `agentFreed` on an
 * agent whose open conversations are all ones this queue holds. The state lives in this object: with
 * several server instances, one instance must own a workspace's queue.
 */
export class RoutingQueue {
  readonly strategy: RoutingStrategy;
  readonly agingMs: number | undefined;
  private readonly requeueOnOffline: boolean;
  private readonly agents = new Map<string, AgentRecord>();
  /** Online agents with `active < capacity`. */
  private readonly withRoom = new Set<AgentRecord>();
  private readonly groups = new Map<string, Group>();
  private readonly queued = new Map<string, Entry>();
  private readonly assigned = new Map<string, { conversation: QueuedConversation; agent: AgentRecord }>();
  /** Event counter; `turn` only breaks ties among agents assigned in the current event (as within one `assignQueue`). */
  private event = 0;
  private turn = 0;

  constructor(opts: RoutingQueueOptions) {
    checkStrategy(opts.strategy);
    this.strategy = opts.strategy;
    this.agingMs = checkAging(opts.agingMs);
    this.requeueOnOffline = opts.requeueOnOffline ?? true;
  }

  /** Conversations waiting. */
  get size(): number {
    return this.queued.size;
  }

  enqueue(conversation: QueuedConversation, now: number): RoutingOutcome {
    const out = this.begin(now);
    checkConversation(conversation, 'conversation');
    if (this.queued.has(conversation.id) || this.assigned.has(conversation.id))
      throw routingError('conversation.id', conversation.id, 'is already queued or assigned');
    this.route(copyConversation(conversation), now, out);
    return out;
  }

  /**
   * Records a conversation already assigned to `agentId` before this queue started. The agent's
   * `active` is taken to count it already (as it does when loaded from the database); nothing is assigned.
   */
  adoptAssignment(conversation: QueuedConversation, agentId: string): void {
    checkConversation(conversation, 'conversation');
    if (this.queued.has(conversation.id) || this.assigned.has(conversation.id))
      throw routingError('conversation.id', conversation.id, 'is already queued or assigned');
    const agent = this.agent(agentId);
    agent.open.add(conversation.id);
    agent.active = Math.max(agent.active, agent.open.size);
    this.assigned.set(conversation.id, { conversation: copyConversation(conversation), agent });
    this.refresh(agent);
  }

  /** Takes a waiting conversation out of the queue (the customer left). False when it was not waiting. */
  dequeue(conversationId: string): boolean {
    const entry = this.queued.get(conversationId);
    if (!entry) return false;
    this.removeEntry(entry);
    return true;
  }

  /** A conversation this queue assigned was resolved or closed: its agent has room for the next one. */
  closeConversation(conversationId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    const held = this.assigned.get(conversationId);
    if (!held) return out;
    this.assigned.delete(conversationId);
    held.agent.open.delete(conversationId);
    held.agent.active = Math.max(0, held.agent.active - 1);
    this.refresh(held.agent);
    this.drain(held.agent, now, out);
    return out;
  }

  /** One of the agent's conversations that this queue did not assign was closed. */
  agentFreed(agentId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    const agent = this.agent(agentId);
    if (agent.active - agent.open.size <= 0) return out;
    agent.active--;
    this.refresh(agent);
    this.drain(agent, now, out);
    return out;
  }

  setPresence(agentId: string, presence: Presence, now: number): RoutingOutcome {
    const out = this.begin(now);
    const agent = this.agent(agentId);
    checkAgent({ ...this.snapshot(agent), presence }, 'agent');
    this.applyPresence(agent, presence, now, out);
    return out;
  }

  /**
   * Adds an agent or updates its teams, skills, capacity and presence. For a known agent, `active` and
   * `lastAssignedAt` are this queue's own (it counts what it assigns); the values passed are ignored.
   */
  upsertAgent(input: RoutingAgent, now: number): RoutingOutcome {
    const out = this.begin(now);
    checkAgent(input, 'agent');
    const known = this.agents.get(input.id);
    if (!known) {
      const agent: AgentRecord = {
        id: input.id,
        teamIds: [...input.teamIds],
        skillList: [...input.skills],
        teams: new Set(input.teamIds),
        skills: new Set(input.skills),
        capacity: input.capacity,
        active: input.active,
        presence: input.presence,
        lastAssignedAt: input.lastAssignedAt,
        turn: 0,
        turnEvent: 0,
        open: new Set(),
      };
      this.agents.set(agent.id, agent);
      this.refresh(agent);
      this.drain(agent, now, out);
      return out;
    }
    known.teamIds = [...input.teamIds];
    known.skillList = [...input.skills];
    known.teams = new Set(input.teamIds);
    known.skills = new Set(input.skills);
    known.capacity = input.capacity;
    this.applyPresence(known, input.presence, now, out);
    return out;
  }

  /** The agent leaves the roster; its open conversations go back to the queue (or to other agents). */
  removeAgent(agentId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    const agent = this.agent(agentId);
    agent.presence = 'offline';
    this.refresh(agent);
    this.agents.delete(agentId);
    this.requeue(agent, now, out);
    return out;
  }

  /** As `queuePosition(queue, id, now, { agents, agingMs })` over this queue's conversations and agents; null when not waiting. */
  position(conversationId: string, now: number): number | null {
    checkTime(now, 'now');
    const target = this.queued.get(conversationId);
    if (!target) return null;
    const serving = [...this.agents.values()].filter((a) => canServe(a, target.group));
    let position = 1;
    for (const group of this.groups.values()) {
      if (!serving.some((a) => canServe(a, group))) continue;
      for (const bucket of group.buckets) {
        // Routing order within a bucket follows its (queuedAt, id) order: those ahead are a prefix.
        let lo = 0;
        let hi = bucket.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (this.compareEntries(bucket[mid]!, target, now) < 0) lo = mid + 1;
          else hi = mid;
        }
        position += lo;
      }
    }
    return position;
  }

  /** The waiting conversations in routing order at `now`. */
  waiting(now: number): QueuedConversation[] {
    return orderQueue(
      [...this.queued.values()].map((e) => copyConversation(e.conversation)),
      now,
      { agingMs: this.agingMs },
    );
  }

  /** The agents as they stand (active and lastAssignedAt as this queue counts them), in id order. */
  roster(): RoutingAgent[] {
    return [...this.agents.values()].map((a) => this.snapshot(a)).sort((a, b) => compareIds(a.id, b.id));
  }

  /** Who this queue assigned the conversation to, while it is open; null otherwise. */
  assigneeOf(conversationId: string): string | null {
    return this.assigned.get(conversationId)?.agent.id ?? null;
  }

  // ── events ──────────────────────────────────────────────────────────────────────────────────────

  private begin(now: number): RoutingOutcome {
    checkTime(now, 'now');
    this.event++;
    this.turn = 0;
    return { assignments: [], requeued: [] };
  }

  private agent(agentId: string): AgentRecord {
    const agent = this.agents.get(agentId);
    if (!agent) throw routingError('agentId', agentId, 'is not an agent of this queue');
    return agent;
  }

  private applyPresence(agent: AgentRecord, presence: Presence, now: number, out: RoutingOutcome): void {
    const was = agent.presence;
    agent.presence = presence;
    this.refresh(agent);
    if (presence === 'offline' && was !== 'offline' && this.requeueOnOffline) this.requeue(agent, now, out);
    this.drain(agent, now, out);
  }

  /** Gives the agent's open conversations back, in routing order, each to the best other agent or to the queue. */
  private requeue(agent: AgentRecord, now: number, out: RoutingOutcome): void {
    if (agent.open.size === 0) return;
    const held = [...agent.open].map((id) => this.assigned.get(id)!.conversation);
    for (const c of held) {
      this.assigned.delete(c.id);
      agent.open.delete(c.id);
      agent.active = Math.max(0, agent.active - 1);
    }
    this.refresh(agent);
    // The conversations were validated when enqueued: sort them as orderQueue would, without checking again.
    const level = (c: QueuedConversation) => agedLevel(PRIORITIES.indexOf(c.priority), c.queuedAt, now, this.agingMs);
    held.sort((a, b) => level(b) - level(a) || a.queuedAt - b.queuedAt || compareIds(a.id, b.id));
    for (const c of held) {
      out.requeued.push(c.id);
      this.route(c, now, out);
    }
  }

  /** A conversation nobody was waiting for: to the agent the strategy picks among those with room, or into the queue. */
  private route(c: QueuedConversation, now: number, out: RoutingOutcome): void {
    let best: AgentRecord | null = null;
    let bestCandidate: Candidate | null = null;
    for (const a of this.withRoom) {
      if (!canServe(a, c)) continue;
      const candidate = this.candidate(a, c);
      if (!bestCandidate || compareCandidates(this.strategy, candidate, bestCandidate) < 0) {
        best = a;
        bestCandidate = candidate;
      }
    }
    if (best) this.assign(c, best, now, out);
    else this.insert(c);
  }

  /** An agent with room takes the first conversations in routing order it can serve, until full. */
  private drain(agent: AgentRecord, now: number, out: RoutingOutcome): void {
    if (!this.withRoom.has(agent) || this.queued.size === 0) return;
    const servable = [...this.groups.values()].filter((g) => canServe(agent, g));
    while (agent.active < agent.capacity) {
      let best: Entry | null = null;
      for (const g of servable) {
        const head = this.head(g, now);
        if (head && (!best || this.compareEntries(head, best, now) < 0)) best = head;
      }
      if (!best) break;
      this.removeEntry(best);
      this.assign(best.conversation, agent, now, out);
    }
  }

  private assign(c: QueuedConversation, agent: AgentRecord, now: number, out: RoutingOutcome): void {
    agent.active++;
    agent.lastAssignedAt = now;
    agent.turn = ++this.turn;
    agent.turnEvent = this.event;
    agent.open.add(c.id);
    this.assigned.set(c.id, { conversation: c, agent });
    this.refresh(agent);
    out.assignments.push({ conversationId: c.id, agentId: agent.id });
  }

  private candidate(a: AgentRecord, c: QueuedConversation): Candidate {
    return {
      id: a.id,
      capacity: a.capacity,
      active: a.active,
      lastAssignedAt: a.lastAssignedAt,
      turn: a.turnEvent === this.event ? a.turn : 0,
      skillMatch: this.strategy === 'skill_based' ? skillMatch(a, c) : 0,
    };
  }

  private refresh(agent: AgentRecord): void {
    if (agent.presence === 'online' && agent.active < agent.capacity && this.agents.has(agent.id)) this.withRoom.add(agent);
    else this.withRoom.delete(agent);
  }

  private snapshot(a: AgentRecord): RoutingAgent {
    return {
      id: a.id,
      teamIds: [...a.teamIds],
      skills: [...a.skillList],
      capacity: a.capacity,
      active: a.active,
      presence: a.presence,
      lastAssignedAt: a.lastAssignedAt,
    };
  }

  // ── the queue ───────────────────────────────────────────────────────────────────────────────────

  private insert(c: QueuedConversation): void {
    const skills = [...new Set(c.skills)].sort(compareIds);
    const key = JSON.stringify([c.teamId, skills]);
    let group = this.groups.get(key);
    if (!group) {
      group = { key, teamId: c.teamId, skills, buckets: PRIORITIES.map(() => []), size: 0 };
      this.groups.set(key, group);
    }
    const entry: Entry = { conversation: c, level: PRIORITIES.indexOf(c.priority), group };
    const bucket = group.buckets[entry.level]!;
    const last = bucket[bucket.length - 1];
    // New conversations are usually the newest: append without searching.
    if (!last || compareArrival(last, entry) < 0) bucket.push(entry);
    else bucket.splice(this.indexFor(bucket, entry), 0, entry);
    group.size++;
    this.queued.set(c.id, entry);
  }

  private removeEntry(entry: Entry): void {
    const { group } = entry;
    const bucket = group.buckets[entry.level]!;
    if (bucket[0] === entry) bucket.shift();
    else bucket.splice(this.indexFor(bucket, entry), 1);
    this.queued.delete(entry.conversation.id);
    if (--group.size === 0) this.groups.delete(group.key);
  }

  /** First index whose entry arrived at or after `entry` (by queuedAt, then id). */
  private indexFor(bucket: readonly Entry[], entry: Entry): number {
    let lo = 0;
    let hi = bucket.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareArrival(bucket[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private head(group: Group, now: number): Entry | null {
    let best: Entry | null = null;
    for (const bucket of group.buckets) {
      const first = bucket[0];
      if (first && (!best || this.compareEntries(first, best, now) < 0)) best = first;
    }
    return best;
  }

  /** Routing order, as `orderQueue`. */
  private compareEntries(a: Entry, b: Entry, now: number): number {
    const la = agedLevel(a.level, a.conversation.queuedAt, now, this.agingMs);
    const lb = agedLevel(b.level, b.conversation.queuedAt, now, this.agingMs);
    return lb - la || a.conversation.queuedAt - b.conversation.queuedAt || compareIds(a.conversation.id, b.conversation.id);
  }
}

interface AgentRecord {
  id: string;
  teamIds: string[];
  skillList: string[];
  teams: Set<string>;
  skills: Set<string>;
  capacity: number;
  active: number;
  presence: Presence;
  lastAssignedAt: number | null;
  turn: number;
  turnEvent: number;
  /** Conversations this queue assigned to the agent and that are still open. */
  open: Set<string>;
}

/** Waiting conversations that need the same team and required skills. */
interface Group {
  key: string;
  teamId: string | null;
  skills: string[];
  /** One per priority level, each sorted by (queuedAt, id). */
  buckets: Entry[][];
  size: number;
}

interface Entry {
  conversation: QueuedConversation;
  /** The level of the conversation's own priority (aging is applied when comparing). */
  level: number;
  group: Group;
}

function compareArrival(a: Entry, b: Entry): number {
  return a.conversation.queuedAt - b.conversation.queuedAt || compareIds(a.conversation.id, b.conversation.id);
}

function copyConversation(c: QueuedConversation): QueuedConversation {
  const copy: QueuedConversation = { id: c.id, teamId: c.teamId, priority: c.priority, queuedAt: c.queuedAt, skills: [...c.skills] };
  if (c.preferredSkills) copy.preferredSkills = [...c.preferredSkills];
  return copy;
}
