import { randomUUID } from 'node:crypto';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { type DefaultEventsMap, Server, type Socket } from 'socket.io';
import type { AppDeps } from '../../deps.js';
import type { Workspace } from '../../domain/entities.js';
import { DomainError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import { rasaTurn, startRasaSession } from '../../usecases/rasa-turn.js';
import { type RasaBotUttered, RasaSessionRequest, RasaUserUttered, rasaBotUtterances, rasaLocale } from '../rasa-messages.js';

/** Rasa's default socket.io path, which rasa-webchat connects to unless told otherwise. */
const PATH = '/socket.io/';
/** Messages a socket may have waiting for their turn; more are refused (a client stuck in a loop). */
const MAX_QUEUED = 5;

interface SocketData {
  key: string;
  workspaceId: string;
  sessionId: string | null;
  room: string | null;
}
type RasaServer = Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
type RasaSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Rasa's socket.io channel (`session_request` → `session_confirm`, `user_uttered` → `bot_uttered`), so
 * rasa-webchat and other Rasa socket clients connect unchanged. The workspace is named by its public
 * widget key in the handshake (`auth: {key}` or `?key=`); a wrong key fails the connection
 * (`connect_error`). Agents' replies after a hand-off arrive as `bot_uttered` too: every instance hears
 * every `message.created` on the bus and tells its own sockets. Problems with a message are reported as a
 * `kefu_error` event `{code, message}` (Rasa clients ignore events they do not know); the socket stays.
 */
export const rasaSocket =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    let io: RasaServer | null = null;
    let unsubscribe: () => void = () => undefined;
    // Attached once the server exists and Fastify's own upgrade handler (@fastify/websocket) is in place.
    app.addHook('onReady', async () => {
      const server = attach(app.server, deps);
      io = server;
      unsubscribe = deps.ctx.bus.subscribe((e) => relay(server, e));
    });
    app.addHook('preClose', async () => {
      unsubscribe();
      io?.disconnectSockets(true);
      io?.engine.close();
    });
  };

function attach(http: HttpServer, deps: AppDeps): RasaServer {
  const { ctx } = deps;
  const io: RasaServer = new Server({
    path: PATH,
    serveClient: false,
    // Rasa widgets are embedded on customers' own sites, whatever their origin; nothing is sent with
    // cookies, and the widget key is public anyway (docs/channel-rasa.md).
    cors: { origin: '*' },
    maxHttpBufferSize: Math.max(64 * 1024, deps.config.MESSAGE_MAX_CHARS * 4 + 16 * 1024),
  });
  // engine.io wraps the 'request' listeners itself (its path first, Fastify for everything else), but it
  // adds its 'upgrade' listener beside @fastify/websocket's, which would answer /socket.io/ upgrades
  // with a 404. One listener routes each upgrade to exactly one of them.
  const fastifyUpgrades = http.listeners('upgrade') as UpgradeListener[];
  io.attach(http);
  for (const l of http.listeners('upgrade') as UpgradeListener[]) http.off('upgrade', l);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith(PATH)) io.engine.handleUpgrade(req, socket, head);
    else for (const l of fastifyUpgrades) l.call(http, req, socket, head);
  });

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { key?: unknown } | undefined;
    const query = socket.handshake.query.key;
    const key = typeof auth?.key === 'string' ? auth.key : typeof query === 'string' ? query : '';
    const invalid = () => next(Object.assign(new Error('the widget key is not valid'), { data: { code: 'WIDGET_KEY_INVALID' } }));
    if (!key || key.length > 200) return invalid();
    ctx.store.workspaces.findByWidgetKey(key).then(
      (ws) => {
        if (!ws) return invalid();
        socket.data = { key, workspaceId: ws.id, sessionId: null, room: null };
        next();
      },
      (err) => {
        ctx.log.error({ err }, 'rasa socket handshake failed');
        next(Object.assign(new Error('something went wrong'), { data: { code: 'INTERNAL' } }));
      },
    );
  });

  io.on('connection', (socket) => {
    // One message at a time per socket, in order, as Rasa handles a sender's messages.
    let queue = Promise.resolve();
    let queued = 0;
    const enqueue = (fn: () => Promise<void>) => {
      if (queued >= MAX_QUEUED) return fail(socket, 'RATE_LIMITED', 'too many messages waiting; wait for the replies');
      queued++;
      queue = queue
        .then(fn)
        .catch((err) => report(socket, err))
        .finally(() => {
          queued--;
        });
    };
    socket.on('session_request', (data: unknown) => enqueue(() => sessionRequest(socket, data)));
    socket.on('user_uttered', (data: unknown) => enqueue(() => userUttered(socket, data)));
  });

  async function sessionRequest(socket: RasaSocket, data: unknown) {
    const parsed = RasaSessionRequest.safeParse(data);
    if (!parsed.success) return invalid(socket, parsed.error);
    const workspace = await currentWorkspace(socket);
    if (!workspace) return;
    // Like Rasa: a client without a session id of its own is given one.
    const sessionId = parsed.data?.session_id ?? randomUUID().replaceAll('-', '');
    socket.data.sessionId = sessionId;
    const session = await deps.trackInFlight(() => startRasaSession(ctx, { workspace, sessionId, locale: sessionLocale(socket, parsed.data) }));
    join(socket, session.conversationId);
    socket.emit('session_confirm', sessionId);
    // A new session is greeted, as the widget greets; a known one (reconnect, reload) is not again.
    for (const u of rasaBotUtterances(session.greeting)) socket.emit('bot_uttered', u);
  }

  async function userUttered(socket: RasaSocket, data: unknown) {
    const parsed = RasaUserUttered.safeParse(data);
    if (!parsed.success) return invalid(socket, parsed.error);
    const workspace = await currentWorkspace(socket);
    if (!workspace) return;
    // Rasa without session persistence names the sender by the socket; so does kefu when no session was asked for.
    const sender = parsed.data.session_id ?? socket.data.sessionId ?? socket.id;
    const summary = await deps.trackInFlight(() => rasaTurn(ctx, { workspace, sender, message: parsed.data.message }));
    join(socket, summary.conversationId);
    emit(io, `conv:${summary.conversationId}`, rasaBotUtterances(summary.replies));
  }

  /** A widget key can be rotated while sockets are open: those opened with the old one stop here. */
  async function currentWorkspace(socket: RasaSocket): Promise<Workspace | null> {
    const workspace = await ctx.store.workspaces.findByWidgetKey(socket.data.key);
    if (workspace && workspace.id === socket.data.workspaceId) return workspace;
    fail(socket, 'WIDGET_KEY_INVALID', 'the widget key is not valid');
    socket.disconnect(true);
    return null;
  }

  function report(socket: RasaSocket, err: unknown) {
    if (err instanceof DomainError) return fail(socket, err.code, err.message);
    ctx.log.error({ err }, 'rasa socket message failed');
    fail(socket, 'INTERNAL', 'something went wrong');
  }

  return io;
}

/**
 * The client's language: what the session request names (rasa-webchat's `customData.language`), else
 * the handshake's `auth.locale` or `?locale=`, else the browser's Accept-Language on the handshake.
 */
function sessionLocale(socket: RasaSocket, request: RasaSessionRequest) {
  const auth = socket.handshake.auth as { locale?: unknown } | undefined;
  const h = socket.handshake;
  return rasaLocale([
    request?.customData?.language,
    request?.customData?.locale,
    request?.metadata?.language,
    request?.metadata?.locale,
    auth?.locale,
    h.query.locale,
    h.query.lang,
    h.headers['accept-language'],
  ]);
}

/** After a hand-off the agent's (and the system's) messages reach the Rasa sockets of that conversation. */
function relay(io: RasaServer, e: DomainEvent) {
  if (e.type !== 'message.created') return;
  const m = e.message;
  if (m.authorType !== 'agent' && m.authorType !== 'system') return;
  const room = `conv:${m.conversationId}`;
  if (io.sockets.adapter.rooms.has(room)) emit(io, room, rasaBotUtterances([m]));
}

function emit(io: RasaServer, room: string, utterances: RasaBotUttered[]) {
  for (const u of utterances) io.to(room).emit('bot_uttered', u);
}

/** A socket listens to one conversation: the one its session maps to (none before its first message). */
function join(socket: RasaSocket, conversationId: string | null) {
  const room = conversationId ? `conv:${conversationId}` : null;
  if (room === socket.data.room) return;
  if (socket.data.room) void socket.leave(socket.data.room);
  if (room) void socket.join(room);
  socket.data.room = room;
}

function invalid(socket: RasaSocket, error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const issues = error.issues.map((i) => `${i.path.map(String).join('.') || 'data'}: ${i.message}`).join('; ');
  fail(socket, 'VALIDATION_FAILED', issues);
}

function fail(socket: RasaSocket, code: string, message: string) {
  socket.emit('kefu_error', { code, message });
}
