import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let s: TestServer;
let admin: { authorization: string };
let other: { authorization: string };

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
  other = await loginOtherWorkspace(s, 'kb-other');
});
afterAll(async () => {
  await s.close();
});

const post = (url: string, payload: unknown, headers = admin) => s.app.inject({ method: 'POST', url, headers, payload: payload as object });
const search = (query: string, headers = admin, extra: object = {}) => post('/v1/knowledge/search', { query, ...extra }, headers);

describe('FAQ entries', () => {
  it('creates an entry the bot answers from at once, with its source', async () => {
    const r = await post('/v1/knowledge/faqs', {
      externalId: 'kb-giftcard',
      question: '云朵礼品卡可以转赠给朋友吗？',
      similar: ['礼品卡能送人吗', '礼品卡怎么转给别人'],
      answer: '可以。在「我的 > 礼品卡」选择卡片后点「转赠」，对方领取后余额到账。',
      category: 'payment',
      tags: ['礼品卡'],
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().entry).toMatchObject({ version: 1, language: 'zh-CN', status: 'published', audience: 'public' });
    const v = await startVisitor(s);
    const reply = (await say(s, v, '礼品卡可以送给朋友吗')).json().replies[0];
    expect(reply.text).toContain('转赠');
    expect(reply.parts[0].sources[0].externalId).toBe('kb-giftcard');
  });

  it('keeps every change as a version with a diff, and restores an old one as a new version', async () => {
    const created = (await post('/v1/knowledge/faqs', { question: '发票抬头写错了怎么办', answer: '联系客服重开。' })).json().entry;
    const patch = (payload: object) => s.app.inject({ method: 'PATCH', url: `/v1/knowledge/faqs/${created.id}`, headers: admin, payload });
    const v2 = await patch({ version: 1, answer: '在订单详情点「重开发票」，24小时内重新开具。', tags: ['发票'] });
    expect(v2.json().entry.version).toBe(2);
    const stale = await patch({ version: 1, answer: '过期的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'FAQ_VERSION_CONFLICT', errors: [{ field: 'body.version' }] });

    const versions = (await s.app.inject({ url: `/v1/knowledge/faqs/${created.id}/versions`, headers: admin })).json().items;
    expect(versions.map((v: { version: number; change: string }) => [v.version, v.change])).toEqual([
      [2, 'updated'],
      [1, 'created'],
    ]);
    expect(versions[0].diff.map((d: { field: string }) => d.field).sort()).toEqual(['answer', 'tags']);
    expect(versions[0].diff.find((d: { field: string }) => d.field === 'answer')).toMatchObject({ before: '联系客服重开。' });

    const restored = await post(`/v1/knowledge/faqs/${created.id}/restore`, { version: 1 });
    expect(restored.json()).toMatchObject({ version: 3, answer: '联系客服重开。', tags: [] });
    const after = (await s.app.inject({ url: `/v1/knowledge/faqs/${created.id}/versions`, headers: admin })).json().items;
    expect(after[0]).toMatchObject({ version: 3, change: 'restored' });
    expect((await post(`/v1/knowledge/faqs/${created.id}/restore`, { version: 99 })).json().code).toBe('FAQ_VERSION_NOT_FOUND');
  });

  it('keeps the fields an edit leaves out, and lets only one of two simultaneous edits win', async () => {
    const created = (
      await post('/v1/knowledge/faqs', {
        question: '内部：退款审批权限',
        answer: '主管审批。',
        similar: ['谁能批退款'],
        tags: ['内部'],
        status: 'draft',
        audience: 'internal',
      })
    ).json().entry;
    const patch = (payload: object) => s.app.inject({ method: 'PATCH', url: `/v1/knowledge/faqs/${created.id}`, headers: admin, payload });
    const edited = (await patch({ version: 1, answer: '500元以下客服主管审批。' })).json().entry;
    expect(edited).toMatchObject({
      version: 2,
      similar: ['谁能批退款'],
      tags: ['内部'],
      status: 'draft',
      audience: 'internal',
      answer: '500元以下客服主管审批。',
    });
    const [a, b] = await Promise.all([patch({ version: 2, answer: 'A' }), patch({ version: 2, answer: 'B' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const versions = (await s.app.inject({ url: `/v1/knowledge/faqs/${created.id}/versions`, headers: admin })).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });

  it('stops answering from an archived, draft, expired or internal-only entry', async () => {
    const make = async (question: string, extra: object = {}) =>
      (await post('/v1/knowledge/faqs', { question, answer: `答案：${question}`, ...extra })).json().entry;
    const archived = await make('旧版积分兑换规则是什么');
    await s.app.inject({ method: 'DELETE', url: `/v1/knowledge/faqs/${archived.id}`, headers: admin });
    await make('内部：大客户折扣审批流程', { audience: 'internal' });
    await make('草稿：春节发货安排', { status: 'draft' });
    await make('双十一预售定金能退吗', { validUntil: '2020-11-12T00:00:00Z' });

    const ids = async (q: string, extra: object = {}) =>
      (await search(q, admin, extra)).json().hits.map((h: { entry: { question: string } }) => h.entry.question);
    expect(await ids('旧版积分兑换规则')).not.toContain('旧版积分兑换规则是什么');
    expect(await ids('春节发货安排')).not.toContain('草稿：春节发货安排');
    expect(await ids('双十一预售定金能退吗')).not.toContain('双十一预售定金能退吗');
    expect(await ids('大客户折扣审批流程', { audience: 'all' })).toContain('内部：大客户折扣审批流程');
    expect(await ids('大客户折扣审批流程', { audience: 'public' })).not.toContain('内部：大客户折扣审批流程');
    const v = await startVisitor(s);
    expect((await say(s, v, '大客户折扣审批流程是怎样的')).json().replies[0].text).not.toContain('答案');
  });

  it('flags a duplicate question instead of refusing it', async () => {
    await post('/v1/knowledge/faqs', { question: '可以开增值税专用发票吗', answer: 'A' });
    const dup = await post('/v1/knowledge/faqs', { question: '可以開增值稅專用發票嗎？', answer: 'B' });
    expect(dup.statusCode).toBe(201);
    expect(dup.json().warnings).toEqual([expect.objectContaining({ code: 'FAQ_DUPLICATE_QUESTION' })]);
  });

  it('lists with filters and pages, and isolates workspaces', async () => {
    const tagged = (await s.app.inject({ url: '/v1/knowledge/faqs?tag=礼品卡', headers: admin })).json();
    expect(tagged.items.map((e: { externalId: string }) => e.externalId)).toEqual(['kb-giftcard']);
    const page = (await s.app.inject({ url: '/v1/knowledge/faqs?status=published&limit=5', headers: admin })).json();
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBeTruthy();
    expect((await s.app.inject({ url: `/v1/knowledge/faqs/${page.items[0].id}`, headers: other })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'PATCH', url: `/v1/knowledge/faqs/${page.items[0].id}`, headers: other, payload: { version: 1 } })).statusCode).toBe(
      404,
    );
    expect((await search('运费', other)).json().hits).toEqual([]);
  });

  it('validates entries and names every bad field', async () => {
    const r = await post('/v1/knowledge/faqs', {
      question: '',
      answer: 'x'.repeat(20_001),
      similar: 'no',
      validFrom: '2026-02-01T00:00:00Z',
      validUntil: 'soon',
      audience: 'vip',
    });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.answer', 'body.audience', 'body.question', 'body.similar', 'body.validUntil']);
    const window = await post('/v1/knowledge/faqs', { question: 'q', answer: 'a', validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' });
    expect(window.json().errors[0].field).toBe('body.validUntil');
    await post('/v1/knowledge/faqs', { externalId: 'same-id', question: 'q1', answer: 'a' });
    expect((await post('/v1/knowledge/faqs', { externalId: 'same-id', question: 'q2', answer: 'a' })).json().code).toBe('FAQ_EXTERNAL_ID_TAKEN');
  });

  it('lets viewers read and search but not edit', async () => {
    const m = await post('/v1/members', { email: 'kb-viewer@demo.test', name: 'V', role: 'viewer', password: 'viewer-password-1' });
    expect(m.statusCode).toBe(201);
    const login = await post('/v1/auth/login', { email: 'kb-viewer@demo.test', password: 'viewer-password-1' }, {} as never);
    const viewer = { authorization: `Bearer ${login.json().token}` };
    expect((await search('运费', viewer)).statusCode).toBe(200);
    expect((await post('/v1/knowledge/faqs', { question: 'q', answer: 'a' }, viewer)).statusCode).toBe(403);
    expect((await post('/v1/knowledge/synonyms', { terms: ['a', 'b'] }, viewer)).statusCode).toBe(403);
  });
});

describe('knowledge search', () => {
  it('explains hits with matched terms per lane and says whether the bot would answer', async () => {
    const r = (await search('GX199 運費多少')).json();
    expect(r).toMatchObject({ threshold: 0.35, answerable: expect.any(Boolean) });
    expect(r.hits[0].matched.length).toBeGreaterThan(0);
    expect(r.queryTerms).toEqual(expect.arrayContaining(['x:gx199', 'w:运费']));
    expect(typeof r.tookMs).toBe('number');
  });

  it('refuses an empty or over-long query with 400', async () => {
    expect((await search('  ')).json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.query' }] });
    expect((await search('长'.repeat(1001))).json().errors[0].field).toBe('body.query');
    expect((await search('ok', admin, { k: 500 })).json().errors[0].field).toBe('body.k');
  });
});

describe('synonyms and dictionary', () => {
  it('applies a synonym group to search at once, and removes it again', async () => {
    await post('/v1/knowledge/faqs', { externalId: 'kb-pets', question: '门店允许携带宠物进入吗', answer: '导盲犬以外的宠物暂不能进入门店。' });
    const top = async () => (await search('猫狗能带进来吗')).json();
    expect((await top()).hits[0]?.entry.externalId).not.toBe('kb-pets');
    const g = await post('/v1/knowledge/synonyms', { terms: ['宠物', '猫狗'] });
    expect(g.statusCode).toBe(201);
    const after = await top();
    expect(after.hits[0].entry.externalId).toBe('kb-pets');
    expect(after.queryTerms).toContain('w:宠物');
    expect(after.expandedTerms).toEqual(['w:宠物']);
    await s.app.inject({ method: 'DELETE', url: `/v1/knowledge/synonyms/${g.json().id}`, headers: admin });
    expect((await top()).hits[0]?.entry.externalId).not.toBe('kb-pets');
  });

  it('keeps dictionary words whole so they match as one term', async () => {
    expect((await search('云朵星河会员')).json().queryTerms).not.toContain('w:云朵星河会员');
    const r = await post('/v1/knowledge/dictionary', { words: ['云朵星河会员', '云朵星河会员'] });
    expect(r.json()).toEqual({ added: ['云朵星河会员'] });
    await post('/v1/knowledge/faqs', { externalId: 'kb-member', question: '云朵星河会员有哪些权益', answer: '免运费、专属客服。' });
    const hit = (await search('星河会员权益')).json();
    expect(hit.hits[0].entry.externalId).toBe('kb-member');
    expect((await search('云朵星河会员')).json().queryTerms).toContain('w:云朵星河会员');
    expect((await s.app.inject({ url: '/v1/knowledge/dictionary', headers: admin })).json().items.map((w: { word: string }) => w.word)).toContain(
      '云朵星河会员',
    );
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/knowledge/dictionary/${encodeURIComponent('云朵星河会员')}`, headers: admin })).statusCode).toBe(
      204,
    );
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/knowledge/dictionary/${encodeURIComponent('不存在')}`, headers: admin })).statusCode).toBe(404);
  });

  it('validates synonym groups and dictionary words', async () => {
    expect((await post('/v1/knowledge/synonyms', { terms: ['单独'] })).json().errors[0].field).toBe('body.terms');
    expect((await post('/v1/knowledge/synonyms', { terms: ['同', '同'] })).json().errors[0].field).toBe('body.terms');
    expect((await post('/v1/knowledge/dictionary', { words: ['字'] })).json().code).toBe('VALIDATION_FAILED');
    expect((await s.app.inject({ method: 'PUT', url: '/v1/knowledge/synonyms/nope', headers: admin, payload: { terms: ['a', 'b'] } })).statusCode).toBe(404);
  });
});

describe('quality loop', () => {
  it('counts answers per entry, takes one rating per reply, and flags an entry customers find unhelpful', async () => {
    const created = (
      await post('/v1/knowledge/faqs', { externalId: 'kb-rated', question: '云朵商城的发票可以邮寄纸质版吗', answer: '只提供电子发票。' })
    ).json().entry;
    const ratings: boolean[] = [false, false, true, false];
    for (const helpful of ratings) {
      const v = await startVisitor(s);
      const reply = (await say(s, v, '发票可以邮寄纸质的吗')).json().replies[0];
      expect(reply.parts[0].sources[0].id).toBe(created.id);
      const rated = await s.app.inject({
        method: 'POST',
        url: `/v1/widget/conversations/${v.id}/messages/${reply.id}/feedback`,
        headers: v.headers,
        payload: { helpful: !helpful },
      });
      expect(rated.statusCode).toBe(200);
      // Changing one's mind replaces the first rating.
      await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/messages/${reply.id}/feedback`, headers: v.headers, payload: { helpful } });
    }
    await s.deps.knowledgeStats.flush();
    const entry = (await s.app.inject({ url: `/v1/knowledge/faqs/${created.id}`, headers: admin })).json();
    expect(entry.quality).toMatchObject({ hits: 4, helpful: 1, notHelpful: 3, flags: ['unhelpful'] });
    expect(entry.quality.score).toBeLessThan(0.5);
    const review = (await s.app.inject({ url: '/v1/knowledge/review', headers: admin })).json().items;
    expect(review.map((e: { id: string }) => e.id)).toContain(created.id);
    expect((await s.app.inject({ url: '/v1/knowledge/review', headers: other })).json().items).toEqual([]);
  });

  it('rates only the bot’s replies in the visitor’s own conversation', async () => {
    const v = await startVisitor(s);
    const r = (await say(s, v, '运费多少钱')).json();
    const rate = (conversationId: string, messageId: string, headers = v.headers) =>
      s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${conversationId}/messages/${messageId}/feedback`, headers, payload: { helpful: true } });
    expect((await rate(v.id, r.message.id)).json().code).toBe('FEEDBACK_NOT_RATABLE');
    expect((await rate(v.id, 'no-such-message')).statusCode).toBe(404);
    const w = await startVisitor(s);
    expect((await rate(v.id, r.replies[0].id, w.headers)).statusCode).toBe(404);
    const bad = await s.app.inject({
      method: 'POST',
      url: `/v1/widget/conversations/${v.id}/messages/${r.replies[0].id}/feedback`,
      headers: v.headers,
      payload: { helpful: 'yes' },
    });
    expect(bad.json().errors[0].field).toBe('body.helpful');
  });
});
