import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../ports/clock.js';
import { testServerDatabases } from '../test-support/dialects.js';
import { loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createTicket } from '../usecases/manage-tickets.js';

// Outbound webhooks as a receiver elsewhere lives with them: signed bodies it can verify, retries after
// its own failures, the same delivery id on every retry and redelivery (so it can skip what it has
// already processed), and the generic channel's replies reaching the app's user through them.

type Headers = Record<string, string>;

class TestClock implements Clock {
  constructor(private t: number) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

/** What the receiver parses from a body (only the fields these tests read). */
interface Sent {
  id: string;
  type: string;
  data: { message?: { text: string; conversationId: string; author: { type: string } } };
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: `/flaky` fails each delivery's first attempt with 500, `/hang` never answers, the rest answer 200. */
async function startReceiver() {
  const received: Received[] = [];
  const seen = new Set<string>();
  const hanging: import('node:http').ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const delivery = String(req.headers['x-kefu-delivery']);
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (path === '/hang') {
        hanging.push(res);
        return;
      }
      if (path === '/flaky' && !seen.has(delivery)) {
        seen.add(delivery);
        res.writeHead(500).end('receiver down');
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** What a receiver does before trusting a body: check the HMAC over `<t>.<raw body>` and that `t` is recent. */
function verifySignature(secret: string, header: string | undefined, rawBody: string, nowSeconds: number): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300 || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const db of testServerDatabases()) {
  describe(`outbound webhooks and the custom channel (${db.name})`, () => {
    let s: TestServer;
    let admin: Headers;
    let drop: () => Promise<void>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const clock = new TestClock(Date.parse('2026-05-04T08:00:00Z'));
    let hook: { id: string; secret: string };

    beforeAll(async () => {
      const opened = await db.open();
      drop = opened.drop;
      receiver = await startReceiver();
      s = await startTestServer({
        clock,
        ...(opened.databaseUrl ? { databaseUrl: opened.databaseUrl } : {}),
        ...(opened.databaseSchema ? { databaseSchema: opened.databaseSchema } : {}),
      });
      admin = await loginDemo(s);
    });
    afterAll(async () => {
      await s?.close();
      await receiver?.close();
      await drop?.();
    });

    const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Headers = admin) =>
      s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const deliveries = async (webhookId: string, query = '') => (await inject('GET', `/v1/webhooks/${webhookId}/deliveries${query}`)).json().items;
    const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
    const flakyFor = (pred: (p: Sent) => boolean) => receiver.received.filter((r) => r.path === '/flaky' && pred(JSON.parse(r.body)));

    it('creates a webhook and shows its secret only once', async () => {
      const r = await inject('POST', '/v1/webhooks', { url: `${receiver.url}/flaky`, events: ['message.created'], description: 'CRM' });
      expect(r.statusCode).toBe(201);
      const body = r.json();
      expect(body.secret).toMatch(/^whsec_/);
      expect(body.webhook).toMatchObject({ url: `${receiver.url}/flaky`, events: ['message.created'], enabled: true, description: 'CRM' });
      hook = { id: body.webhook.id, secret: body.secret };
      const list = await inject('GET', '/v1/webhooks');
      expect(list.body).not.toContain(body.secret);
      expect(list.json().items.map((w: { id: string }) => w.id)).toContain(hook.id);
      expect(JSON.stringify((await inject('GET', `/v1/webhooks/${hook.id}`)).json())).not.toContain('secret');
    });

    it('sends a customer message as a signed delivery, retries after a 500 and logs it delivered after two attempts', async () => {
      const v = await startVisitor(s);
      expect((await say(s, v, '运费多少钱')).statusCode).toBe(200);
      const first = await until(() => flakyFor((p) => p.data.message?.text === '运费多少钱')[0], 'the first attempt');
      expect(verifySignature(hook.secret, first.headers['x-kefu-signature'] as string, first.body, nowSeconds())).toBe(true);
      expect(verifySignature('another-secret-value', first.headers['x-kefu-signature'] as string, first.body, nowSeconds())).toBe(false);
      const payload = JSON.parse(first.body);
      expect(payload).toMatchObject({ type: 'message.created', workspaceId: s.demo!.workspace.id });
      expect(first.headers['x-kefu-delivery']).toBe(payload.id);
      expect(first.headers['x-kefu-event']).toBe('message.created');
      expect(payload.data.message).toMatchObject({ conversationId: v.id, author: { type: 'contact' }, text: '运费多少钱' });
      expect(payload.data.conversation).toMatchObject({ id: v.id, channel: 'web' });

      const pending = await until(
        async () => (await deliveries(hook.id)).find((d: { id: string; attempts: number }) => d.id === payload.id && d.attempts === 1),
        'the log',
      );
      expect(pending).toMatchObject({ status: 'pending', lastStatusCode: 500, lastError: 'receiver down' });
      expect(Date.parse(pending.nextAttemptAt) - clock.now().getTime()).toBe(10_000);

      // Not due yet: a sweep now sends nothing to it.
      await s.deps.webhooks.sweep();
      expect(flakyFor((p) => p.id === payload.id)).toHaveLength(1);
      clock.advance(11_000);
      await s.deps.webhooks.sweep();
      const attempts = flakyFor((p) => p.id === payload.id);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]!.body).toBe(first.body);
      expect(verifySignature(hook.secret, attempts[1]!.headers['x-kefu-signature'] as string, attempts[1]!.body, nowSeconds())).toBe(true);

      const delivered = (await deliveries(hook.id, '?status=delivered')).find((d: { id: string }) => d.id === payload.id);
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null, eventType: 'message.created' });
      expect(delivered.payload).toEqual(payload);
      // The bot's reply went out too, without its trace.
      const reply = flakyFor((p) => p.data.message?.author.type === 'bot' && p.data.message.conversationId === v.id)[0];
      expect(reply).toBeDefined();
      expect(JSON.parse(reply!.body).data.message.metadata.trace).toBeUndefined();
    });

    it('redelivers with the same delivery id, so the receiver can tell it already has it', async () => {
      const [latest] = await deliveries(hook.id, '?status=delivered');
      const before = flakyFor((p) => p.id === latest.id).length;
      const r = await inject('POST', `/v1/webhooks/deliveries/${latest.id}/redeliver`);
      expect(r.statusCode).toBe(202);
      const again = await until(() => flakyFor((p) => p.id === latest.id)[before], 'the redelivery');
      expect(again.headers['x-kefu-delivery']).toBe(latest.id);
      expect(JSON.parse(again.body)).toEqual(latest.payload);
      const after = await until(
        async () => (await deliveries(hook.id)).find((d: { id: string; status: string }) => d.id === latest.id && d.status === 'delivered'),
        'the redelivery logged',
      );
      expect(after.attempts).toBe(1);
    });

    it('gives up on a receiver that does not answer within 5 seconds and retries later', { timeout: 15_000 }, async () => {
      const created = await inject('POST', '/v1/webhooks', { url: `${receiver.url}/hang`, events: ['sla.breached'] });
      const id = created.json().webhook.id;
      const ping = await inject('POST', `/v1/webhooks/${id}/test`);
      expect(ping.statusCode).toBe(202);
      expect(ping.json()).toMatchObject({ eventType: 'ping', status: 'pending' });
      await until(() => receiver.received.find((r) => r.path === '/hang'), 'the hanging request');
      const logged = await until(async () => (await deliveries(id)).find((d: { attempts: number }) => d.attempts === 1), 'the timeout', 9_000);
      expect(logged).toMatchObject({ status: 'pending', lastStatusCode: null, lastError: 'timed out after 5000 ms' });
      expect((await inject('DELETE', `/v1/webhooks/${id}`)).statusCode).toBe(204);
      expect((await inject('GET', `/v1/webhooks/${id}/deliveries`)).statusCode).toBe(404);
    });

    it('sends ticket events: created, updated with what changed, and comments — internal ones only to webhooks that name the event', async () => {
      const everything = (await inject('POST', '/v1/webhooks', { url: `${receiver.url}/tickets-all`, events: ['*'] })).json().webhook.id as string;
      const comments = (await inject('POST', '/v1/webhooks', { url: `${receiver.url}/tickets-comments`, events: ['ticket.comment_created'] })).json().webhook
        .id as string;
      const at = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
      const me = (await inject('GET', '/v1/me')).json().member as { id: string; name: string };

      const created = await inject('POST', '/v1/tickets', { subject: '发票抬头开错了', description: '需要重开', priority: 'high' });
      expect(created.statusCode).toBe(201);
      const ticket = created.json();
      const opened = await until(() => at('/tickets-all').find((p) => p.type === 'ticket.created' && p.data.ticket.id === ticket.id), 'ticket.created');
      expect(opened.data).toMatchObject({
        ticket: {
          id: ticket.id,
          number: ticket.number,
          subject: '发票抬头开错了',
          status: 'new',
          priority: 'high',
          assignee: null,
          team: null,
          source: 'agent',
        },
        actor: { type: 'member', id: me.id },
      });
      expect(opened.data.ticket.workspaceId).toBeUndefined();
      const signed = receiver.received.find((r) => r.path === '/tickets-all' && JSON.parse(r.body).id === opened.id)!;
      expect(signed.headers['x-kefu-event']).toBe('ticket.created');

      // Taking it opens it: status, priority and assignee change in one update.
      expect((await inject('PATCH', `/v1/tickets/${ticket.id}`, { assigneeId: me.id, priority: 'urgent' })).statusCode).toBe(200);
      const updated = await until(() => at('/tickets-all').find((p) => p.type === 'ticket.updated' && p.data.ticket.id === ticket.id), 'ticket.updated');
      expect(updated.data.changes).toEqual({
        status: { from: 'new', to: 'open' },
        priority: { from: 'high', to: 'urgent' },
        assigneeId: { from: null, to: me.id },
      });
      expect(updated.data.ticket).toMatchObject({ status: 'open', priority: 'urgent', assignee: { id: me.id, name: me.name } });
      // An update that changes nothing is not an event.
      expect((await inject('PATCH', `/v1/tickets/${ticket.id}`, { priority: 'urgent' })).statusCode).toBe(200);
      expect((await inject('PATCH', `/v1/tickets/${ticket.id}`, { status: 'solved' })).statusCode).toBe(200);
      await until(() => at('/tickets-all').find((p) => p.type === 'ticket.updated' && p.data.changes.status?.to === 'solved'), 'the solved update');

      expect((await inject('POST', `/v1/tickets/${ticket.id}/comments`, { body: '已为您重开发票', public: true })).statusCode).toBe(201);
      expect((await inject('POST', `/v1/tickets/${ticket.id}/comments`, { body: '内部：财务已确认', public: false })).statusCode).toBe(201);
      const internal = await until(
        () => at('/tickets-comments').find((p) => p.data.comment?.body === '内部：财务已确认'),
        'the internal comment, to the webhook that names the event',
      );
      expect(internal.data).toMatchObject({
        ticket: { id: ticket.id },
        comment: { public: false, author: { type: 'agent', id: me.id, name: me.name } },
        actor: { type: 'member', id: me.id },
      });
      const published = await until(() => at('/tickets-all').find((p) => p.data.comment?.body === '已为您重开发票'), 'the public comment');
      expect(published.data.comment.public).toBe(true);
      expect(at('/tickets-comments').map((p) => p.data.comment.body)).toEqual(['已为您重开发票', '内部：财务已确认']);

      // The `*` webhook's log: one creation, two real updates, and only the public comment, ever.
      const logged = (await deliveries(everything)).map((d: { eventType: string }) => d.eventType).filter((t: string) => t.startsWith('ticket.'));
      expect(logged.sort()).toEqual(['ticket.comment_created', 'ticket.created', 'ticket.updated', 'ticket.updated']);
      expect(JSON.stringify(await deliveries(everything))).not.toContain('内部：财务已确认');

      // A ticket the bot opens (a flow, out of hours) says so.
      const byBot = await createTicket(s.deps.ctx, { kind: 'bot', workspaceId: s.demo!.workspace.id }, { subject: '回电请求' });
      const botOpened = await until(() => at('/tickets-all').find((p) => p.type === 'ticket.created' && p.data.ticket.id === byBot.id), 'the bot ticket');
      expect(botOpened.data).toMatchObject({ ticket: { source: 'bot' }, actor: { type: 'bot', id: null } });

      for (const id of [everything, comments]) expect((await inject('DELETE', `/v1/webhooks/${id}`)).statusCode).toBe(204);
    });

    it('sends conversation.rated with the conversation and the rating', async () => {
      const { webhook: rated, secret } = (await inject('POST', '/v1/webhooks', { url: `${receiver.url}/rated`, events: ['conversation.rated'] })).json();
      const v = await startVisitor(s);
      const ratedAt = clock.now().toISOString();
      // The CSAT use case publishes this when a customer rates; the webhook maps whatever publishes it.
      await s.deps.ctx.bus.publish([
        { type: 'conversation.rated', workspaceId: s.demo!.workspace.id, conversationId: v.id, score: 4, comment: '回复很快', ratedAt },
      ]);
      const got = await until(() => receiver.received.find((r) => r.path === '/rated'), 'conversation.rated');
      const payload = JSON.parse(got.body);
      expect(got.headers['x-kefu-event']).toBe('conversation.rated');
      expect(verifySignature(secret, got.headers['x-kefu-signature'] as string, got.body, nowSeconds())).toBe(true);
      expect(payload).toMatchObject({
        type: 'conversation.rated',
        workspaceId: s.demo!.workspace.id,
        data: { conversation: { id: v.id, channel: 'web' }, rating: { score: 4, comment: '回复很快', ratedAt } },
      });
      // Another webhook of the workspace that did not subscribe heard nothing of it.
      expect((await deliveries(hook.id)).some((d: { eventType: string }) => d.eventType === 'conversation.rated')).toBe(false);
      expect((await inject('DELETE', `/v1/webhooks/${rated.id}`)).statusCode).toBe(204);
    });

    it('accepts the new event types in a subscription and refuses unknown ones', async () => {
      const r = await inject('POST', '/v1/webhooks', {
        url: `${receiver.url}/types`,
        events: ['ticket.created', 'ticket.updated', 'ticket.comment_created', 'conversation.rated'],
      });
      expect(r.statusCode).toBe(201);
      expect(r.json().webhook.events).toEqual(['ticket.created', 'ticket.updated', 'ticket.comment_created', 'conversation.rated']);
      const bad = await inject('POST', '/v1/webhooks', { url: `${receiver.url}/types`, events: ['ticket.created', 'ticket.deleted'] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.events.1']);
      expect((await inject('DELETE', `/v1/webhooks/${r.json().webhook.id}`)).statusCode).toBe(204);
    });

    it('refuses bad URLs, oversized fields and malformed Unicode, naming the field', async () => {
      const fieldOf = async (payload: object | string) => {
        const r = await s.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { ...admin, 'content-type': 'application/json' }, payload });
        expect(r.statusCode).toBe(400);
        return r.json().errors.map((e: { field: string }) => e.field);
      };
      expect(await fieldOf({ url: 'ftp://example.com/hook' })).toEqual(['body.url']);
      expect(await fieldOf({ url: 'not a url' })).toEqual(['body.url']);
      expect(await fieldOf({ url: `https://example.com/${'a'.repeat(2001)}` })).toEqual(['body.url']);
      expect(await fieldOf({ url: 'https://example.com/hook', description: 'x'.repeat(501) })).toEqual(['body.description']);
      expect(await fieldOf({ url: 'https://example.com/hook', events: ['message.sent'] })).toEqual(['body.events.0']);
      expect(await fieldOf({ url: 'https://example.com/hook', secret: 'short' })).toEqual(['body.secret']);
      const malformed = await s.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: '{"url":"https://example.com/hook","description":"\\ud800"}',
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ code: 'TEXT_MALFORMED_UNICODE', errors: [{ field: 'body.description' }] });
      const patch = await inject('PATCH', `/v1/webhooks/${hook.id}`, { url: 'javascript:alert(1)' });
      expect(patch.statusCode).toBe(400);
      expect(patch.json().errors[0].field).toBe('body.url');
    });

    it('answers 404 for another workspace’s webhook and deliveries', async () => {
      const other = await loginOtherWorkspace(s, `wh-other-${db.name}`);
      const [d] = await deliveries(hook.id);
      for (const [method, url, body] of [
        ['GET', `/v1/webhooks/${hook.id}`],
        ['PATCH', `/v1/webhooks/${hook.id}`, { enabled: false }],
        ['DELETE', `/v1/webhooks/${hook.id}`],
        ['POST', `/v1/webhooks/${hook.id}/test`],
        ['GET', `/v1/webhooks/${hook.id}/deliveries`],
        ['POST', `/v1/webhooks/deliveries/${d.id}/redeliver`],
      ] as const) {
        const r = await inject(method, url, body, other);
        expect(r.statusCode, `${method} ${url}`).toBe(404);
      }
      expect((await inject('GET', '/v1/webhooks', undefined, other)).json().items).toEqual([]);
      expect((await inject('GET', `/v1/webhooks/${hook.id}`)).json().enabled).toBe(true);
    });

    it('lets an app talk through the custom channel and receive the agent’s reply as a signed webhook', async () => {
      const key = (await inject('POST', '/v1/api-keys', { name: 'mobile app', role: 'agent' })).json().secret as string;
      const app = { authorization: `Bearer ${key}` };
      const send = (body: object) => inject('POST', '/v1/channels/custom/messages', body, app);

      const answered = await send({ userId: 'app-user-1', text: '运费多少钱', name: '小王', locale: 'zh-CN' });
      expect(answered.statusCode).toBe(200);
      const a = answered.json();
      expect(a.replies.map((m: { text: string }) => m.text).join('\n')).toContain('99元');
      expect(a.handoff).toBeNull();
      expect(a.sources.length).toBeGreaterThan(0);

      const handed = (await send({ userId: 'app-user-1', text: '转人工' })).json();
      expect(handed.conversationId).toBe(a.conversationId);
      expect(handed.handoff).not.toBeNull();
      expect(handed.status).toBe('queued');

      const reply = await inject('POST', `/v1/conversations/${a.conversationId}/messages`, { text: '您好，我来帮您查一下运费。' });
      expect(reply.statusCode).toBe(200);
      const out = await until(() => flakyFor((p) => p.data.message?.text === '您好，我来帮您查一下运费。')[0], 'the agent reply webhook');
      expect(verifySignature(hook.secret, out.headers['x-kefu-signature'] as string, out.body, nowSeconds())).toBe(true);
      const payload = JSON.parse(out.body);
      expect(payload.type).toBe('message.created');
      expect(payload.data.message.author.type).toBe('agent');
      expect(payload.data.conversation).toMatchObject({ id: a.conversationId, channel: 'custom', contact: { externalId: 'app-user-1', name: '小王' } });

      // Notes stay inside unless a webhook names note.created.
      await inject('POST', `/v1/conversations/${a.conversationId}/messages`, { text: '内部备注：老客户', kind: 'note' });
      await inject('POST', `/v1/conversations/${a.conversationId}/messages`, { text: '运费是 10 元。' });
      await until(() => flakyFor((p) => p.data.message?.text === '运费是 10 元。')[0], 'the second reply');
      expect(flakyFor((p) => p.data.message?.text === '内部备注：老客户')).toEqual([]);

      expect((await send({ userId: '', text: 'hi' })).json().errors[0].field).toBe('body.userId');
      expect((await inject('POST', '/v1/channels/custom/messages', { userId: 'x', text: 'hi' }, {})).statusCode).toBe(401);
    });
  });
}
