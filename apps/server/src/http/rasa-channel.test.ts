import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemo } from '../test-support/http-helpers.js';
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
function rasaClient(auth: Record<string, string> | null, query: Record<string, string> = {}, transports?: ('polling' | 'websocket')[]): Client {
  const socket = connectSocket(s.url, {
    path: '/socket.io/',
    ...(auth ? { auth } : {}),
    ...(transports ? { transports } : {}),
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

  it('delivers an agent’s replies after a hand-off as bot_uttered', async () => {
    const c = rasaClient({ key });
    await connected(c);
    const confirmed = c.next('session_confirm');
    c.socket.emit('session_request', { session_id: 'sock-session-2' });
    await confirmed;
    const handoff = c.next('bot_uttered');
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
