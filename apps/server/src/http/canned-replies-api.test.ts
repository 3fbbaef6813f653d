import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMentions } from '../domain/parse-mentions.js';
import { renderTemplate } from '../engine/render-template.js';
import { testServerDatabases } from '../test-support/dialects.js';
import { addMember, loginDemo, loginOtherWorkspace, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Canned replies are what agents type fastest: `/refund` fills the customer's name and the right
// timeline. Personal ones stay with their owner; shared ones are the team's and only admins change
// them. @mentions in notes reach the colleague named, in Chinese or English, and nobody else.

type Headers = { authorization: string };

for (const db of testServerDatabases()) {
  describe(`canned replies and mentions (${db.name})`, () => {
    let s: TestServer;
    let admin: Headers;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const opened = await db.open();
      drop = opened.drop;
      s = await startTestServer({
        ...(opened.databaseUrl ? { databaseUrl: opened.databaseUrl } : {}),
        ...(opened.databaseSchema ? { databaseSchema: opened.databaseSchema } : {}),
      });
      admin = await loginDemo(s);
    });
    afterAll(async () => {
      await s?.close();
      await drop?.();
    });

    const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Headers = admin) =>
      s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const shortcuts = async (headers: Headers, query = '') =>
      (await inject('GET', `/v1/canned-replies${query}`, undefined, headers)).json().items.map((r: { shortcut: string }) => r.shortcut);

    it('seeds shared replies in three languages and lists a language with the replies for any language', async () => {
      const all = (await inject('GET', '/v1/canned-replies')).json().items;
      expect(new Set(all.map((r: { language: string }) => r.language))).toEqual(new Set(['zh-CN', 'zh-TW', 'en']));
      expect(all.every((r: { scope: string }) => r.scope === 'shared')).toBe(true);
      await inject('POST', '/v1/canned-replies', { shortcut: 'sig', title: 'Signature', body: '— {{agent.name}}' });
      const en = await shortcuts(admin, '?language=en');
      expect(en).toContain('refund-time');
      expect(en).toContain('sig');
      expect(en).not.toContain('refund');
      expect(await shortcuts(admin, `?q=${encodeURIComponent('退款')}`)).toEqual(expect.arrayContaining(['refund', 'refund-tw']));
      expect(await shortcuts(admin, '?q=REFUND&language=en')).toEqual(['refund-time']);
    });

    it('keeps personal replies to their owner and lets only admins change shared ones', async () => {
      const lily = await addMember(s, admin, 'agent', `lily-${db.name}@demo.test`);
      const mei = await addMember(s, admin, 'agent', `mei-${db.name}@demo.test`);
      const created = await inject(
        'POST',
        '/v1/canned-replies',
        { shortcut: 'Track', title: '查物流', body: '{{contact.name}}，物流单号稍后发您' },
        lily.headers,
      );
      expect(created.statusCode).toBe(201);
      const mine = created.json();
      expect(mine).toMatchObject({ shortcut: 'track', scope: 'personal', ownerId: lily.member.id, useCount: 0, language: null });

      expect(await shortcuts(lily.headers)).toContain('track');
      expect(await shortcuts(mei.headers)).not.toContain('track');
      expect(await shortcuts(admin)).not.toContain('track');
      expect(await shortcuts(lily.headers, '?scope=personal')).toEqual(['track']);
      expect((await inject('PATCH', `/v1/canned-replies/${mine.id}`, { title: 'x' }, mei.headers)).statusCode).toBe(404);
      expect((await inject('DELETE', `/v1/canned-replies/${mine.id}`, undefined, admin)).statusCode).toBe(404);
      // Mei may use the same shortcut for her own reply; Lily may not use it twice.
      expect((await inject('POST', '/v1/canned-replies', { shortcut: 'track', title: 't', body: 'b' }, mei.headers)).statusCode).toBe(201);
      const dup = await inject('POST', '/v1/canned-replies', { shortcut: 'TRACK', title: 't', body: 'b' }, lily.headers);
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ code: 'CANNED_REPLY_SHORTCUT_TAKEN', errors: [{ field: 'body.shortcut' }] });

      const edited = await inject('PATCH', `/v1/canned-replies/${mine.id}`, { body: '{{contact.name | 您好}}，单号稍后发您', language: 'zh-CN' }, lily.headers);
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ body: '{{contact.name | 您好}}，单号稍后发您', language: 'zh-CN', scope: 'personal' });

      const shared = await inject('POST', '/v1/canned-replies', { shortcut: 'x', title: 't', body: 'b', shared: true }, lily.headers);
      expect(shared.statusCode).toBe(403);
      const hi = (await inject('GET', '/v1/canned-replies?q=hi&scope=shared')).json().items.find((r: { shortcut: string }) => r.shortcut === 'hi');
      expect((await inject('PATCH', `/v1/canned-replies/${hi.id}`, { title: 'x' }, lily.headers)).statusCode).toBe(403);
      expect((await inject('DELETE', `/v1/canned-replies/${hi.id}`, undefined, lily.headers)).statusCode).toBe(403);
      const taken = await inject('POST', '/v1/canned-replies', { shortcut: 'hi', title: 't', body: 'b', shared: true });
      expect(taken.json().code).toBe('CANNED_REPLY_SHORTCUT_TAKEN');
      const team = (await inject('POST', '/v1/canned-replies', { shortcut: 'team', title: 't', body: 'b', shared: true })).json();
      expect(await shortcuts(lily.headers)).toContain('team');
      expect((await inject('DELETE', `/v1/canned-replies/${team.id}`)).statusCode).toBe(204);
      expect(await shortcuts(lily.headers)).not.toContain('team');
      expect((await inject('DELETE', `/v1/canned-replies/${mine.id}`, undefined, lily.headers)).statusCode).toBe(204);
      expect((await inject('DELETE', `/v1/canned-replies/${mine.id}`, undefined, lily.headers)).json().code).toBe('CANNED_REPLY_NOT_FOUND');

      const viewer = await addMember(s, admin, 'viewer', `viewer-${db.name}@demo.test`);
      expect((await inject('GET', '/v1/canned-replies', undefined, viewer.headers)).statusCode).toBe(200);
      expect((await inject('POST', '/v1/canned-replies', { shortcut: 'v', title: 't', body: 'b' }, viewer.headers)).statusCode).toBe(403);
      expect((await s.app.inject({ url: '/v1/canned-replies' })).statusCode).toBe(401);
    });

    it('renders variables for the conversation, keeps missing ones visible, uses fallbacks and counts uses', async () => {
      const v = await startVisitor(s, { locale: 'zh-CN', contact: { name: '王小明', externalId: `wang-${db.name}` } });
      const contactId = (await inject('GET', `/v1/conversations/${v.id}`)).json().contact.id;
      await inject('PATCH', `/v1/contacts/${contactId}`, { attributes: { tier: '金卡' } });
      const reply = (
        await inject('POST', '/v1/canned-replies', {
          shortcut: 'vip',
          title: 'VIP',
          body: '{{ contact.name }}（{{contact.attributes.tier}}会员）您好，我是{{agent.name}}。邮箱：{{contact.email}}；{{contact.attributes.city | 未填城市}}；会话 {{conversation.id}} @ {{workspace.name}}',
        })
      ).json();
      const r = await inject('POST', `/v1/canned-replies/${reply.id}/render`, { conversationId: v.id });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({
        text: `王小明（金卡会员）您好，我是Demo Admin 演示管理员。邮箱：{{contact.email}}；未填城市；会话 ${v.id} @ 云朵商城 Cloud Mall`,
        missing: ['contact.email'],
      });

      const anonymous = await startVisitor(s, { locale: 'zh-CN' });
      const hi = (await inject('GET', '/v1/canned-replies?q=hi&scope=shared')).json().items.find((x: { shortcut: string }) => x.shortcut === 'hi');
      const filled = (await inject('POST', `/v1/canned-replies/${hi.id}/render`, { conversationId: anonymous.id })).json();
      expect(filled.missing).toEqual([]);
      expect(filled.text.startsWith('亲，您好！我是云朵商城 Cloud Mall的客服Demo Admin 演示管理员')).toBe(true);

      await inject('POST', `/v1/canned-replies/${reply.id}/render`, { conversationId: v.id });
      const counted = (await inject('GET', '/v1/canned-replies?q=vip')).json().items[0];
      expect(counted.useCount).toBe(2);
      expect((await inject('POST', `/v1/canned-replies/${reply.id}/render`, { conversationId: 'nope' })).json().code).toBe('CONVERSATION_NOT_FOUND');
    });

    it('refuses empty, oversized and malformed text, unknown variables, and another workspace’s replies and conversations', async () => {
      const bad: [object, string][] = [
        [{}, 'VALIDATION_FAILED'],
        [{ shortcut: '', title: 't', body: 'b' }, 'VALIDATION_FAILED'],
        [{ shortcut: 'a b', title: 't', body: 'b' }, 'VALIDATION_FAILED'],
        [{ shortcut: 'e', title: 't', body: '   ' }, 'VALIDATION_FAILED'],
        [{ shortcut: 'e', title: 't', body: 'x'.repeat(5001) }, 'VALIDATION_FAILED'],
        [{ shortcut: 'e', title: 't', body: 'b', language: 'fr' }, 'VALIDATION_FAILED'],
        [{ shortcut: 'e', title: 'bad \ud800 text', body: 'b' }, 'TEXT_MALFORMED_UNICODE'],
        [{ shortcut: 'e', title: 't', body: 'hi \udfff' }, 'TEXT_MALFORMED_UNICODE'],
      ];
      for (const [body, code] of bad) {
        const r = await inject('POST', '/v1/canned-replies', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
        expect(r.json().code).toBe(code);
      }
      expect((await inject('POST', '/v1/canned-replies', { shortcut: 'long', title: 't', body: 'x'.repeat(5000) })).statusCode).toBe(201);
      for (const body of ['Hi {{contact.nmae}}', '{{ agent.email }}', '{{contact.attributes}}', '{{ }}', '{{contact.name || x}} {{ordr.id}}']) {
        const r = await inject('POST', '/v1/canned-replies', { shortcut: 'typo', title: 't', body });
        expect(r.statusCode, body).toBe(400);
        expect(r.json()).toMatchObject({ code: 'CANNED_REPLY_INVALID', errors: [{ field: 'body.body' }] });
      }
      expect((await inject('POST', '/v1/canned-replies', { shortcut: 'typo', title: 't', body: 'Hi {{contact.nmae}}' })).json().detail).toContain(
        'contact.nmae',
      );
      const ok = (await inject('POST', '/v1/canned-replies', { shortcut: 'ok', title: 't', body: 'Hi {{contact.name}}' })).json();
      expect((await inject('PATCH', `/v1/canned-replies/${ok.id}`, { body: '{{agent.nmae}}' })).json().code).toBe('CANNED_REPLY_INVALID');
      expect((await inject('PATCH', `/v1/canned-replies/${ok.id}`, {})).statusCode).toBe(400);

      const other = await loginOtherWorkspace(s, `canned-other-${db.name}`);
      expect((await inject('GET', '/v1/canned-replies', undefined, other)).json().items).toEqual([]);
      expect((await inject('PATCH', `/v1/canned-replies/${ok.id}`, { title: 'x' }, other)).statusCode).toBe(404);
      expect((await inject('DELETE', `/v1/canned-replies/${ok.id}`, undefined, other)).statusCode).toBe(404);
      const v = await startVisitor(s);
      expect((await inject('POST', `/v1/canned-replies/${ok.id}/render`, { conversationId: v.id }, other)).json().code).toBe('CANNED_REPLY_NOT_FOUND');
      const theirs = (await inject('POST', '/v1/canned-replies', { shortcut: 'ok', title: 't', body: 'b', shared: true }, other)).json();
      expect((await inject('POST', `/v1/canned-replies/${theirs.id}/render`, { conversationId: v.id }, other)).json().code).toBe('CONVERSATION_NOT_FOUND');
    });

    it('keeps a note’s @mentions, lists them for the mentioned member only, and marks them read', async () => {
      const zhang = await addMember(s, admin, 'agent', `zhang-${db.name}@demo.test`);
      await inject('PATCH', `/v1/members/${zhang.member.id}`, { name: '张三丰' });
      const ann = await addMember(s, admin, 'agent', `ann.lee-${db.name}@demo.test`);
      await inject('PATCH', `/v1/members/${ann.member.id}`, { name: 'Ann Lee' });
      const v = await startVisitor(s);
      const note = await inject('POST', `/v1/conversations/${v.id}/messages`, {
        kind: 'note',
        text: `@张三丰请看一下退款，@Ann Lee 也看看；@nobody 不用，mail me at x@ann.lee-${db.name}`,
      });
      expect(note.statusCode).toBe(200);
      const msg = note.json().message;
      expect(msg.metadata.mentions).toEqual([zhang.member.id, ann.member.id]);
      expect(msg.mentions).toEqual([
        { id: zhang.member.id, name: '张三丰' },
        { id: ann.member.id, name: 'Ann Lee' },
      ]);
      const listed = (await inject('GET', `/v1/conversations/${v.id}/messages`)).json().items.find((m: { id: string }) => m.id === msg.id);
      expect(listed.mentions).toHaveLength(2);
      // A reply is not a note: its @words mention nobody.
      const reply = (await inject('POST', `/v1/conversations/${v.id}/messages`, { text: '@张三丰 您好' })).json().message;
      expect(reply.mentions).toBeUndefined();

      const zhangs = (await inject('GET', '/v1/me/mentions?unread=true', undefined, zhang.headers)).json();
      expect(zhangs.unread).toBe(1);
      expect(zhangs.items[0]).toMatchObject({ conversationId: v.id, messageId: msg.id, by: { name: 'Demo Admin 演示管理员' }, readAt: null });
      expect(zhangs.items[0].excerpt).toContain('@张三丰请看一下退款');
      expect((await inject('GET', '/v1/me/mentions', undefined, admin)).json()).toEqual({ items: [], unread: 0 });

      const read = await inject('POST', '/v1/me/mentions/read', { ids: [zhangs.items[0].id] }, zhang.headers);
      expect(read.json()).toEqual({ read: 1, unread: 0 });
      expect((await inject('GET', '/v1/me/mentions?unread=true', undefined, zhang.headers)).json().items).toEqual([]);
      expect((await inject('GET', '/v1/me/mentions', undefined, zhang.headers)).json().items[0].readAt).not.toBeNull();
      // Someone else's mention ids change nothing.
      const anns = (await inject('GET', '/v1/me/mentions', undefined, ann.headers)).json();
      expect((await inject('POST', '/v1/me/mentions/read', { ids: [anns.items[0].id] }, zhang.headers)).json().read).toBe(0);
      expect((await inject('POST', '/v1/me/mentions/read', { conversationId: v.id }, ann.headers)).json()).toEqual({ read: 1, unread: 0 });
      expect((await inject('POST', '/v1/me/mentions/read', { conversationId: 'nope' }, ann.headers)).statusCode).toBe(404);
      expect((await inject('POST', '/v1/me/mentions/read', {}, ann.headers)).statusCode).toBe(400);
    });
  });
}

describe('parseMentions', () => {
  const members = [
    { id: 'zs', name: '张三', email: 'zhangsan@shop.test' },
    { id: 'zsf', name: '张三丰', email: 'zsf@shop.test' },
    { id: 'lily', name: 'Lily 李丽', email: 'lily@shop.test' },
    { id: 'li', name: 'Li', email: 'li.wei@shop.test' },
    { id: 'ann', name: 'Ann Marie Lee', email: 'ann@shop.test' },
  ];
  const ids = (text: string) => parseMentions(text, members).map((m) => m.memberId);

  it('matches Chinese names followed by more Chinese, preferring the longest', () => {
    expect(ids('@张三请看一下')).toEqual(['zs']);
    expect(ids('@张三丰请看一下')).toEqual(['zsf']);
    expect(ids('麻烦@张三，谢谢')).toEqual(['zs']);
  });

  it('matches English names with spaces, case-insensitively, and not inside longer words', () => {
    expect(ids('cc @ann marie lee and @Lily 李丽.')).toEqual(['ann', 'lily']);
    expect(ids('@Li can you check')).toEqual(['li']);
    expect(ids('@Lin can you check')).toEqual([]);
  });

  it('accepts the e-mail local part and ignores unknown names and e-mail addresses', () => {
    expect(ids('@lily please, and @li.wei too')).toEqual(['lily', 'li']);
    expect(ids('@nobody here; write to lily@shop.test or me@Li')).toEqual([]);
    const [m] = parseMentions('hi @zhangsan!', members);
    expect(m).toEqual({ memberId: 'zs', index: 3, length: 9 });
  });

  it('fills inline fallbacks in templates without reporting them missing', () => {
    expect(renderTemplate('{{contact.name | 您好}}，{{ contact.email|无 }} {{x}}', { contact: { name: '' } })).toEqual({ text: '您好，无 ', missing: ['x'] });
    expect(renderTemplate('{{contact.name | 您好}}', { contact: { name: '王' } }).text).toBe('王');
  });
});
