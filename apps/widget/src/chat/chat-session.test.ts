import type { Conversation, ConversationStatus, Message, SendMessageResponse, ServerFrame, StartConversationResponse, WidgetConfig } from '@kefu/protocol';
import { describe, expect, it, vi } from 'vitest';
import { type ChatEvent, type ChatItem, ChatSession, type ChatSessionOptions, type RealtimeConnection } from './chat-session.js';
import { ProblemError } from './problem-error.js';
import { memorySessionStore } from './session-store.js';
import { type UploadBody, UploadCancelled, type UploadOptions } from './visitor-api.js';
import type { VisitorSocketOptions } from './visitor-socket.js';

const WIDGET_KEY = 'kfw_demo';
let clock = 0;
const at = () => new Date(Date.UTC(2026, 0, 1, 8, 0, clock++)).toISOString();

function conversation(id: string, status: ConversationStatus = 'bot', assignee: Conversation['assignee'] = null): Conversation {
  return {
    id,
    workspaceId: 'ws',
    contact: { id: 'contact', name: null },
    channel: 'web',
    status,
    assignee,
    language: null,
    lastMessageAt: null,
    lastMessagePreview: null,
    handoffReason: null,
    tags: [],
    priority: 'normal',
    flow: null,
    createdAt: '2026-01-01T08:00:00.000Z',
    updatedAt: at(),
  };
}

function message(conversationId: string, type: Message['author']['type'], text: string, extra: Partial<Message> = {}): Message {
  return {
    id: `m-${clock}-${text}`,
    conversationId,
    author: { type, id: null, name: type === 'agent' ? 'Lily' : null },
    text,
    parts: [],
    clientMessageId: null,
    replyToId: null,
    metadata: {},
    createdAt: at(),
    ...extra,
  };
}

/** Answers the session's calls as scripted; unscripted sends resolve as the bot would. */
class FakeApi {
  started: string[] = [];
  sends: Array<{ text: string; clientMessageId: string }> = [];
  sendImpl: (conversationId: string, body: { text: string; clientMessageId: string }) => Promise<SendMessageResponse> = async (id, body) => ({
    message: message(id, 'contact', body.text, { clientMessageId: body.clientMessageId }),
    replies: [message(id, 'bot', `answer to ${body.text}`)],
    conversation: conversation(id),
  });
  history = new Map<string, Message[]>();
  conversations = new Map<string, Conversation>();
  reject: ProblemError | null = null;

  async startConversation(): Promise<StartConversationResponse> {
    const id = `c${this.started.length + 1}`;
    this.started.push(id);
    const c = conversation(id);
    this.conversations.set(id, c);
    return { conversation: c, visitorToken: `token-${id}`, messages: [message(id, 'bot', 'greeting')] };
  }
  async getConversation(id: string): Promise<Conversation> {
    if (this.reject) throw this.reject;
    return this.conversations.get(id) ?? conversation(id);
  }
  async listMessages(id: string): Promise<Message[]> {
    if (this.reject) throw this.reject;
    return this.history.get(id) ?? [];
  }
  sendMessage(id: string, _token: string, body: { text: string; clientMessageId: string }) {
    this.sends.push(body);
    return this.sendImpl(id, body);
  }
  socketUrl(token: string) {
    return `ws://kefu.test/v1/widget/ws?token=${token}`;
  }
}

class FakeSocket implements RealtimeConnection {
  sent: unknown[] = [];
  closed = false;
  constructor(readonly options: VisitorSocketOptions) {}
  connect() {}
  close() {
    this.closed = true;
  }
  send(frame: unknown) {
    this.sent.push(frame);
    return true;
  }
  deliver(frame: ServerFrame) {
    this.options.onFrame(frame);
  }
}

function setup(options: Partial<ChatSessionOptions> = {}) {
  const api = new FakeApi();
  const sockets: FakeSocket[] = [];
  const store = memorySessionStore();
  let ids = 0;
  const session = new ChatSession({
    api,
    store,
    widgetKey: WIDGET_KEY,
    locale: 'zh-CN',
    connect: (o) => {
      const s = new FakeSocket(o);
      sockets.push(s);
      return s;
    },
    randomId: () => `cmid-${++ids}`,
    ...options,
  });
  const events: ChatEvent[] = [];
  const items = new Map<string, ChatItem>();
  session.on((e) => {
    events.push(e);
    if (e.type === 'item') items.set(e.item.key, e.item);
    if (e.type === 'item-removed') items.delete(e.key);
    if (e.type === 'reset') items.clear();
  });
  return { api, sockets, store, session, events, items, socket: () => sockets.at(-1)! };
}

const texts = (items: Map<string, ChatItem>) => [...items.values()].map((i) => `${i.message.author.type}:${i.message.text}:${i.state}`);

describe('ChatSession', () => {
  it('starts a conversation, remembers it, and shows the greeting', async () => {
    const { session, store, items } = setup();
    await session.open();
    expect(store.load()).toEqual({ widgetKey: WIDGET_KEY, conversationId: 'c1', visitorToken: 'token-c1', locale: 'zh-CN' });
    expect(texts(items)).toEqual(['bot:greeting:sent']);
  });

  it('shows each message once when the socket delivers it before the HTTP answer', async () => {
    const { api, session, socket, items } = setup();
    await session.open();
    let answer!: (r: SendMessageResponse) => void;
    api.sendImpl = () => new Promise((resolve) => (answer = resolve));
    const sending = session.send('运费多少钱');
    expect(texts(items)).toContain('contact:运费多少钱:sending');

    const mine = message('c1', 'contact', '运费多少钱', { clientMessageId: 'cmid-1' });
    const reply = message('c1', 'bot', '满99元包邮');
    socket().deliver({ type: 'message.created', conversationId: 'c1', message: mine });
    socket().deliver({ type: 'message.created', conversationId: 'c1', message: reply });
    answer({ message: mine, replies: [reply], conversation: conversation('c1') });
    await sending;

    expect(texts(items)).toEqual(['bot:greeting:sent', 'contact:运费多少钱:sent', 'bot:满99元包邮:sent']);
  });

  it('shows a generated answer growing as it streams, in order, and swaps in the stored message', async () => {
    const { api, session, socket, items } = setup();
    await session.open();
    let answer!: (r: SendMessageResponse) => void;
    api.sendImpl = () => new Promise((resolve) => (answer = resolve));
    const sending = session.send('运费多少钱');
    socket().deliver({ type: 'answer-start', conversationId: 'c1', answerId: 'a1', language: 'zh-Hans' });
    socket().deliver({ type: 'answer-delta', conversationId: 'c1', answerId: 'a1', seq: 1, text: '满99元' });
    // A repeated or late frame does not duplicate text.
    socket().deliver({ type: 'answer-delta', conversationId: 'c1', answerId: 'a1', seq: 1, text: '满99元' });
    socket().deliver({ type: 'answer-delta', conversationId: 'c1', answerId: 'a1', seq: 2, text: '包邮[1]' });
    // Another conversation's frames are not ours.
    socket().deliver({ type: 'answer-start', conversationId: 'c9', answerId: 'x', language: 'zh-Hans' });
    expect(texts(items)).toEqual(['bot:greeting:sent', 'contact:运费多少钱:sending', 'bot:满99元包邮[1]:streaming']);

    socket().deliver({ type: 'answer-end', conversationId: 'c1', answerId: 'a1', status: 'done', text: '满99元包邮[1]' });
    const mine = message('c1', 'contact', '运费多少钱', { clientMessageId: 'cmid-1' });
    const reply = message('c1', 'bot', '满99元包邮[1]', { id: 'a1' });
    socket().deliver({ type: 'message.created', conversationId: 'c1', message: mine });
    socket().deliver({ type: 'message.created', conversationId: 'c1', message: reply });
    answer({ message: mine, replies: [reply], conversation: conversation('c1') });
    await sending;
    expect(texts(items)).toEqual(['bot:greeting:sent', 'contact:运费多少钱:sent', 'bot:满99元包邮[1]:sent']);
  });

  it('replaces a streamed answer the server took back, and drops one that ended empty', async () => {
    const { session, socket, items } = setup();
    await session.open();
    socket().deliver({ type: 'answer-start', conversationId: 'c1', answerId: 'a2', language: 'en' });
    socket().deliver({ type: 'answer-delta', conversationId: 'c1', answerId: 'a2', seq: 1, text: 'We guarantee' });
    socket().deliver({ type: 'answer-end', conversationId: 'c1', answerId: 'a2', status: 'replaced', text: 'Refunds take 3–5 days.' });
    expect(texts(items)).toContain('bot:Refunds take 3–5 days.:streaming');
    socket().deliver({ type: 'answer-start', conversationId: 'c1', answerId: 'a3', language: 'en' });
    socket().deliver({ type: 'answer-delta', conversationId: 'c1', answerId: 'a3', seq: 1, text: 'Half' });
    socket().deliver({ type: 'answer-end', conversationId: 'c1', answerId: 'a3', status: 'replaced', text: '' });
    expect(texts(items).some((t) => t.includes('Half'))).toBe(false);
  });

  it('reports thinking only while the bot owns the conversation', async () => {
    const { api, session, events } = setup();
    await session.open();
    await session.send('hi');
    expect(events.filter((e) => e.type === 'thinking').map((e) => (e as { on: boolean }).on)).toEqual([true, false]);

    api.sendImpl = async (id, body) => ({
      message: message(id, 'contact', body.text, { clientMessageId: body.clientMessageId }),
      replies: [],
      conversation: conversation(id, 'queued'),
    });
    await session.send('转人工');
    events.length = 0;
    await session.send('还在吗');
    expect(events.some((e) => e.type === 'thinking')).toBe(false);
  });

  it('reports the handoff and the agent joining as status changes, ignoring an older snapshot', async () => {
    const { api, session, socket, events } = setup();
    await session.open();
    const older = conversation('c1', 'bot');
    api.sendImpl = async (id, body) => ({
      message: message(id, 'contact', body.text, { clientMessageId: body.clientMessageId }),
      replies: [message(id, 'bot', '正在为您转接人工客服')],
      conversation: conversation(id, 'queued'),
    });
    await session.send('转人工');
    socket().deliver({ type: 'conversation.updated', conversation: older });
    socket().deliver({ type: 'typing', conversationId: 'c1', author: { type: 'agent', name: 'Lily' }, on: true });
    socket().deliver({ type: 'message.created', conversationId: 'c1', message: message('c1', 'agent', '您好') });
    socket().deliver({ type: 'conversation.updated', conversation: conversation('c1', 'assigned', { id: 'u1', name: 'Lily' }) });

    const statuses = events.flatMap((e) => (e.type === 'status' ? [`${e.previous}→${e.conversation.status}`] : []));
    expect(statuses).toEqual(['null→bot', 'bot→queued', 'queued→assigned']);
    const typing = events.flatMap((e) => (e.type === 'agent-typing' ? [e.on] : []));
    expect(typing).toEqual([true, false]);
    expect(session.conversation?.status).toBe('assigned');
  });

  it('tells the agent the visitor is typing only once a person owns the conversation', async () => {
    const { api, session, socket } = setup();
    await session.open();
    session.composing();
    expect(socket().sent).toEqual([]);
    api.conversations.set('c1', conversation('c1', 'queued'));
    socket().deliver({ type: 'conversation.updated', conversation: conversation('c1', 'queued') });
    session.composing();
    session.composing();
    await session.send('hello');
    expect(socket().sent).toEqual([
      { type: 'typing', on: true },
      { type: 'typing', on: false },
    ]);
  });

  it('keeps an undelivered message and retries it with the same clientMessageId', async () => {
    const { api, session, items, events } = setup();
    await session.open();
    api.sendImpl = async () => {
      throw ProblemError.network(new TypeError('Failed to fetch'));
    };
    const result = await session.send('还在吗？');
    expect(result).toEqual({ sent: false, draft: null });
    expect(texts(items)).toContain('contact:还在吗？:failed');
    expect(events.findLast((e) => e.type === 'error')).toMatchObject({ type: 'error', error: { code: 'NETWORK_ERROR' }, action: { kind: 'retry' } });

    api.sendImpl = new FakeApi().sendImpl;
    await session.retry('c:cmid-1');
    expect(api.sends.map((s) => s.clientMessageId)).toEqual(['cmid-1', 'cmid-1']);
    expect(texts(items)).toEqual(['bot:greeting:sent', 'contact:还在吗？:sent', 'bot:answer to 还在吗？:sent']);
  });

  it('gives refused text back as a draft and explains why', async () => {
    const { api, session, items, events } = setup();
    await session.open();
    api.sendImpl = async () => {
      throw new ProblemError({ status: 413, code: 'MESSAGE_TOO_LONG', detail: 'too long' });
    };
    expect(await session.send('  很长的消息  ')).toEqual({ sent: false, draft: '很长的消息' });
    expect(texts(items)).toEqual(['bot:greeting:sent']);
    expect(events.findLast((e) => e.type === 'error')).toMatchObject({ type: 'error', error: { code: 'MESSAGE_TOO_LONG' }, action: null });
  });

  it('restores a saved conversation with its history', async () => {
    const { api, session, store, items, events } = setup();
    store.save({ widgetKey: WIDGET_KEY, conversationId: 'c9', visitorToken: 'token-c9', locale: 'en' });
    api.conversations.set('c9', conversation('c9', 'queued'));
    api.history.set('c9', [message('c9', 'bot', 'Hi'), message('c9', 'contact', 'agent please', { clientMessageId: 'old' })]);
    await session.open();
    expect(api.started).toEqual([]);
    expect(session.locale).toBe('en');
    expect(texts(items)).toEqual(['bot:Hi:sent', 'contact:agent please:sent']);
    expect(events.find((e) => e.type === 'status')).toMatchObject({ restored: true, conversation: { status: 'queued' } });
  });

  it('starts afresh when the saved token is refused', async () => {
    const { api, session, store, events } = setup();
    store.save({ widgetKey: WIDGET_KEY, conversationId: 'gone', visitorToken: 'expired', locale: 'zh-TW' });
    api.reject = new ProblemError({ status: 401, code: 'AUTH_INVALID_TOKEN' });
    await session.open();
    expect(api.started).toEqual(['c1']);
    expect(store.load()).toMatchObject({ conversationId: 'c1', locale: 'zh-TW' });
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });

  it('ignores a saved conversation of another workspace', async () => {
    const { api, session, store } = setup();
    store.save({ widgetKey: 'kfw_other', conversationId: 'x', visitorToken: 'y', locale: 'en' });
    await session.open();
    expect(api.started).toEqual(['c1']);
  });

  it('drops answers and frames for a conversation it has left', async () => {
    const { api, session, sockets, items } = setup();
    await session.open();
    let answer!: (r: SendMessageResponse) => void;
    api.sendImpl = () => new Promise((resolve) => (answer = resolve));
    const sending = session.send('old question');
    await session.start('en');
    answer({ message: message('c1', 'contact', 'old question'), replies: [message('c1', 'bot', 'old answer')], conversation: conversation('c1') });
    await sending;
    sockets[0]!.deliver({ type: 'message.created', conversationId: 'c1', message: message('c1', 'agent', 'late') });
    expect(sockets[0]!.closed).toBe(true);
    expect(texts(items)).toEqual(['bot:greeting:sent']);
    expect(session.conversation?.id).toBe('c2');
  });

  it('catches up on what it missed while the socket was down', async () => {
    const { api, session, socket, items } = setup();
    await session.open();
    api.history.set('c1', [message('c1', 'bot', 'greeting'), message('c1', 'agent', 'sent while offline')]);
    api.conversations.set('c1', conversation('c1', 'assigned', { id: 'u1', name: 'Lily' }));
    socket().options.onReconnected?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(texts(items)).toContain('agent:sent while offline:sent');
    expect(session.conversation?.status).toBe('assigned');
  });
});

/** A server that takes files: each upload waits until the test answers it (or it is aborted). */
class FakeUploadApi extends FakeApi {
  uploads: Array<{ body: UploadBody; options: UploadOptions; resolve(r: SendMessageResponse): void; reject(e: unknown): void }> = [];
  attachments: WidgetConfig['limits']['attachments'] = { maxBytes: 1000, types: ['image/png', 'application/pdf'] };
  async getConfig(): Promise<WidgetConfig> {
    return { workspace: { name: 'Shop', slug: 'shop' }, greeting: {}, suggestions: {}, limits: { messageMaxChars: 4000, attachments: this.attachments } };
  }
  uploadAttachment(_id: string, _token: string, body: UploadBody, options: UploadOptions = {}) {
    return new Promise<SendMessageResponse>((resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(new UploadCancelled('cancelled')));
      this.uploads.push({ body, options, resolve, reject });
    });
  }
  /** What the server stores for an upload: the same clientMessageId, a real URL. */
  stored(i: number): Message {
    const { body } = this.uploads[i]!;
    return message('c1', 'contact', '', {
      clientMessageId: body.clientMessageId,
      parts: [{ type: 'attachment', url: `/v1/attachments/a${i}/key/${body.name}`, name: body.name, mimeType: body.file.type, size: body.file.size }],
    });
  }
}

describe('ChatSession files', () => {
  const png = (name = 'shot.png', size = 10) => new File([new Uint8Array(size)], name, { type: 'image/png' });

  async function openWithFiles() {
    const api = new FakeUploadApi();
    const previews = { created: [] as string[], revoked: [] as string[] };
    const t = setup({
      api,
      preview: {
        create: () => {
          previews.created.push(`blob:preview-${previews.created.length + 1}`);
          return previews.created.at(-1)!;
        },
        revoke: (url) => previews.revoked.push(url),
      },
    });
    await t.session.open();
    await vi.waitFor(() => expect(t.session.attachmentLimits).not.toBeNull());
    const files = () => [...t.items.values()].filter((i) => i.message.author.type === 'contact');
    return { ...t, api, previews, files };
  }

  it('shows a chosen image at once, reports progress, and shows it once when the socket echo comes first', async () => {
    const { api, session, socket, events, files, previews } = await openWithFiles();
    expect(events).toContainEqual({ type: 'attachments', limits: { maxBytes: 1000, types: ['image/png', 'application/pdf'] } });
    const sending = session.sendFile(png());
    expect(files()).toHaveLength(1);
    expect(files()[0]).toMatchObject({ state: 'sending', message: { parts: [{ type: 'attachment', url: 'blob:preview-1', name: 'shot.png' }] } });
    await vi.waitFor(() => expect(api.uploads).toHaveLength(1));
    api.uploads[0]!.options.onProgress?.(5, 10);
    expect(events.at(-1)).toEqual({ type: 'upload-progress', key: 'c:cmid-1', fraction: 0.5 });

    const stored = api.stored(0);
    socket().deliver({ type: 'message.created', conversationId: 'c1', message: stored });
    api.uploads[0]!.resolve({ message: stored, replies: [], conversation: conversation('c1') });
    expect(await sending).toEqual({ sent: true });
    expect(files()).toHaveLength(1);
    expect(files()[0]).toMatchObject({ state: 'sent', message: { id: stored.id, parts: [{ url: '/v1/attachments/a0/key/shot.png' }] } });
    expect(previews.revoked).toEqual(['blob:preview-1']);
  });

  it('refuses a file that is too big or of a type the workspace does not take, naming it, without sending', async () => {
    const { api, session, events, files } = await openWithFiles();
    await session.sendFile(png('big.png', 1001));
    await session.sendFile(new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' }));
    const errors = events.filter((e) => e.type === 'error');
    expect(errors.map((e) => [e.error.code, e.error.limit, e.file])).toEqual([
      ['ATTACHMENT_TOO_LARGE', 1000, 'big.png'],
      ['ATTACHMENT_TYPE_NOT_ALLOWED', undefined, 'logo.svg'],
    ]);
    expect(api.uploads).toEqual([]);
    expect(files()).toEqual([]);
  });

  it('cancels an upload under way and removes it from the conversation', async () => {
    const { api, session, files, previews } = await openWithFiles();
    const sending = session.sendFile(png());
    await vi.waitFor(() => expect(api.uploads).toHaveLength(1));
    session.cancelUpload('c:cmid-1');
    expect(await sending).toEqual({ sent: false, draft: null });
    expect(files()).toEqual([]);
    expect(previews.revoked).toEqual(['blob:preview-1']);
  });

  it('keeps a file that could not reach the server and sends it again with the same clientMessageId', async () => {
    const { api, session, events, files } = await openWithFiles();
    const first = session.sendFile(png());
    await vi.waitFor(() => expect(api.uploads).toHaveLength(1));
    api.uploads[0]!.reject(ProblemError.network(new TypeError('offline')));
    await first;
    expect(files()[0]!.state).toBe('failed');
    const error = events.filter((e) => e.type === 'error').at(-1)!;
    expect([error.error.code, error.action?.kind, error.file]).toEqual(['NETWORK_ERROR', 'retry', 'shot.png']);

    const again = session.retry('c:cmid-1');
    await vi.waitFor(() => expect(api.uploads).toHaveLength(2));
    expect(api.uploads[1]!.body.clientMessageId).toBe('cmid-1');
    api.uploads[1]!.resolve({ message: api.stored(1), replies: [], conversation: conversation('c1') });
    await again;
    expect(files().map((i) => i.state)).toEqual(['sent']);
  });

  it('removes a file the server refused and says why', async () => {
    const { api, session, events, files } = await openWithFiles();
    const sending = session.sendFile(png('fake.png'));
    await vi.waitFor(() => expect(api.uploads).toHaveLength(1));
    api.uploads[0]!.reject(new ProblemError({ status: 415, code: 'ATTACHMENT_TYPE_NOT_ALLOWED' }));
    await sending;
    expect(files()).toEqual([]);
    expect(events.filter((e) => e.type === 'error').map((e) => [e.error.code, e.file])).toEqual([['ATTACHMENT_TYPE_NOT_ALLOWED', 'fake.png']]);
  });

  it('sends several files one after the other, in the order chosen', async () => {
    const { api, session, files } = await openWithFiles();
    session.sendFiles([png('1.png'), png('2.png')]);
    expect(files().map((i) => i.message.parts[0]?.type === 'attachment' && i.message.parts[0].name)).toEqual(['1.png', '2.png']);
    await vi.waitFor(() => expect(api.uploads).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 10));
    expect(api.uploads).toHaveLength(1);
    api.uploads[0]!.resolve({ message: api.stored(0), replies: [], conversation: conversation('c1') });
    await vi.waitFor(() => expect(api.uploads.map((u) => u.body.name)).toEqual(['1.png', '2.png']));
  });

  it('offers no files when the server does not take them', async () => {
    const api = new FakeUploadApi();
    api.attachments = undefined;
    const { session, events } = setup({ api });
    await session.open();
    await vi.waitFor(() => expect(events.some((e) => e.type === 'attachments')).toBe(true));
    expect(session.attachmentLimits).toBeNull();
    expect(await session.sendFile(png())).toEqual({ sent: false, draft: null });
  });
});

describe('ChatSession after a network drop', () => {
  const offline = async () => {
    throw ProblemError.network(new TypeError('Failed to fetch'));
  };

  it('sends what was written while the network was down once the socket is back, each message once', async () => {
    const { api, session, socket, items } = setup();
    await session.open();
    api.sendImpl = offline;
    await session.send('还在吗？');
    await session.send('我下午不在家');
    expect(texts(items).filter((t) => t.startsWith('contact:'))).toEqual(['contact:还在吗？:failed', 'contact:我下午不在家:failed']);

    // The first one reached the server before the connection dropped (only its answer was lost).
    const greeting = [...items.values()][0]!.message;
    api.history.set('c1', [greeting, message('c1', 'contact', '还在吗？', { clientMessageId: 'cmid-1' })]);
    api.sendImpl = new FakeApi().sendImpl;
    socket().options.onReconnected?.();
    await vi.waitFor(() => expect(texts(items)).toContain('contact:我下午不在家:sent'));
    expect(api.sends.map((s) => s.clientMessageId)).toEqual(['cmid-1', 'cmid-2', 'cmid-2']);
    expect(texts(items)).toEqual(['bot:greeting:sent', 'contact:还在吗？:sent', 'contact:我下午不在家:sent', 'bot:answer to 我下午不在家:sent']);
  });

  it('keeps unsent messages across a reload and sends them once the page is back, with the same id', async () => {
    const first = setup();
    await first.session.open();
    first.api.sendImpl = offline;
    await first.session.send('订单 12345 还没到');
    expect(first.store.load()?.outbox).toEqual([{ clientMessageId: 'cmid-1', text: '订单 12345 还没到', createdAt: expect.any(String) }]);
    first.session.dispose();

    // The page is reloaded with the same storage; the network is back.
    const second = setup({ store: first.store });
    second.api.conversations.set('c1', conversation('c1'));
    await second.session.open();
    await vi.waitFor(() => expect(texts(second.items)).toContain('contact:订单 12345 还没到:sent'));
    expect(second.api.sends).toEqual([{ text: '订单 12345 还没到', clientMessageId: 'cmid-1' }]);
    expect(second.store.load()?.outbox).toBeUndefined();
  });

  it('stops at the first message that still fails, keeping the order of the rest', async () => {
    const { api, session, socket, items } = setup();
    await session.open();
    api.sendImpl = offline;
    await session.send('一');
    await session.send('二');
    api.sends.length = 0;
    socket().options.onReconnected?.();
    await vi.waitFor(() => expect(api.sends.length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 0));
    expect(api.sends.map((s) => s.text)).toEqual(['一']);
    expect(texts(items).filter((t) => t.startsWith('contact:'))).toEqual(['contact:一:failed', 'contact:二:failed']);
  });
});

/** A workspace that asks for details first and offers the survey. */
class FakeFormApi extends FakeApi {
  details: unknown[] = [];
  ended: string[] = [];
  ratings: Array<{ id: string; score: number; comment?: string }> = [];
  preChat: WidgetConfig['preChat'] = { fields: [{ key: 'email', required: true }], intro: { 'zh-CN': '请留下邮箱' } };
  async getConfig(): Promise<WidgetConfig> {
    return {
      workspace: { name: 'Shop', slug: 'shop' },
      greeting: {},
      suggestions: {},
      limits: { messageMaxChars: 4000 },
      preChat: this.preChat,
      csat: { enabled: true, question: {} },
    };
  }
  override async startConversation(_locale?: string, details?: unknown): Promise<StartConversationResponse> {
    this.details.push(details);
    return super.startConversation();
  }
  async endConversation(id: string): Promise<Conversation> {
    this.ended.push(id);
    return { ...conversation(id, 'resolved') };
  }
  async rateConversation(id: string, _token: string, body: { score: number; comment?: string }) {
    this.ratings.push({ id, ...body });
    return { score: body.score, comment: body.comment ?? null, ratedAt: at() };
  }
}

describe('ChatSession pre-chat form and survey', () => {
  it('asks for the workspace’s details before starting, and starts with them once given', async () => {
    const api = new FakeFormApi();
    const { session, events, store } = setup({ api });
    await session.open();
    expect(api.started).toEqual([]);
    expect(events.find((e) => e.type === 'prechat')).toMatchObject({ form: { fields: [{ key: 'email', required: true }] } });

    await session.submitDetails({ email: 'li@example.com' });
    expect(api.details).toEqual([{ email: 'li@example.com' }]);
    // The form is put away once the conversation has started.
    expect(events.some((e) => e.type === 'prechat' && e.form === null)).toBe(true);
    // A new conversation later does not ask again, also after a reload.
    await session.start();
    expect(api.details).toEqual([{ email: 'li@example.com' }, { email: 'li@example.com' }]);
    expect(store.load()?.details).toEqual({ email: 'li@example.com' });
  });

  it('does not ask a visitor the site identified', async () => {
    const api = new FakeFormApi();
    const { session, events } = setup({ api, identified: true });
    await session.open();
    expect(api.started).toEqual(['c1']);
    expect(events.some((e) => e.type === 'prechat' && e.form !== null)).toBe(false);
  });

  it('lets the visitor end the chat and rate it; a rating from another tab reaches this one', async () => {
    const api = new FakeFormApi();
    api.preChat = null;
    const { session, socket, events } = setup({ api });
    await session.open();
    await session.end();
    expect(api.ended).toEqual(['c1']);
    expect(session.conversation?.status).toBe('resolved');

    expect(await session.rate(4, '  快  ')).toMatchObject({ score: 4, comment: '快' });
    expect(api.ratings).toEqual([{ id: 'c1', score: 4, comment: '快' }]);

    const statusEvents = () => events.filter((e) => e.type === 'status').length;
    const before = statusEvents();
    const rated = { ...conversation('c1', 'resolved'), rating: { score: 2, comment: null, ratedAt: at() } };
    socket().deliver({ type: 'conversation.updated', conversation: rated });
    expect(statusEvents()).toBe(before + 1);
    expect(session.conversation?.rating?.score).toBe(2);
  });
});
