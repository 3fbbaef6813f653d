import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_SERIALIZERS, SECRET_PATHS } from '../deps.js';
import { testServerDatabases } from '../test-support/dialects.js';
import { loginDemo, loginOtherWorkspace } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { chatwootMessages } from '../usecases/chatwoot-bot.js';

// Chatwoot's application API, as far as the agent bot uses it: records every request, and can answer
// 500 to the next ones.
interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
class FakeChatwoot {
  requests: Recorded[] = [];
  failNext = 0;
  private server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: data ? JSON.parse(data) : {} };
      if (this.failNext > 0) {
        this.failNext--;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
        return;
      }
      this.requests.push(rec);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: this.requests.length }));
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
  for(conversationId: number) {
    return this.requests.filter((r) => r.url.startsWith(`/api/v1/accounts/1/conversations/${conversationId}/`));
  }
}

const ACCESS_TOKEN = 'cw-access-token-7f3a9c1e5b';
let logLines: string[] = [];
let s: TestServer;
let cw: FakeChatwoot;
let admin: { authorization: string };
let webhookPath: string;

/** A fresh Chatwoot stand-in, kefu server (on the given database) and agent bot for each dialect. */
async function setUp(db: { databaseUrl?: string; databaseSchema?: string }) {
  logLines = [];
  cw = new FakeChatwoot();
  await cw.start();
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const log = pino({ level: 'debug', redact: { paths: SECRET_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS }, sink);
  s = await startTestServer({
    log,
    env: { LOG_LEVEL: 'debug' },
    ...(db.databaseUrl ? { databaseUrl: db.databaseUrl } : {}),
    ...(db.databaseSchema ? { databaseSchema: db.databaseSchema } : {}),
  });
  admin = await loginDemo(s);
  const r = await s.app.inject({
    method: 'PUT',
    url: '/v1/integrations/chatwoot',
    headers: admin,
    payload: { baseUrl: `${cw.url}/`, accountId: 1, inboxId: 7, apiAccessToken: ACCESS_TOKEN, enabled: true },
  });
  expect(r.statusCode, r.body).toBe(200);
  webhookPath = new URL(r.json().webhookUrl).pathname;
}

let nextMessageId = 1000;
/** A `message_created` delivery in the shape Chatwoot's agent bots receive (Message#webhook_data). */
function messageCreated(conversationId: number, content: string, over: Record<string, unknown> = {}) {
  return {
    event: 'message_created',
    id: nextMessageId++,
    content,
    content_type: 'text',
    content_attributes: {},
    created_at: '2025-06-01T08:00:00.000Z',
    message_type: 'incoming',
    private: false,
    source_id: null,
    sender: { id: 42, name: '王小明', email: 'xm@example.com', type: 'contact', phone_number: null, identifier: null },
    account: { id: 1, name: 'Shop' },
    inbox: { id: 7, name: 'Website' },
    conversation: {
      id: conversationId,
      inbox_id: 7,
      status: 'pending',
      channel: 'Channel::WebWidget',
      can_reply: true,
      contact_inbox: { source_id: 'abc' },
      messages: [],
      meta: { sender: { id: 42, name: '王小明' } },
    },
    ...over,
  };
}

const deliver = (body: unknown, path = webhookPath, headers: Record<string, string> = {}) =>
  s.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

async function until<T>(fn: () => T | undefined | null | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 400));

/**
 * What Chatwoot's agent bot receives when the customer picks an option in its widget: `message_updated`
 * of the options message (sent by the bot: outgoing, `input_select`), its `content_attributes` now
 * holding `submitted_values` (the widget PATCHes them onto the message).
 */
function messageUpdated(conversationId: number, messageId: number, attributes: Record<string, unknown>, over: Record<string, unknown> = {}) {
  return {
    event: 'message_updated',
    id: messageId,
    content: '您想了解哪一项？',
    content_type: 'input_select',
    content_attributes: attributes,
    created_at: '2025-06-01T08:00:05.000Z',
    message_type: 'outgoing',
    private: false,
    source_id: null,
    sender: { id: 3, name: 'kefu', type: 'agent_bot' },
    account: { id: 1, name: 'Shop' },
    inbox: { id: 7, name: 'Website' },
    conversation: { id: conversationId, inbox_id: 7, status: 'pending', meta: { sender: { id: 42, name: '王小明', email: 'xm@example.com' } } },
    ...over,
  };
}

for (const db of testServerDatabases()) {
  describe(`Chatwoot (${db.name})`, () => {
    let drop: () => Promise<void> = async () => {};
    beforeAll(async () => {
      const opened = await db.open();
      drop = opened.drop;
      await setUp(opened);
    });
    afterAll(async () => {
      await s?.close();
      await cw?.close();
      await drop();
    });

    describe('Chatwoot agent bot', () => {
      it('answers a customer’s question through Chatwoot’s messages API with the access token', async () => {
        const r = await deliver(messageCreated(101, '运费多少钱'));
        expect(r.statusCode).toBe(202);
        const [post] = await until(() => cw.for(101).length > 0 && cw.for(101));
        expect(post!.method).toBe('POST');
        expect(post!.url).toBe('/api/v1/accounts/1/conversations/101/messages');
        expect(post!.headers.api_access_token).toBe(ACCESS_TOKEN);
        expect(post!.body).toMatchObject({ message_type: 'outgoing', private: false });
        expect(String(post!.body.content)).toContain('99元');
        const conv = await s.deps.ctx.store.channelThreads.find(s.demo!.workspace.id, 'chatwoot', '1:101');
        expect(conv).toBeTruthy();
      });

      it('hands off: posts the hand-off message, a private note with kefu’s context, and opens the conversation', async () => {
        expect((await deliver(messageCreated(102, '转人工'))).statusCode).toBe(202);
        const reqs = await until(() => cw.for(102).some((x) => x.url.endsWith('/toggle_status')) && cw.for(102));
        const publicReplies = reqs.filter((x) => x.url.endsWith('/messages') && x.body.private === false);
        const notes = reqs.filter((x) => x.url.endsWith('/messages') && x.body.private === true);
        expect(publicReplies.length).toBeGreaterThan(0);
        expect(notes).toHaveLength(1);
        expect(String(notes[0]!.body.content)).toMatch(/原因|Reason/);
        expect(String(notes[0]!.body.content)).toContain('转人工');
        const toggle = reqs.find((x) => x.url.endsWith('/toggle_status'))!;
        expect(toggle.body).toEqual({ status: 'open' });
        expect(toggle.headers.api_access_token).toBe(ACCESS_TOKEN);
        // The toggle comes last: agents see the whole context when the conversation reaches them.
        expect(reqs.at(-1)).toBe(toggle);

        // Later messages in that conversation get no bot answer, whatever Chatwoot says its status is.
        const before = cw.for(102).length;
        expect((await deliver(messageCreated(102, '在吗', { conversation: { id: 102, inbox_id: 7, status: 'open' } }))).json()).toMatchObject({
          status: 'ignored',
        });
        const pending = await deliver(messageCreated(102, '运费多少钱'));
        expect(pending.statusCode).toBe(202);
        await settle();
        const after = cw.for(102).slice(before);
        expect(after.filter((x) => x.url.endsWith('/messages'))).toEqual([]);
      });

      it('answers a redelivered message once', async () => {
        const msg = messageCreated(103, '运费多少钱');
        const [a, b] = await Promise.all([deliver(msg), deliver(msg)]);
        expect([a.statusCode, b.statusCode].sort()).toEqual([200, 202]);
        await until(() => cw.for(103).length > 0);
        expect((await deliver(msg)).json()).toEqual({ status: 'duplicate' });
        await settle();
        expect(cw.for(103).filter((x) => x.url.endsWith('/messages'))).toHaveLength(1);
      });

      it('retries when Chatwoot answers 500, and the reply arrives once', async () => {
        cw.failNext = 1;
        expect((await deliver(messageCreated(104, '运费多少钱'))).statusCode).toBe(202);
        const posts = await until(() => cw.for(104).length > 0 && cw.for(104), 10_000);
        await settle();
        expect(posts).toHaveLength(1);
        expect(String(posts[0]!.body.content)).toContain('99元');
      });

      it('ignores outgoing messages, private notes, other inboxes and other events with 200', async () => {
        const cases = [
          messageCreated(105, '运费多少钱', { message_type: 'outgoing', sender: { id: 1, name: 'Agent', type: 'user' } }),
          messageCreated(105, '运费多少钱', { private: true }),
          messageCreated(105, '运费多少钱', { message_type: 'activity' }),
          messageCreated(105, '运费多少钱', { conversation: { id: 105, inbox_id: 8, status: 'pending' }, inbox: { id: 8 } }),
          messageCreated(105, '运费多少钱', { account: { id: 2 } }),
          { event: 'conversation_status_changed', id: 105, status: 'open' },
          { event: 'webwidget_triggered', contact: { id: 42 } },
        ];
        for (const body of cases) {
          const r = await deliver(body);
          expect(r.statusCode, JSON.stringify(body)).toBe(200);
          expect(r.json().status).toBe('ignored');
        }
        await settle();
        expect(cw.for(105)).toEqual([]);
      });

      it('takes the customer’s pick of kefu’s options (message_updated with submitted_values) as their answer, exactly once', async () => {
        expect((await deliver(messageCreated(113, '你好'))).statusCode).toBe(202);
        await until(() => cw.for(113).length > 0);
        // The options message as kefu posts it for quick replies, then picked in Chatwoot's widget.
        const [options] = chatwootMessages({
          text: '您想了解哪一项？',
          parts: [
            {
              type: 'quick_replies',
              options: [
                { label: '运费多少钱', value: '运费多少钱' },
                { label: '怎么退货', value: '怎么退货' },
              ],
            },
          ],
        });
        expect(options).toMatchObject({ content_type: 'input_select' });
        const items = options!.content_attributes!.items;
        const picked = messageUpdated(113, 5001, { items, submitted_values: [items[0]] });
        const before = cw.for(113).length;
        const r = await deliver(picked);
        expect(r.statusCode, r.body).toBe(202);
        const answer = await until(() =>
          cw
            .for(113)
            .slice(before)
            .find((x) => String(x.body.content).includes('99元')),
        );
        expect(answer.body).toMatchObject({ message_type: 'outgoing', private: false });

        // Chatwoot redelivers, and every later update of that message (read receipts…) carries the same pick.
        expect((await deliver(picked)).json()).toEqual({ status: 'duplicate' });
        expect((await deliver({ ...picked, status: 'read' })).json()).toEqual({ status: 'duplicate' });
        await settle();
        expect(
          cw
            .for(113)
            .slice(before)
            .filter((x) => x.url.endsWith('/messages')),
        ).toHaveLength(1);
        const conversationId = (await s.deps.ctx.store.channelThreads.find(s.demo!.workspace.id, 'chatwoot', '1:113'))!;
        const said = (await s.app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: admin })).json().items;
        expect(said.filter((m: { author: { type: string } }) => m.author.type === 'contact').map((m: { text: string }) => m.text)).toEqual([
          '你好',
          '运费多少钱',
        ]);

        // Updates without a pick, picks in conversations agents have, and other kinds of picks are not answers.
        const ignored: [unknown, string][] = [
          [messageUpdated(113, 5002, { items }), 'not_submitted'],
          [messageUpdated(113, 5003, {}, { content_type: 'text', message_type: 'incoming' }), 'not_submitted'],
          [messageUpdated(113, 5004, { submitted_values: { csat_survey_response: { rating: 5 } } }, { content_type: 'input_csat' }), 'not_submitted'],
          [messageUpdated(113, 5005, { items, submitted_values: [items[1]] }, { conversation: { id: 113, inbox_id: 7, status: 'open' } }), 'not_pending'],
          [messageUpdated(113, 5006, { items, submitted_values: [items[1]] }, { private: true }), 'private'],
          [messageUpdated(113, 5007, { items, submitted_values: [{ title: ' ', value: '' }] }), 'not_submitted'],
        ];
        for (const [body, reason] of ignored) {
          const x = await deliver(body);
          expect(x.statusCode, JSON.stringify(body)).toBe(200);
          expect(x.json(), JSON.stringify(body)).toEqual({ status: 'ignored', reason });
        }
        // Content attributes as a JSON string (some versions) are read the same.
        const asString = await deliver(messageUpdated(113, 5008, JSON.stringify({ items, submitted_values: [items[1]] }) as never));
        expect(asString.statusCode).toBe(202);
        await until(
          () =>
            cw
              .for(113)
              .slice(before)
              .filter((x) => x.url.endsWith('/messages')).length > 1,
        );

        // Picks that are not Chatwoot's shape answer 400 naming the field.
        const malformed: [unknown, string][] = [
          [messageUpdated(113, 5009, { submitted_values: 'yes' }), 'body.content_attributes.submitted_values'],
          [messageUpdated(113, 5010, { submitted_values: [{ title: 'x', value: { nested: true } }] }), 'body.content_attributes.submitted_values.0.value'],
          [messageUpdated(113, 5011, { submitted_values: [items[0]] }, { conversation: { id: 'abc' } }), 'body.conversation.id'],
        ];
        for (const [body, field] of malformed) {
          const x = await deliver(body);
          expect(x.statusCode, JSON.stringify(body)).toBe(400);
          expect(
            x.json().errors.map((e: { field: string }) => e.field),
            JSON.stringify(body),
          ).toContain(field);
        }
      });

      it('answers an unknown or rotated token with 404, whatever the body', async () => {
        const unknown = await deliver(messageCreated(106, '运费多少钱'), '/v1/integrations/chatwoot/webhook/kfcw_not-a-token');
        expect(unknown.statusCode).toBe(404);
        expect(unknown.json().code).toBe('CHATWOOT_WEBHOOK_NOT_FOUND');
        expect((await deliver('not json at all', '/v1/integrations/chatwoot/webhook/kfcw_nope')).statusCode).toBe(404);
        expect(
          (
            await s.app.inject({
              method: 'POST',
              url: '/v1/integrations/chatwoot/webhook/kfcw_nope',
              headers: { 'content-type': 'application/json' },
              payload: '{',
            })
          ).statusCode,
        ).toBe(404);
      });

      it('answers malformed deliveries with 400 naming the field, and keeps working', async () => {
        const bad = await s.app.inject({ method: 'POST', url: webhookPath, headers: { 'content-type': 'application/json' }, payload: '{"event":' });
        expect(bad.statusCode).toBe(400);
        const cases: [unknown, string][] = [
          [{ nothing: true }, 'body.event'],
          [[1, 2], 'body'],
          [{ ...messageCreated(107, 'x'), conversation: undefined }, 'body.conversation'],
          [{ ...messageCreated(107, 'x'), conversation: { id: 'abc' } }, 'body.conversation.id'],
          [{ ...messageCreated(107, 'x'), id: { nested: 1 } }, 'body.id'],
          [{ ...messageCreated(107, 'x'), account: null }, 'body.account'],
        ];
        for (const [body, field] of cases) {
          const r = await deliver(body);
          expect(r.statusCode, JSON.stringify(body)).toBe(400);
          expect(
            r.json().errors.map((e: { field: string }) => e.field),
            JSON.stringify(body),
          ).toContain(field);
        }
        expect((await deliver(messageCreated(108, '运费多少钱'))).statusCode).toBe(202);
        await until(() => cw.for(108).length > 0);
      });

      it('requires a valid X-Chatwoot-Signature once the bot’s signing secret is saved', async () => {
        const secret = 'chatwoot-bot-signing-secret';
        const put = await s.app.inject({
          method: 'PUT',
          url: '/v1/integrations/chatwoot',
          headers: admin,
          payload: { baseUrl: cw.url, accountId: 1, inboxId: 7, webhookSecret: secret, enabled: true },
        });
        expect(put.statusCode).toBe(200);
        expect(put.json().webhookSecretSet).toBe(true);
        const body = JSON.stringify(messageCreated(109, '运费多少钱'));
        const ts = String(Math.floor(Date.now() / 1000));
        const sign = (t: string, b: string) => `sha256=${createHmac('sha256', secret).update(`${t}.${b}`).digest('hex')}`;
        const send = (headers: Record<string, string>) =>
          s.app.inject({ method: 'POST', url: webhookPath, headers: { 'content-type': 'application/json', ...headers }, payload: body });
        expect((await send({})).statusCode).toBe(401);
        expect((await send({ 'x-chatwoot-timestamp': ts, 'x-chatwoot-signature': sign(ts, `${body} `) })).statusCode).toBe(401);
        const old = String(Number(ts) - 3600);
        expect((await send({ 'x-chatwoot-timestamp': old, 'x-chatwoot-signature': sign(old, body) })).statusCode).toBe(401);
        expect((await send({ 'x-chatwoot-timestamp': ts, 'x-chatwoot-signature': sign(ts, body) })).statusCode).toBe(202);
        await until(() => cw.for(109).length > 0);
        // Removing the secret accepts unsigned deliveries again (Chatwoot before 4.13 signs nothing).
        const cleared = await s.app.inject({
          method: 'PUT',
          url: '/v1/integrations/chatwoot',
          headers: admin,
          payload: { baseUrl: cw.url, accountId: 1, inboxId: 7, webhookSecret: null },
        });
        expect(cleared.json().webhookSecretSet).toBe(false);
      });
    });

    describe('Chatwoot settings API', () => {
      it('never returns the access token, and keeps it when a save leaves it out', async () => {
        const r = await s.app.inject({ url: '/v1/integrations/chatwoot', headers: admin });
        expect(r.statusCode).toBe(200);
        expect(r.body).not.toContain(ACCESS_TOKEN);
        expect(r.json()).toMatchObject({ baseUrl: cw.url, accountId: 1, inboxId: 7, enabled: true, apiAccessTokenSet: true });
        expect(r.json().webhookUrl).toMatch(/\/v1\/integrations\/chatwoot\/webhook\/kfcw_[\w-]{20,}$/);
        // Answering after a save without a token still uses the stored one.
        await deliver(messageCreated(110, '运费多少钱'));
        const [post] = await until(() => cw.for(110).length > 0 && cw.for(110));
        expect(post!.headers.api_access_token).toBe(ACCESS_TOKEN);
      });

      it('never writes the access token or the webhook token to the log', async () => {
        await settle();
        const all = logLines.join('');
        expect(all.length).toBeGreaterThan(0);
        expect(all).not.toContain(ACCESS_TOKEN);
        expect(all).not.toContain(webhookPath.split('/').at(-1));
      });

      it('answers bad settings with 400 naming each field', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ baseUrl: 'not a url', accountId: 1, inboxId: 7 }, 'body.baseUrl'],
          [{ baseUrl: 'ftp://chat.example.com', accountId: 1, inboxId: 7 }, 'body.baseUrl'],
          [{ baseUrl: 'https://chat.example.com', accountId: 0, inboxId: 7 }, 'body.accountId'],
          [{ baseUrl: 'https://chat.example.com', accountId: '1', inboxId: 7 }, 'body.accountId'],
          [{ baseUrl: 'https://chat.example.com', accountId: 1, inboxId: 1.5 }, 'body.inboxId'],
          [{ baseUrl: 'https://chat.example.com', accountId: 1 }, 'body.inboxId'],
          [{ baseUrl: 'https://chat.example.com', accountId: 1, inboxId: 7, apiAccessToken: '  ' }, 'body.apiAccessToken'],
          [{ baseUrl: 'https://chat.example.com', accountId: 1, inboxId: 7, surprise: 1 }, 'body'],
        ];
        for (const [payload, field] of cases) {
          const r = await s.app.inject({ method: 'PUT', url: '/v1/integrations/chatwoot', headers: admin, payload });
          expect(r.statusCode, JSON.stringify(payload)).toBe(400);
          expect(
            r.json().errors.map((e: { field: string }) => e.field),
            JSON.stringify(payload),
          ).toContain(field);
        }
      });

      it('is per workspace: another workspace sees 404 and needs its own access token', async () => {
        const other = await loginOtherWorkspace(s, 'cw-other');
        const get = await s.app.inject({ url: '/v1/integrations/chatwoot', headers: other });
        expect(get.statusCode).toBe(404);
        expect(get.json().code).toBe('CHATWOOT_NOT_CONFIGURED');
        expect((await s.app.inject({ method: 'DELETE', url: '/v1/integrations/chatwoot', headers: other })).statusCode).toBe(404);
        expect((await s.app.inject({ method: 'POST', url: '/v1/integrations/chatwoot/rotate-token', headers: other })).statusCode).toBe(404);
        const first = await s.app.inject({
          method: 'PUT',
          url: '/v1/integrations/chatwoot',
          headers: other,
          payload: { baseUrl: 'https://chat.example.com', accountId: 3, inboxId: 4 },
        });
        expect(first.statusCode).toBe(400);
        expect(first.json().errors[0].field).toBe('body.apiAccessToken');
        expect((await s.app.inject({ url: '/v1/integrations/chatwoot', headers: admin })).json().accountId).toBe(1);
      });

      it('rotates the webhook token: the old URL stops working, the new one answers', async () => {
        const r = await s.app.inject({ method: 'POST', url: '/v1/integrations/chatwoot/rotate-token', headers: admin });
        expect(r.statusCode).toBe(200);
        const fresh = new URL(r.json().webhookUrl).pathname;
        expect(fresh).not.toBe(webhookPath);
        expect((await deliver(messageCreated(111, '运费多少钱'))).statusCode).toBe(404);
        expect((await deliver(messageCreated(111, '运费多少钱'), fresh)).statusCode).toBe(202);
        await until(() => cw.for(111).length > 0);
        webhookPath = fresh;
      });

      it('stops answering when disabled, and forgets everything when deleted', async () => {
        const off = await s.app.inject({
          method: 'PUT',
          url: '/v1/integrations/chatwoot',
          headers: admin,
          payload: { baseUrl: cw.url, accountId: 1, inboxId: 7, enabled: false },
        });
        expect(off.json().enabled).toBe(false);
        expect((await deliver(messageCreated(112, '运费多少钱'))).statusCode).toBe(404);
        expect((await s.app.inject({ method: 'DELETE', url: '/v1/integrations/chatwoot', headers: admin })).statusCode).toBe(204);
        expect((await s.app.inject({ url: '/v1/integrations/chatwoot', headers: admin })).statusCode).toBe(404);
      });

      it('is for admins only', async () => {
        expect((await s.app.inject({ url: '/v1/integrations/chatwoot' })).statusCode).toBe(401);
      });
    });
  });
}
