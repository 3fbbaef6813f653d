import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemo, loginOtherWorkspace } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { rasaBotUtterances, rasaRestMessages } from './rasa-messages.js';

let s: TestServer;
let key: string;
let admin: { authorization: string };

beforeAll(async () => {
  s = await startTestServer({ listen: true });
  key = s.demo!.workspace.widgetKey;
  admin = await loginDemo(s);
});
afterAll(async () => {
  await s.close();
});

const rest = (body: unknown, headers: Record<string, string> = { 'x-kefu-widget-key': key }, url = '/webhooks/rest/webhook') =>
  s.app.inject({ method: 'POST', url, headers, payload: body as object });

const threadOf = (sender: string) => s.deps.ctx.store.channelThreads.find(s.demo!.workspace.id, 'rasa', sender);

const conversation = async (id: string) => (await s.app.inject({ url: `/v1/conversations/${id}`, headers: admin })).json();

describe('Rasa REST channel', () => {
  it('answers from the knowledge base in Rasa’s shape', async () => {
    const r = await rest({ sender: 'rest-user-1', message: '运费多少钱' });
    expect(r.statusCode).toBe(200);
    const out = r.json() as { recipient_id: string; text?: string }[];
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((m) => m.recipient_id === 'rest-user-1')).toBe(true);
    expect(out.map((m) => m.text ?? '').join('\n')).toContain('99元');
  });

  it('does not greet: the first answer holds only the reply, and the conversation no greeting', async () => {
    const r = await rest({ sender: 'rest-no-greeting', message: '运费多少钱' });
    const texts = (r.json() as { text?: string }[]).map((m) => m.text ?? '');
    const greetings = Object.values(s.demo!.workspace.settings.greeting!);
    expect(texts.some((t) => greetings.includes(t))).toBe(false);
    const items = (await s.app.inject({ url: `/v1/conversations/${await threadOf('rest-no-greeting')}/messages`, headers: admin })).json().items;
    expect(items[0]).toMatchObject({ author: { type: 'contact' }, text: '运费多少钱' });
  });

  it('keeps one conversation per sender, and a new one for another sender', async () => {
    await rest({ sender: 'rest-user-2', message: '运费多少钱' });
    const first = await threadOf('rest-user-2');
    const again = await rest({ sender: 'rest-user-2', message: '退款多久到账' }, {}, `/webhooks/rest/webhook?key=${key}`);
    expect(again.statusCode).toBe(200);
    expect(await threadOf('rest-user-2')).toBe(first);
    const messages = (await s.app.inject({ url: `/v1/conversations/${first}/messages`, headers: admin })).json().items;
    expect(messages.filter((m: { author: { type: string } }) => m.author.type === 'contact').map((m: { text: string }) => m.text)).toEqual([
      '运费多少钱',
      '退款多久到账',
    ]);
    expect((await conversation(first!)).channel).toBe('rasa');
    await rest({ sender: 'rest-user-3', message: '运费多少钱' });
    expect(await threadOf('rest-user-3')).not.toBe(first);
  });

  it('hands the conversation to people when the customer asks for one', async () => {
    const r = await rest({ sender: 'rest-user-4', message: '转人工' });
    expect(r.statusCode).toBe(200);
    expect((await conversation((await threadOf('rest-user-4'))!)).status).toBe('queued');
    // People have it now: the bot stays silent, and REST callers get no reply.
    const later = await rest({ sender: 'rest-user-4', message: '在吗' });
    expect(later.json()).toEqual([]);
  });

  it('refuses a missing or unknown widget key with 401, whatever the body', async () => {
    expect((await rest({ sender: 'x', message: 'hi' }, {})).json().code).toBe('WIDGET_KEY_INVALID');
    const wrong = await rest({ sender: 'x', message: 'hi' }, { 'x-kefu-widget-key': 'kfw_not-a-key' });
    expect(wrong.statusCode).toBe(401);
    expect((await rest({ nonsense: true }, { 'x-kefu-widget-key': 'kfw_not-a-key' })).statusCode).toBe(401);
  });

  it('answers malformed bodies with 400 naming the field, and over-long text with 413', async () => {
    const cases: [unknown, string][] = [
      [{ message: 'hi' }, 'body.sender'],
      [{ sender: 'u' }, 'body.message'],
      [{ sender: 42, message: 'hi' }, 'body.sender'],
      [{ sender: 'u', message: ['hi'] }, 'body.message'],
      [{ sender: 'u', message: '   ' }, 'body.message'],
      [{ sender: 'u'.repeat(201), message: 'hi' }, 'body.sender'],
    ];
    for (const [body, field] of cases) {
      const r = await rest(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const notJson = await s.app.inject({
      method: 'POST',
      url: '/webhooks/rest/webhook',
      headers: { 'x-kefu-widget-key': key, 'content-type': 'application/json' },
      payload: '{"sender":',
    });
    expect(notJson.statusCode).toBe(400);
    const long = await rest({ sender: 'u', message: '好'.repeat(s.deps.config.MESSAGE_MAX_CHARS + 1) });
    expect(long.statusCode).toBe(413);
    expect(long.json().code).toBe('MESSAGE_TOO_LONG');
  });

  it('sends a Rasa intent payload as the title of the button that carried it', async () => {
    const sender = 'rest-user-5';
    await rest({ sender, message: '运费多少钱' });
    const conversationId = (await threadOf(sender))!;
    // An agent's reply with buttons whose values are Rasa intents, as a migrated Rasa bot would have.
    await s.app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      headers: admin,
      payload: { text: '还有什么问题？', parts: [{ type: 'buttons', buttons: [{ label: '退款多久到账', value: '/ask_refund' }] }] },
    });
    await rest({ sender, message: '/ask_refund' });
    await rest({ sender, message: '/unknown_intent' });
    const items = (await s.app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: admin })).json().items;
    const said = items.filter((m: { author: { type: string } }) => m.author.type === 'contact').map((m: { text: string }) => m.text);
    expect(said.slice(-2)).toEqual(['退款多久到账', '/unknown_intent']);
  });
});

describe('mapping kefu replies to Rasa', () => {
  const reply = {
    text: '请选择',
    parts: [
      { type: 'quick_replies' as const, options: [{ label: '是', value: 'yes' }] },
      { type: 'buttons' as const, buttons: [{ label: '帮助中心', url: 'https://example.com/help' }, { label: '退货' }] },
      { type: 'attachment' as const, url: 'https://example.com/a.png', name: 'a.png', mimeType: 'image/png' },
      { type: 'sources' as const, sources: [{ id: 'f1', externalId: null, title: 'FAQ' }] },
    ],
  };

  it('turns choices into REST buttons and images into image elements', () => {
    expect(rasaRestMessages('u1', [reply])).toEqual([
      {
        recipient_id: 'u1',
        text: '请选择',
        buttons: [
          { title: '是', payload: 'yes' },
          { title: '帮助中心', payload: 'https://example.com/help', type: 'web_url', url: 'https://example.com/help' },
          { title: '退货', payload: '退货' },
        ],
      },
      { recipient_id: 'u1', image: 'https://example.com/a.png' },
    ]);
  });

  it('turns choices into rasa-webchat quick replies and images into image attachments', () => {
    expect(rasaBotUtterances([reply])).toEqual([
      {
        text: '请选择',
        quick_replies: [
          { content_type: 'text', title: '是', payload: 'yes' },
          { content_type: 'text', type: 'web_url', title: '帮助中心', payload: 'https://example.com/help', url: 'https://example.com/help' },
          { content_type: 'text', title: '退货', payload: '退货' },
        ],
      },
      { attachment: { type: 'image', payload: { src: 'https://example.com/a.png' } } },
    ]);
  });
});

interface Client {
  socket: Socket;
  events: [string, unknown][];
  next(event: string, pred?: (data: never) => boolean, ms?: number): Promise<unknown>;
}

/** A socket.io client doing what rasa-webchat does, recording every event. */
function rasaClient(
  auth: Record<string, string> | null,
  query: Record<string, string> = {},
  transports?: ('polling' | 'websocket')[],
  extraHeaders?: Record<string, string>,
): Client {
  const socket = connectSocket(s.url, {
    path: '/socket.io/',
    ...(auth ? { auth } : {}),
    ...(transports ? { transports } : {}),
    ...(extraHeaders ? { extraHeaders } : {}),
    query,
    reconnection: false,
    forceNew: true,
  });
  const events: [string, unknown][] = [];
  const waiters: { event: string; pred: (d: never) => boolean; resolve: (d: unknown) => void }[] = [];
  socket.onAny((event: string, data: unknown) => {
    events.push([event, data]);
    for (const w of [...waiters])
      if (w.event === event && w.pred(data as never)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(data);
      }
  });
  return {
    socket,
    events,
    next: (event, pred = () => true, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event}; got ${JSON.stringify(events)}`)), ms);
        waiters.push({
          event,
          pred,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      }),
  };
}

const connected = (c: Client) =>
  new Promise<void>((resolve, reject) => {
    c.socket.once('connect', () => resolve());
    c.socket.once('connect_error', reject);
  });

type BotUttered = { text?: string; quick_replies?: { title: string; payload: string }[] };

const greetingEn =
  "Hi, welcome to Cloud Mall! I'm Yun, your virtual assistant. I can help with orders, shipping, returns, payments, invoices, membership points and promotions. How can I help you today?";
const settle = () => new Promise((r) => setTimeout(r, 300));
/** The first bot_uttered of a session: it follows session_confirm at once, so it may already be recorded. */
const greetingOf = async (c: Client) => (c.events.find(([e]) => e === 'bot_uttered')?.[1] ?? (await c.next('bot_uttered'))) as BotUttered;

/** Connects, asks for the session and waits for its confirmation; the client keeps recording what follows. */
async function session(
  sessionId: string,
  request: Record<string, unknown> = {},
  auth: Record<string, string> = { key },
  query: Record<string, string> = {},
  headers?: Record<string, string>,
) {
  const c = rasaClient(auth, query, undefined, headers);
  await connected(c);
  const confirmed = c.next('session_confirm');
  c.socket.emit('session_request', { session_id: sessionId, ...request });
  expect(await confirmed).toBe(sessionId);
  return c;
}

describe('Rasa socket.io channel', () => {
  it('confirms a session and answers user_uttered with bot_uttered', async () => {
    const c = rasaClient({ key });
    await connected(c);
    const confirmed = c.next('session_confirm');
    c.socket.emit('session_request', { session_id: 'sock-session-1' });
    expect(await confirmed).toBe('sock-session-1');
    const answer = c.next('bot_uttered', (d: BotUttered) => Boolean(d.text?.includes('99元')));
    c.socket.emit('user_uttered', { message: '运费多少钱', session_id: 'sock-session-1' });
    await answer;
    expect((await conversation((await threadOf('sock-session-1'))!)).channel).toBe('rasa');
    c.socket.close();
  });

  it('speaks over a WebSocket from the start and over long-polling alone', async () => {
    for (const transport of ['websocket', 'polling'] as const) {
      const c = rasaClient({ key }, {}, [transport]);
      await connected(c);
      expect(c.socket.io.engine.transport.name).toBe(transport);
      const confirmed = c.next('session_confirm');
      c.socket.emit('session_request', { session_id: `sock-${transport}` });
      await confirmed;
      const answer = c.next('bot_uttered', (d: BotUttered) => Boolean(d.text?.includes('99元')));
      c.socket.emit('user_uttered', { message: '运费多少钱', session_id: `sock-${transport}` });
      await answer;
      c.socket.close();
    }
  });

  it('gives a session id to a client that asks without one, and takes the key from the query string', async () => {
    const c = rasaClient(null, { key });
    await connected(c);
    const confirmed = c.next('session_confirm');
    c.socket.emit('session_request');
    expect(await confirmed).toMatch(/^[0-9a-f]{32}$/);
    c.socket.close();
  });

  it('greets a new session once, in the language the client names, with the suggested questions; not again on reconnect', async () => {
    const greetings = s.demo!.workspace.settings.greeting!;
    const suggestions = s.demo!.workspace.settings.suggestions!;
    const c = await session('greet-1', { customData: { language: 'zh-CN' } });
    const greeting = await greetingOf(c);
    expect(greeting.text).toBe(greetings['zh-CN']);
    expect(greeting.quick_replies!.map((q) => q.title)).toEqual(suggestions['zh-CN']);
    // The greeting is the conversation's first message, as in the widget, in the customer's language.
    const conversationId = (await threadOf('greet-1'))!;
    const stored = (await s.app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: admin })).json().items;
    expect(stored.map((m: { author: { type: string }; text: string }) => [m.author.type, m.text])).toEqual([['bot', greetings['zh-CN']]]);
    expect((await conversation(conversationId)).channel).toBe('rasa');
    // The customer's first message continues that conversation.
    const answer = c.next('bot_uttered', (d: BotUttered) => Boolean(d.text?.includes('99元')));
    c.socket.emit('user_uttered', { message: '运费多少钱', session_id: 'greet-1' });
    await answer;
    expect(await threadOf('greet-1')).toBe(conversationId);
    c.socket.close();

    // A reconnect (or another tab) with the same session is not greeted again.
    const again = await session('greet-1', { customData: { language: 'zh-CN' } });
    await settle();
    expect(again.events.filter(([e]) => e === 'bot_uttered')).toEqual([]);
    const after = (await s.app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: admin })).json().items;
    expect(after.filter((m: { text: string }) => m.text === greetings['zh-CN'])).toHaveLength(1);
    again.socket.close();
  });

  it('greets two tabs opening the same new session at once only once', async () => {
    const [a, b] = await Promise.all([session('greet-race', { customData: { language: 'en' } }), session('greet-race', { customData: { language: 'en' } })]);
    await settle();
    const greeted = [...a.events, ...b.events].filter(([e]) => e === 'bot_uttered');
    expect(greeted).toHaveLength(1);
    const conversationId = (await threadOf('greet-race'))!;
    const stored = (await s.app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: admin })).json().items;
    expect(stored).toHaveLength(1);
    a.socket.close();
    b.socket.close();
  });

  it('takes the language from the handshake (locale, Accept-Language), English when nothing says', async () => {
    const greetings = s.demo!.workspace.settings.greeting!;
    const cases: [string, () => Promise<Client>, string][] = [
      ['query', () => session('greet-query', {}, { key }, { locale: 'zh-TW' }), greetings['zh-TW']!],
      ['auth', () => session('greet-auth', {}, { key, locale: 'zh-CN' }), greetings['zh-CN']!],
      ['accept-language', () => session('greet-header', {}, { key }, {}, { 'accept-language': 'zh-HK,zh;q=0.9,en;q=0.8' }), greetings['zh-TW']!],
      ['metadata', () => session('greet-metadata', { metadata: { language: 'zh_CN' } }), greetings['zh-CN']!],
      ['nothing', () => session('greet-default', {}, { key }, {}, { 'accept-language': 'fr-FR,de;q=0.8' }), greetingEn],
    ];
    for (const [how, open, expected] of cases) {
      const c = await open();
      expect((await greetingOf(c)).text, how).toBe(expected);
      c.socket.close();
    }
  });

  it('says nothing on a new session when the workspace has no greeting, and starts no conversation until the customer speaks', async () => {
    await loginOtherWorkspace(s, 'rasa-silent');
    const silent = (await s.deps.ctx.store.workspaces.findBySlug('rasa-silent'))!;
    const c = await session('quiet-1', { customData: { language: 'zh-CN' } }, { key: silent.widgetKey });
    await settle();
    expect(c.events.filter(([e]) => e === 'bot_uttered')).toEqual([]);
    expect(await s.deps.ctx.store.channelThreads.find(silent.id, 'rasa', 'quiet-1')).toBeNull();
    c.socket.close();
  });

  it('delivers an agent’s replies after a hand-off as bot_uttered', async () => {
    const c = rasaClient({ key });
    await connected(c);
    const confirmed = c.next('session_confirm');
    c.socket.emit('session_request', { session_id: 'sock-session-2' });
    await confirmed;
    // The session's greeting came first; the hand-off message is the one after the customer's request.
    const handoff = c.next('bot_uttered', (d: BotUttered) => d.text !== greetingEn);
    c.socket.emit('user_uttered', { message: '转人工', session_id: 'sock-session-2' });
    await handoff;
    const conversationId = (await threadOf('sock-session-2'))!;
    expect((await conversation(conversationId)).status).toBe('queued');

    // A second tab of the same session, connected after the hand-off, hears the agent too.
    const tab = rasaClient({ key });
    await connected(tab);
    const tabConfirmed = tab.next('session_confirm');
    tab.socket.emit('session_request', { session_id: 'sock-session-2' });
    await tabConfirmed;

    const fromAgent = c.next('bot_uttered', (d: BotUttered) => d.text === '您好，我是客服小王');
    const inTab = tab.next('bot_uttered', (d: BotUttered) => d.text === '您好，我是客服小王');
    const note = await s.app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      headers: admin,
      payload: { text: '内部备注', kind: 'note' },
    });
    expect(note.statusCode).toBe(200);
    const r = await s.app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      headers: admin,
      payload: { text: '您好，我是客服小王', parts: [{ type: 'quick_replies', options: [{ label: '好的', value: '好的' }] }] },
    });
    expect(r.statusCode).toBe(200);
    expect(await fromAgent).toEqual({ text: '您好，我是客服小王', quick_replies: [{ content_type: 'text', title: '好的', payload: '好的' }] });
    await inTab;
    expect(c.events.some(([e, d]) => e === 'bot_uttered' && (d as BotUttered).text === '内部备注')).toBe(false);
    c.socket.close();
    tab.socket.close();
  });

  it('refuses a wrong or missing widget key with connect_error', async () => {
    for (const auth of [{ key: 'kfw_not-a-key' }, null]) {
      const c = rasaClient(auth);
      const err = (await connected(c).then(
        () => null,
        (e: Error & { data?: { code?: string } }) => e,
      )) as (Error & { data?: { code?: string } }) | null;
      expect(err?.message).toBe('the widget key is not valid');
      expect(err?.data?.code).toBe('WIDGET_KEY_INVALID');
      c.socket.close();
    }
  });

  it('answers malformed user_uttered with a kefu_error event and keeps serving the socket', async () => {
    const c = rasaClient({ key });
    await connected(c);
    for (const bad of [undefined, 'hello', { message: 42, session_id: 's' }, { message: '   ', session_id: 's' }, { message: 'hi', session_id: { a: 1 } }]) {
      const err = c.next('kefu_error');
      c.socket.emit('user_uttered', bad);
      expect(await err).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const tooLong = c.next('kefu_error');
    c.socket.emit('user_uttered', { message: '好'.repeat(s.deps.config.MESSAGE_MAX_CHARS + 1), session_id: 'sock-session-3' });
    expect(await tooLong).toMatchObject({ code: 'MESSAGE_TOO_LONG' });
    const badSession = c.next('kefu_error');
    c.socket.emit('session_request', { session_id: 17 });
    expect(await badSession).toMatchObject({ code: 'VALIDATION_FAILED' });

    const answer = c.next('bot_uttered', (d: BotUttered) => Boolean(d.text?.includes('99元')));
    c.socket.emit('user_uttered', { message: '运费多少钱', session_id: 'sock-session-3' });
    await answer;
    expect(c.socket.connected).toBe(true);
    c.socket.close();
  });

  it('leaves Fastify’s own HTTP routes and WebSockets working beside socket.io', async () => {
    expect((await fetch(`${s.url}/v1/widget/config`, { headers: { 'x-kefu-widget-key': key } })).status).toBe(200);
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/v1/ws?token=${admin.authorization.slice(7)}`);
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (d) => resolve(String(d)));
      ws.once('error', reject);
    });
    expect(JSON.parse(first)).toMatchObject({ type: 'ready' });
    ws.close();
  });
});
