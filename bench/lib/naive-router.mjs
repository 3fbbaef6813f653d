// The peer for bench/routing.mjs: routing as a simple product does it — after every event, sort the
// whole waiting list (priority, age, id) and walk it, scanning every agent for each conversation, until
// no agent has room. It makes the same decisions as kefu's RoutingQueue (same eligibility, strategies
// and tie-breaks: the bench checks that both produce the same assignments), so the difference is the
// work per event, not the outcome. Plain arrays; `teamIds.includes` / `skills.every(includes)` checks.
// Two cheap shortcuts a simple product would have too: nothing happens when no online agent has room,
// and the walk stops once every agent is full.
//
// `first_free` is not one of kefu's strategies: the first agent in roster order with room, the
// behaviour of a product without a routing strategy; the bench shows it only for fairness.

const LEVELS = { low: 0, normal: 1, high: 2, urgent: 3 };

export class NaiveRouter {
  constructor({ strategy, agingMs }) {
    this.strategy = strategy;
    this.agingMs = agingMs;
    this.queue = [];
    this.agents = [];
    this.held = new Map();
    this.event = 0;
    /** Events on which some agent had room, so the whole queue was sorted and walked. */
    this.fullPasses = 0;
  }

  upsertAgent(a, now) {
    this.event++;
    const known = this.agents.find((x) => x.id === a.id);
    if (known) Object.assign(known, { teamIds: [...a.teamIds], skills: [...a.skills], capacity: a.capacity, presence: a.presence });
    else this.agents.push({ ...a, teamIds: [...a.teamIds], skills: [...a.skills], turn: 0, turnEvent: 0 });
    return { assignments: this.match(now), requeued: [] };
  }

  enqueue(c, now) {
    this.event++;
    this.queue.push(c);
    return { assignments: this.match(now), requeued: [] };
  }

  closeConversation(id, now) {
    this.event++;
    const held = this.held.get(id);
    if (held) {
      this.held.delete(id);
      held.agent.active--;
    }
    return { assignments: this.match(now), requeued: [] };
  }

  setPresence(agentId, presence, now) {
    this.event++;
    const agent = this.agents.find((a) => a.id === agentId);
    const was = agent.presence;
    agent.presence = presence;
    const back = [];
    if (presence === 'offline' && was !== 'offline') {
      for (const [id, h] of this.held) {
        if (h.agent !== agent) continue;
        this.held.delete(id);
        agent.active--;
        back.push(h.conversation);
        this.queue.push(h.conversation);
      }
    }
    back.sort((a, b) => this.compareConversations(a, b, now));
    return { assignments: this.match(now), requeued: back.map((c) => c.id) };
  }

  match(now) {
    const out = [];
    const hasRoom = (a) => a.presence === 'online' && a.active < a.capacity;
    if (!this.agents.some(hasRoom)) return out;
    this.fullPasses++;
    this.queue.sort((a, b) => this.compareConversations(a, b, now));
    let turn = 0;
    const waiting = [];
    let full = false;
    for (const c of this.queue) {
      if (full) {
        waiting.push(c);
        continue;
      }
      let best = null;
      for (const a of this.agents) {
        if (!hasRoom(a)) continue;
        if (c.teamId !== null && !a.teamIds.includes(c.teamId)) continue;
        if (!c.skills.every((s) => a.skills.includes(s))) continue;
        if (!best || this.better(a, best, c)) best = a;
      }
      if (!best) {
        waiting.push(c);
        continue;
      }
      best.active++;
      best.lastAssignedAt = now;
      best.turn = ++turn;
      best.turnEvent = this.event;
      this.held.set(c.id, { conversation: c, agent: best });
      out.push({ conversationId: c.id, agentId: best.id });
      full = !this.agents.some(hasRoom);
    }
    this.queue = waiting;
    return out;
  }

  compareConversations(a, b, now) {
    return this.level(b, now) - this.level(a, now) || a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  level(c, now) {
    const base = LEVELS[c.priority];
    if (!this.agingMs || base === 3 || now <= c.queuedAt) return base;
    return Math.min(3, base + Math.floor((now - c.queuedAt) / this.agingMs));
  }

  /** Whether agent `a` should get conversation `c` before agent `b`. */
  better(a, b, c) {
    const s = this.strategy;
    if (s === 'first_free') return false;
    if (s === 'skill_based') {
      const wanted = [...new Set([...c.skills, ...(c.preferredSkills ?? [])])];
      const ma = wanted.filter((x) => a.skills.includes(x)).length;
      const mb = wanted.filter((x) => b.skills.includes(x)).length;
      if (ma !== mb) return ma > mb;
    }
    if (s !== 'round_robin') {
      const load = a.active * b.capacity - b.active * a.capacity;
      if (load !== 0) return load < 0;
    }
    const la = a.lastAssignedAt ?? Number.NEGATIVE_INFINITY;
    const lb = b.lastAssignedAt ?? Number.NEGATIVE_INFINITY;
    if (la !== lb) return la < lb;
    const ta = a.turnEvent === this.event ? a.turn : 0;
    const tb = b.turnEvent === this.event ? b.turn : 0;
    if (ta !== tb) return ta < tb;
    if (a.active !== b.active) return a.active < b.active;
    return a.id < b.id;
  }
}
