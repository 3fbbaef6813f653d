import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../domain/events.js';
import { testServerDatabases } from '../test-support/dialects.js';
import { loginDemo, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// The end of a chat as the customer lives it: the widget asks for details first when the workspace wants
// them, a greeting bubble invites them in, and when the conversation is resolved (by an agent or by the
// customer ending it) they rate it 1–5. Agents see the rating on the conversation; rating again replaces it.

type Headers = { authorization: string };

for (const db of testServerDatabases()) {
  describe(`satisfaction ratings, pre-chat form and proactive greeting (${db.name})`, () => {
    let s: TestServer;
    let admin: Headers;
    let drop: () => Promise<void>;
    const rated: Extract<DomainEvent, { type: 'conversation.rated' }>[] = [];

    beforeAll(async () => {
      const opened = await db.open();
      drop = opened.drop;
      s = await startTestServer({
        ...(opened.databaseUrl ? { databaseUrl: opened.databaseUrl } : {}),
        ...(opened.databaseSchema ? { databaseSchema: opened.databaseSchema } : {}),
      });
      admin = await loginDemo(s);
      s.deps.ctx.bus.subscribe((e) => {
        if (e.type === 'conversation.rated') rated.push(e);
      });
    });
    afterAll(async () => {
      await s?.close();
      await drop?.();
    });

    const key = () => ({ 'x-kefu-widget-key': s.demo!.workspace.widgetKey });
    const config = async () => (await s.app.inject({ method: 'GET', url: `/v1/widget/config?key=${s.demo!.workspace.widgetKey}` })).json();
    const patchSettings = (payload: object) => s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload });
    const rate = (v: { id: string; headers: Record<string, string> }, payload: object) =>
      s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/rating`, headers: v.headers, payload });
    const resolveAsAgent = (id: string) => s.app.inject({ method: 'PATCH', url: `/v1/conversations/${id}`, headers: admin, payload: { status: 'resolved' } });
    const agentView = async (id: string) => (await s.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: admin })).json();

    it('asks for a rating once an agent resolves the chat; agents see it, and rating again replaces it', async () => {
      const v = await startVisitor(s);
      await say(s, v, '转人工');
      const early = await rate(v, { score: 5 });
      expect(early.statusCode).toBe(409);
      expect(early.json().code).toBe('CONVERSATION_NOT_ENDED');

      expect((await resolveAsAgent(v.id)).json().status).toBe('resolved');
      const first = await rate(v, { score: 2, comment: '  等了太久  ' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ score: 2, comment: '等了太久' });
      expect((await agentView(v.id)).rating).toMatchObject({ score: 2, comment: '等了太久' });

      const again = await rate(v, { score: 4 });
      expect(again.json()).toMatchObject({ score: 4, comment: null });
      const seen = await agentView(v.id);
      expect(seen.rating).toMatchObject({ score: 4, comment: null });
      // The customer's own view carries it too (the widget shows "thanks" instead of asking again after a reload).
      const mine = await s.app.inject({ method: 'GET', url: `/v1/widget/conversations/${v.id}`, headers: v.headers });
      expect(mine.json().rating.score).toBe(4);
      // One rating per conversation in the list, however often it was given.
      const list = (await s.app.inject({ method: 'GET', url: '/v1/conversations?status=resolved&limit=100', headers: admin })).json();
      expect(list.items.filter((c: { id: string }) => c.id === v.id)).toHaveLength(1);
      expect(rated.filter((e) => e.conversationId === v.id).map((e) => e.score)).toEqual([2, 4]);
    });

    it('lets the customer end the chat (freeing the agent), rate it, and reopen it by writing again', async () => {
      const v = await startVisitor(s);
      await say(s, v, '转人工');
      await s.app.inject({ method: 'POST', url: `/v1/conversations/${v.id}/claim`, headers: admin });
      expect((await agentView(v.id)).status).toBe('assigned');

      const ended = await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/end`, headers: v.headers });
      expect(ended.statusCode).toBe(200);
      expect(ended.json().status).toBe('resolved');
      expect(ended.json().handoff).toBeUndefined();
      // Ending twice changes nothing.
      expect((await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/end`, headers: v.headers })).json().status).toBe('resolved');
      expect((await rate(v, { score: 5, comment: 'Great help, thanks!' })).statusCode).toBe(200);

      const back = await say(s, v, '运费多少钱');
      expect(back.json().conversation.status).toBe('bot');
      expect(back.json().replies[0].text).toContain('99元');
      expect((await agentView(v.id)).rating.score).toBe(5);
    });

    it('refuses scores and comments that are not a rating, naming the field', async () => {
      const v = await startVisitor(s);
      await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/end`, headers: v.headers });
      for (const [payload, field, code] of [
        [{}, 'body.score', 'VALIDATION_FAILED'],
        [{ score: 0 }, 'body.score', 'VALIDATION_FAILED'],
        [{ score: 6 }, 'body.score', 'VALIDATION_FAILED'],
        [{ score: 3.5 }, 'body.score', 'VALIDATION_FAILED'],
        [{ score: '5' }, 'body.score', 'VALIDATION_FAILED'],
        [{ score: 3, comment: 'x'.repeat(1001) }, 'body.comment', 'VALIDATION_FAILED'],
        [{ score: 3, comment: 'bad \ud800 text' }, 'body.comment', 'TEXT_MALFORMED_UNICODE'],
      ] as const) {
        const r = await rate(v, payload);
        expect(r.statusCode, JSON.stringify(payload)).toBe(400);
        expect(r.json().code).toBe(code);
        expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await agentView(v.id)).rating).toBeNull();
      // Without a token, or with another conversation's token: nothing to rate.
      expect((await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/rating`, payload: { score: 5 } })).statusCode).toBe(401);
      const other = await startVisitor(s);
      const wrong = await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/rating`, headers: other.headers, payload: { score: 5 } });
      expect(wrong.statusCode).toBe(404);
      expect((await agentView(v.id)).rating).toBeNull();
    });

    it('publishes the survey, the pre-chat form and the greeting bubble in the widget config as the workspace sets them', async () => {
      const before = await config();
      expect(before.csat).toEqual({ enabled: true, question: {} });
      expect(before.preChat).toBeNull();
      expect(before.proactive).toBeNull();

      const r = await patchSettings({
        widget: {
          preChat: {
            enabled: true,
            fields: [
              { key: 'email', required: true },
              { key: 'phone', required: false },
            ],
            intro: { 'zh-CN': '请留下联系方式' },
          },
          proactive: { enabled: true, delaySeconds: 5, message: { 'zh-CN': '需要帮忙吗？', en: 'Need a hand?' } },
        },
        csat: { question: { en: 'How did we do?' } },
      });
      expect(r.statusCode).toBe(200);
      // widget settings merge key by key: the theme set elsewhere stays.
      const theme = await patchSettings({ widget: { theme: { color: '#ff6600' } } });
      expect(theme.statusCode).toBe(200);
      const after = await config();
      expect(after.preChat).toEqual({
        fields: [
          { key: 'email', required: true },
          { key: 'phone', required: false },
        ],
        intro: { 'zh-CN': '请留下联系方式' },
      });
      expect(after.proactive).toEqual({ delaySeconds: 5, message: { 'zh-CN': '需要帮忙吗？', en: 'Need a hand?' } });
      expect(after.csat).toEqual({ enabled: true, question: { en: 'How did we do?' } });
      expect(after.theme.color).toBe('#ff6600');

      // A greeting with nothing to say is no greeting.
      await patchSettings({ widget: { proactive: { enabled: true, message: { en: '   ' } } } });
      expect((await config()).proactive).toBeNull();
      await patchSettings({ widget: null, csat: null });
      expect((await config()).preChat).toBeNull();
    });

    it('keeps the details of the pre-chat form on the contact, and refuses a phone that is not one', async () => {
      const started = await s.app.inject({
        method: 'POST',
        url: '/v1/widget/conversations',
        headers: key(),
        payload: { locale: 'zh-CN', contact: { name: '李雷', email: 'lilei@example.com', phone: '+86 138 0013 8000' } },
      });
      expect(started.statusCode).toBe(201);
      const contactId = started.json().conversation.contact.id;
      const contact = (await s.app.inject({ method: 'GET', url: `/v1/contacts/${contactId}`, headers: admin })).json();
      expect(contact).toMatchObject({ name: '李雷', email: 'lilei@example.com', phone: '+86 138 0013 8000' });

      const bad = await s.app.inject({ method: 'POST', url: '/v1/widget/conversations', headers: key(), payload: { contact: { phone: 'call me maybe' } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('body.contact.phone');
    });

    it('refuses settings that make no form or no greeting, naming the field', async () => {
      for (const [widget, field] of [
        [{ preChat: { fields: [] } }, 'body.widget.preChat.fields'],
        [
          {
            preChat: {
              fields: [
                { key: 'email', required: true },
                { key: 'email', required: false },
              ],
            },
          },
          'body.widget.preChat.fields',
        ],
        [{ preChat: { fields: [{ key: 'address', required: true }] } }, 'body.widget.preChat.fields.0.key'],
        [{ proactive: { delaySeconds: 601 } }, 'body.widget.proactive.delaySeconds'],
        [{ proactive: { message: { fr: 'Bonjour' } } }, 'body.widget.proactive.message'],
      ] as const) {
        const r = await patchSettings({ widget });
        expect(r.statusCode, JSON.stringify(widget)).toBe(400);
        expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('does not take ratings when the workspace switched the survey off', async () => {
      await patchSettings({ csat: { enabled: false } });
      expect((await config()).csat.enabled).toBe(false);
      const v = await startVisitor(s);
      await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/end`, headers: v.headers });
      const r = await rate(v, { score: 5 });
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('CSAT_DISABLED');
      await patchSettings({ csat: null });
      expect((await rate(v, { score: 5 })).statusCode).toBe(200);
    });
  });
}
