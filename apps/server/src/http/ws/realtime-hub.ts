import { ClientFrame, type ServerFrame } from '@kefu/protocol';
import type { WebSocket } from 'ws';
import type { DomainEvent } from '../../domain/events.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { conversationForVisitor, describeConversation, describeMessages, forVisitor } from '../../usecases/describe-conversations.js';

interface Client {
  socket: WebSocket;
  workspaceId: string;
  /** Set for visitors: the one conversation they may see. Agents see the whole workspace. */
  conversationId: string | null;
  name: string | null;
  /** Re-checks the credential the socket was opened with: logout, revocation and expiry end the socket. */
  stillValid: () => Promise<boolean>;
}

const MAX_FRAME_BYTES = 4096;

/**
 * Fans domain events out to connected agents (whole workspace, notes and traces included) and
 * visitors (their conversation only, no notes, no traces), and relays typing indicators.
 */
export class RealtimeHub {
  private readonly clients = new Set<Client>();

  constructor(private readonly ctx: UseCaseContext) {}

  get size() {
    return this.clients.size;
  }

  add(socket: WebSocket, workspaceId: string, conversationId: string | null, name: string | null, stillValid: () => Promise<boolean>) {
    const client: Client = { socket, workspaceId, conversationId, name, stillValid };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('message', (data, isBinary) => this.onFrame(client, data as Buffer, isBinary));
    this.send(client, { type: 'ready', workspaceId });
  }

  async onEvent(event: DomainEvent) {
    if (event.type === 'message.created') {
      const m = event.message;
      const [dto] = await describeMessages(this.ctx.store, m.workspaceId, [m]);
      for (const c of this.clients) {
        if (c.workspaceId !== m.workspaceId) continue;
        if (c.conversationId === null) this.send(c, { type: 'message.created', conversationId: m.conversationId, message: dto! });
        else if (c.conversationId === m.conversationId && m.authorType !== 'note') {
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
      for (const c of this.clients)
        if (c.workspaceId === event.workspaceId && (c.conversationId === null || c.conversationId === conversationId)) this.send(c, frame);
    } else if (event.type === 'import.progressed') {
      const { workspaceId: _w, ...job } = event.job;
      for (const c of this.clients) if (c.workspaceId === event.workspaceId && c.conversationId === null) this.send(c, { type: 'import.progressed', job });
    } else if (event.type === 'intent_model.progressed') {
      const { workspaceId, ...run } = event.run;
      const serving = this.ctx.intentModels.serving(workspaceId)?.run.id === run.id;
      for (const c of this.clients)
        if (c.workspaceId === workspaceId && c.conversationId === null) this.send(c, { type: 'intent_model.progressed', run: { ...run, serving } });
    } else if (event.type === 'conversation.created' || event.type === 'conversation.updated') {
      if (!this.hasClients(event.workspaceId)) return;
      const conversation = await describeConversation(this.ctx.store, event.conversation);
      for (const c of this.clients) {
        if (c.workspaceId !== event.workspaceId) continue;
        if (c.conversationId === null) this.send(c, { type: event.type, conversation } as ServerFrame);
        else if (c.conversationId === conversation.id) this.send(c, { type: event.type, conversation: conversationForVisitor(conversation) } as ServerFrame);
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

  private hasClients(workspaceId: string) {
    for (const c of this.clients) if (c.workspaceId === workspaceId) return true;
    return false;
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
    for (const c of this.clients) {
      if (c === client || c.workspaceId !== client.workspaceId) continue;
      const toAgents = client.conversationId !== null && c.conversationId === null;
      const toVisitor = client.conversationId === null && c.conversationId === conversationId;
      if (toAgents || toVisitor) this.send(c, { type: 'typing', conversationId, author, on: frame.on });
    }
  }

  private send(c: Client, frame: ServerFrame) {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(frame));
  }
}
