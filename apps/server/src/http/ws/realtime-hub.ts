import { ClientFrame, type ServerFrame } from '@kefu/protocol';
import type { WebSocket } from 'ws';
import type { Conversation } from '../../domain/entities.js';
import type { DomainEvent } from '../../domain/events.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { canSee } from '../../usecases/conversation-access.js';
import { conversationForVisitor, describeConversation, describeMessages, forVisitor } from '../../usecases/describe-conversations.js';
import { slaEventDto } from '../../usecases/sla-clocks.js';

interface Client {
  socket: WebSocket;
  workspaceId: string;
  /** Set for visitors: the one conversation they may see. Agents see the whole workspace. */
  conversationId: string | null;
  /** The signed-in member (null for visitors and API keys): frames meant for one person (mentions) go to them. */
  memberId: string | null;
  /** An agent or viewer (not admin): sees only conversations of no team, of their teams, or assigned to them. */
  restricted: boolean;
  /** Their teams, read when first needed and dropped when teams change. */
  teamIds?: Promise<string[]> | undefined;
  name: string | null;
  /** Re-checks the credential the socket was opened with: logout, revocation and expiry end the socket. */
  stillValid: () => Promise<boolean>;
}

const MAX_FRAME_BYTES = 4096;
const OWNER_CACHE = 10_000;

/**
 * Fans domain events out to connected agents (whole workspace, notes and traces included) and
 * visitors (their conversation only, no notes, no traces), and relays typing indicators.
 */
export class RealtimeHub {
  private readonly clients = new Set<Client>();
  /** Team and owner of recently seen conversations: who of the restricted agents may hear about them. */
  private readonly owners = new Map<string, Pick<Conversation, 'teamId' | 'assigneeId' | 'updatedAt'>>();
  /** Agents' sockets by workspace and visitors' by conversation: an event reaches its audience without a scan of every socket. */
  private readonly agents = new Map<string, Set<Client>>();
  private readonly visitors = new Map<string, Set<Client>>();

  constructor(private readonly ctx: UseCaseContext) {}

  get size() {
    return this.clients.size;
  }

  add(socket: WebSocket, who: Omit<Client, 'socket'>) {
    const client: Client = { socket, ...who };
    const { workspaceId } = who;
    this.clients.add(client);
    this.index(client, true);
    socket.on('close', () => {
      this.clients.delete(client);
      this.index(client, false);
    });
    socket.on('message', (data, isBinary) => this.onFrame(client, data as Buffer, isBinary));
    this.send(client, { type: 'ready', workspaceId });
  }

  async onEvent(event: DomainEvent) {
    if (event.type === 'conversation.created' || event.type === 'conversation.updated') {
      // Copies can cross (a listener announcing what it read a moment ago): never send an older one after a newer one.
      const known = this.owners.get(event.conversation.id);
      if (known && known.updatedAt > event.conversation.updatedAt) return;
      this.remember(event.conversation);
    }
    if (event.type === 'teams.changed') {
      for (const c of this.audience(event.workspaceId)) c.teamIds = undefined;
    } else if (event.type === 'handoff.requested' || event.type === 'conversation.assigned' || event.type === 'conversation.transferred') {
      await this.onOwnership(event);
    } else if (event.type === 'message.created') {
      const m = event.message;
      const [dto] = await describeMessages(this.ctx.store, m.workspaceId, [m]);
      for (const c of this.audience(m.workspaceId, m.conversationId)) {
        if (c.conversationId === null) {
          if (await this.agentSees(c, m.workspaceId, m.conversationId))
            this.send(c, { type: 'message.created', conversationId: m.conversationId, message: dto! });
        } else if (c.conversationId === m.conversationId && m.authorType !== 'note') {
          this.send(c, { type: 'message.created', conversationId: m.conversationId, message: forVisitor(dto!) });
        }
      }
    } else if (event.type === 'answer.streamed') {
      // Agents of the workspace and the conversation's visitor see the answer as it is written.
      const { conversationId, answerId, seq, text } = event;
      const frame: ServerFrame =
        event.phase === 'start'
          ? { type: 'answer-start', conversationId, answerId, language: event.language ?? 'other' }
          : event.phase === 'delta'
            ? { type: 'answer-delta', conversationId, answerId, seq, text }
            : { type: 'answer-end', conversationId, answerId, status: event.status ?? 'done', text };
      for (const c of this.audience(event.workspaceId, conversationId)) {
        if (c.conversationId === conversationId || (c.conversationId === null && (await this.agentSees(c, event.workspaceId, conversationId))))
          this.send(c, frame);
      }
    } else if (event.type === 'mention.created') {
      // Only the mentioned members' own sockets hear about it: the rest of the team sees the note itself.
      const targets = this.audience(event.workspaceId).filter((c) => c.memberId !== null && event.memberIds.includes(c.memberId));
      if (targets.length === 0) return;
      const by = (await this.ctx.store.members.findById(event.workspaceId, event.by))?.name ?? null;
      for (const c of targets) {
        const id = event.mentions.find((m) => m.memberId === c.memberId)?.id;
        if (!id) continue;
        const { conversationId, messageId, excerpt, createdAt } = event;
        this.send(c, { type: 'mention', mention: { id, conversationId, messageId, by: { id: event.by, name: by }, excerpt, createdAt, readAt: null } });
      }
    } else if (event.type === 'sla.warning' || event.type === 'sla.breached') {
      const frame: ServerFrame = { type: event.type, event: slaEventDto(event.event) };
      for (const c of this.audience(event.workspaceId)) this.send(c, frame);
    } else if (event.type === 'import.progressed') {
      const { workspaceId: _w, ...job } = event.job;
      for (const c of this.audience(event.workspaceId)) this.send(c, { type: 'import.progressed', job });
    } else if (event.type === 'intent_model.progressed') {
      const { workspaceId, ...run } = event.run;
      const serving = this.ctx.intentModels.serving(workspaceId)?.run.id === run.id;
      for (const c of this.audience(workspaceId)) this.send(c, { type: 'intent_model.progressed', run: { ...run, serving } });
    } else if (event.type === 'conversation.created' || event.type === 'conversation.updated') {
      const audience = this.audience(event.workspaceId, event.conversation.id);
      if (audience.length === 0) return;
      const conversation = await describeConversation(this.ctx.store, event.conversation);
      for (const c of audience) {
        if (c.conversationId === null) {
          // An agent who may no longer see it (moved to another team) is told to drop it, nothing more.
          if (await this.agentSees(c, event.workspaceId, conversation.id)) this.send(c, { type: event.type, conversation } as ServerFrame);
          else if (event.type === 'conversation.updated') this.send(c, { type: 'conversation.removed', conversationId: conversation.id });
        } else if (c.conversationId === conversation.id) this.send(c, { type: event.type, conversation: conversationForVisitor(conversation) } as ServerFrame);
      }
    }
  }

  /** Closes (4401) every socket whose token is no longer valid. Runs periodically and after a logout. */
  async revalidate() {
    await Promise.all(
      [...this.clients].map(async (c) => {
        const ok = await c.stillValid().catch(() => true);
        if (!ok) c.socket.close(4401, 'token no longer valid');
      }),
    );
  }

  closeAll(code = 1001, reason = 'server shutting down') {
    for (const c of this.clients) c.socket.close(code, reason);
  }

  private async onOwnership(event: Extract<DomainEvent, { type: 'handoff.requested' | 'conversation.assigned' | 'conversation.transferred' }>) {
    if (!this.hasClients(event.workspaceId)) return;
    let frame: ServerFrame;
    if (event.type === 'handoff.requested') {
      frame = { type: 'handoff.requested', conversationId: event.conversationId, reason: event.reason, teamId: event.teamId ?? null };
    } else if (event.type === 'conversation.assigned') {
      const assignee = await this.ctx.store.members.findById(event.workspaceId, event.assigneeId);
      frame = {
        type: 'conversation.assigned',
        conversationId: event.conversationId,
        assignee: { id: event.assigneeId, name: assignee?.name ?? '' },
        by: event.by,
      };
    } else {
      const actor = event.actor.type === 'member' && event.actor.id ? await this.ctx.store.members.findById(event.workspaceId, event.actor.id) : null;
      frame = {
        type: 'conversation.transferred',
        conversationId: event.conversationId,
        from: event.from,
        to: event.to,
        by: { id: event.actor.id, name: actor?.name ?? null },
        note: event.note,
      };
    }
    for (const c of this.audience(event.workspaceId)) if (await this.agentSees(c, event.workspaceId, event.conversationId)) this.send(c, frame);
  }

  /** Whether an agent's socket may hear about the conversation (team visibility; admins and API keys hear everything). */
  private async agentSees(c: Client, workspaceId: string, conversationId: string): Promise<boolean> {
    if (!c.restricted || c.memberId === null) return true;
    let owner = this.owners.get(conversationId);
    if (!owner) {
      const conv = await this.ctx.store.conversations.findById(workspaceId, conversationId);
      if (!conv) return false;
      owner = this.remember(conv);
    }
    c.teamIds ??= this.ctx.store.teams.teamIdsOf(workspaceId, c.memberId);
    return canSee({ memberId: c.memberId, teamIds: await c.teamIds }, owner);
  }

  private remember(conv: Conversation) {
    const owner = { teamId: conv.teamId ?? null, assigneeId: conv.assigneeId, updatedAt: conv.updatedAt };
    if (this.owners.size >= OWNER_CACHE) this.owners.clear();
    this.owners.set(conv.id, owner);
    return owner;
  }

  private hasClients(workspaceId: string) {
    return (this.agents.get(workspaceId)?.size ?? 0) > 0;
  }

  /** The agents' sockets of the workspace, and the visitors' of `conversationId` when given. */
  private audience(workspaceId: string, conversationId?: string): Client[] {
    const agents = [...(this.agents.get(workspaceId) ?? [])];
    if (!conversationId) return agents;
    for (const c of this.visitors.get(conversationId) ?? []) if (c.workspaceId === workspaceId) agents.push(c);
    return agents;
  }

  private index(c: Client, on: boolean) {
    const [map, key] = c.conversationId === null ? [this.agents, c.workspaceId] : [this.visitors, c.conversationId];
    let set = map.get(key);
    if (on) {
      if (!set) map.set(key, (set = new Set()));
      set.add(c);
    } else if (set) {
      set.delete(c);
      if (set.size === 0) map.delete(key);
    }
  }

  private onFrame(client: Client, data: Buffer, isBinary: boolean) {
    if (isBinary || data.length > MAX_FRAME_BYTES)
      return this.send(client, { type: 'error', code: 'WS_FRAME_INVALID', message: 'send JSON text frames under 4 KB' });
    let frame: ClientFrame;
    try {
      const parsed = ClientFrame.safeParse(JSON.parse(data.toString('utf8')));
      if (!parsed.success) return this.send(client, { type: 'error', code: 'WS_FRAME_INVALID', message: parsed.error.issues[0]?.message ?? 'invalid frame' });
      frame = parsed.data;
    } catch {
      return this.send(client, { type: 'error', code: 'WS_FRAME_INVALID', message: 'frame is not JSON' });
    }
    if (frame.type === 'ping') return this.send(client, { type: 'pong' });
    // Typing: a visitor's goes to the agents of the workspace; an agent's to that conversation's visitor.
    const conversationId = client.conversationId ?? frame.conversationId;
    if (!conversationId) return this.send(client, { type: 'error', code: 'WS_FRAME_INVALID', message: 'typing needs a conversationId' });
    const author = client.conversationId ? ({ type: 'contact', name: client.name } as const) : ({ type: 'agent', name: client.name } as const);
    const on = frame.on;
    void (async () => {
      // An agent types only into conversations they may see; a visitor's typing reaches only agents who see theirs.
      if (client.conversationId === null && !(await this.agentSees(client, client.workspaceId, conversationId))) return;
      for (const c of this.audience(client.workspaceId, conversationId)) {
        if (c === client) continue;
        const toAgents = client.conversationId !== null && c.conversationId === null && (await this.agentSees(c, c.workspaceId, conversationId));
        const toVisitor = client.conversationId === null && c.conversationId === conversationId;
        if (toAgents || toVisitor) this.send(c, { type: 'typing', conversationId, author, on });
      }
    })().catch((err) => this.ctx.log.warn({ err }, 'typing not relayed'));
  }

  private send(c: Client, frame: ServerFrame) {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(frame));
  }
}
