import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, FaqEntry, Message } from '../../domain/entities.js';
import type { Store } from '../../ports/store.js';
import { testDialects } from '../../test-support/dialects.js';
import { uuidv7Ids } from '../ids/uuidv7-ids.js';
import { createKyselyStore } from './kysely-store.js';

const id = () => uuidv7Ids.next();
const iso = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();

describe.each(testDialects())('Kysely store on $name', (dialect) => {
  let store: Store;
  let drop: () => Promise<void>;
  let ws: string;
  let contact: string;

  beforeEach(async () => {
    const opened = await dialect.open();
    store = createKyselyStore(opened.handle);
    drop = opened.drop;
    ws = id();
    contact = id();
    await store.workspaces.create({
      id: ws,
      slug: `ws-${ws.slice(-8)}`,
      name: 'Shop',
      widgetKey: `kfw_${ws}`,
      settings: { answerThreshold: 0.4 },
      createdAt: iso(0),
    });
    await store.contacts.create({
      id: contact,
      workspaceId: ws,
      externalId: 'c-1',
      name: '张三',
      email: 'z@example.com',
      phone: null,
      attributes: { tier: 'vip' },
      createdAt: iso(0),
      updatedAt: iso(0),
    });
  });
  afterEach(async () => {
    await drop();
  });

  const conversation = (n: number, status: Conversation['status'] = 'bot', assigneeId: string | null = null): Conversation => ({
    id: id(),
    workspaceId: ws,
    contactId: contact,
    channel: 'web',
    status,
    assigneeId,
    language: 'zh-Hans',
    handoffReason: null,
    lastMessageAt: null,
    lastMessagePreview: null,
    tags: [],
    priority: 'normal',
    dialogue: null,
    createdAt: iso(n),
    updatedAt: iso(n),
  });
  const message = (conversationId: string, n: number, extra: Partial<Message> = {}): Message => ({
    id: id(),
    workspaceId: ws,
    conversationId,
    authorType: 'contact',
    authorId: contact,
    text: `消息 ${n}`,
    parts: [{ type: 'quick_replies', options: [{ label: '转人工', value: '转人工' }] }],
    metadata: { language: 'zh-Hans' },
    clientMessageId: null,
    replyToId: null,
    createdAt: iso(n),
    ...extra,
  });

  it('finds workspaces by slug and widget key and keeps settings', async () => {
    const bySlug = await store.workspaces.findBySlug(`ws-${ws.slice(-8)}`);
    expect(bySlug?.settings).toEqual({ answerThreshold: 0.4 });
    expect((await store.workspaces.findByWidgetKey(`kfw_${ws}`))?.id).toBe(ws);
    expect(await store.workspaces.findByWidgetKey('nope')).toBeNull();
  });

  it('stores members, counts owners and never finds another workspace’s member', async () => {
    const m = { id: id(), workspaceId: ws, email: 'a@b.c', name: 'A', role: 'owner' as const, passwordHash: 'h', disabled: false, createdAt: iso(1) };
    await store.members.create(m);
    expect(await store.members.countActiveOwners(ws)).toBe(1);
    await store.members.update({ ...m, disabled: true });
    expect(await store.members.countActiveOwners(ws)).toBe(0);
    expect(await store.members.findById('other-ws', m.id)).toBeNull();
    expect((await store.members.findByEmail('a@b.c'))[0]?.disabled).toBe(true);
  });

  it('stores sessions and API keys by hash', async () => {
    const m = { id: id(), workspaceId: ws, email: 'a@b.c', name: 'A', role: 'agent' as const, passwordHash: 'h', disabled: false, createdAt: iso(1) };
    await store.members.create(m);
    await store.sessions.create({ id: id(), workspaceId: ws, memberId: m.id, tokenHash: 'th', createdAt: iso(1), expiresAt: iso(100) });
    expect((await store.sessions.findByTokenHash('th'))?.memberId).toBe(m.id);
    await store.sessions.deleteForMember(m.id);
    expect(await store.sessions.findByTokenHash('th')).toBeNull();

    const k = {
      id: id(),
      workspaceId: ws,
      name: 'ci',
      role: 'admin' as const,
      prefix: 'kfk_abc',
      keyHash: 'kh',
      createdAt: iso(1),
      lastUsedAt: null,
      revokedAt: null,
    };
    await store.apiKeys.create(k);
    await store.apiKeys.revoke(ws, k.id, iso(5));
    expect((await store.apiKeys.findByHash('kh'))?.revokedAt).toBe(iso(5));
  });

  it('lists conversations newest first, filtered, across pages without gaps or repeats', async () => {
    const all = [conversation(1), conversation(2, 'queued'), conversation(3), conversation(4, 'queued'), conversation(5, 'resolved')];
    for (const c of all) await store.conversations.create(c);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.conversations.list(ws, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...all].reverse().map((c) => c.id));
    const queued = await store.conversations.list(ws, { limit: 10, status: ['queued'] });
    expect(queued.items.map((c) => c.id)).toEqual([all[3]!.id, all[1]!.id]);
    await expect(store.conversations.list(ws, { limit: 2, cursor: 'garbage' })).rejects.toMatchObject({ code: 'CURSOR_INVALID' });
  });

  it('filters conversations by assignee and keeps updates', async () => {
    const m = { id: id(), workspaceId: ws, email: 'a@b.c', name: 'A', role: 'agent' as const, passwordHash: 'h', disabled: false, createdAt: iso(1) };
    await store.members.create(m);
    const c = conversation(1);
    await store.conversations.create(c);
    await store.conversations.update({ ...c, status: 'assigned', assigneeId: m.id, updatedAt: iso(9), lastMessagePreview: '你好' });
    expect((await store.conversations.list(ws, { limit: 5, assigneeId: m.id })).items[0]?.lastMessagePreview).toBe('你好');
    expect((await store.conversations.list(ws, { limit: 5, assigneeId: null })).items).toHaveLength(0);
    expect(await store.conversations.findById('other', c.id)).toBeNull();
  });

  it('stores a message once per client id, and pages messages oldest first', async () => {
    const c = conversation(1);
    await store.conversations.create(c);
    const first = message(c.id, 1, { clientMessageId: 'cm-1' });
    expect(await store.messages.insert(first)).toBe(true);
    expect(await store.messages.insert(message(c.id, 2, { clientMessageId: 'cm-1' }))).toBe(false);
    const reply = message(c.id, 3, { authorType: 'bot', authorId: null, replyToId: first.id });
    await store.messages.insert(reply);
    await store.messages.insert(message(c.id, 4, { authorType: 'note', authorId: null }));
    expect((await store.messages.findByClientId(c.id, 'contact', 'cm-1'))?.id).toBe(first.id);
    expect((await store.messages.findReplies(c.id, first.id)).map((m) => m.id)).toEqual([reply.id]);

    const page1 = await store.messages.list(ws, c.id, { limit: 2, includeNotes: true });
    expect(page1.items.map((m) => m.id)).toEqual([first.id, reply.id]);
    const page2 = await store.messages.list(ws, c.id, { limit: 2, includeNotes: true, cursor: page1.nextCursor! });
    expect(page2.items.map((m) => m.authorType)).toEqual(['note']);
    expect(page2.nextCursor).toBeNull();
    const visitorView = await store.messages.list(ws, c.id, { limit: 10, includeNotes: false });
    expect(visitorView.items.map((m) => m.authorType)).toEqual(['contact', 'bot']);
    expect(visitorView.items[0]?.parts).toEqual(first.parts);
  });

  it('appends a turn atomically and refuses a retried client id without writing', async () => {
    const c = conversation(1);
    await store.conversations.create(c);
    const inbound = message(c.id, 2, { clientMessageId: 'turn-1' });
    const reply = message(c.id, 3, { authorType: 'bot', authorId: null, replyToId: inbound.id, metadata: { kind: 'answer' } });
    expect(await store.appendToConversation({ ...c, status: 'queued', lastMessagePreview: '你好', updatedAt: iso(3) }, [inbound, reply])).toBe(true);
    const again = message(c.id, 4, { clientMessageId: 'turn-1' });
    expect(await store.appendToConversation({ ...c, status: 'closed', updatedAt: iso(4) }, [again, message(c.id, 5, { authorType: 'bot' })])).toBe(false);
    const saved = await store.conversations.findById(ws, c.id);
    expect(saved).toMatchObject({ status: 'queued', lastMessagePreview: '你好', updatedAt: iso(3) });
    const items = (await store.messages.list(ws, c.id, { limit: 10, includeNotes: true })).items;
    expect(items.map((m) => m.id)).toEqual([inbound.id, reply.id]);
    expect(items[1]?.metadata).toEqual({ kind: 'answer' });
  });

  it('keeps concurrent turns apart: a retried id or a failing row affects only its own turn', async () => {
    const convs = [conversation(1), conversation(2), conversation(3)];
    for (const c of convs) await store.conversations.create(c);
    await store.messages.insert(message(convs[1]!.id, 1, { clientMessageId: 'seen' }));
    const orphan = { ...conversation(4), id: 'no-such-conversation' };
    const results = await Promise.allSettled([
      store.appendToConversation({ ...convs[0]!, lastMessagePreview: 'a' }, [message(convs[0]!.id, 5, { clientMessageId: 'new' })]),
      store.appendToConversation({ ...convs[1]!, lastMessagePreview: 'b' }, [message(convs[1]!.id, 6, { clientMessageId: 'seen' })]),
      store.appendToConversation(orphan, [message(orphan.id, 7)]),
      store.appendToConversation({ ...convs[2]!, lastMessagePreview: 'c' }, [message(convs[2]!.id, 8)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([true, false, null, true]);
    expect((await store.conversations.findById(ws, convs[0]!.id))?.lastMessagePreview).toBe('a');
    expect((await store.conversations.findById(ws, convs[1]!.id))?.lastMessagePreview).toBeNull();
    expect((await store.conversations.findById(ws, convs[2]!.id))?.lastMessagePreview).toBe('c');
    expect((await store.messages.list(ws, convs[1]!.id, { limit: 10, includeNotes: true })).items).toHaveLength(1);
  });

  it('rolls back every write of a failed transaction', async () => {
    const c = conversation(1);
    await expect(
      store.transaction(async (tx) => {
        await tx.conversations.create(c);
        await tx.messages.insert(message(c.id, 1));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.conversations.findById(ws, c.id)).toBeNull();
    expect((await store.messages.list(ws, c.id, { limit: 10, includeNotes: true })).items).toEqual([]);
  });

  it('stores FAQ entries with their versions, lists them filtered, and keeps only published ones for the index', async () => {
    const base: FaqEntry = {
      id: id(),
      workspaceId: ws,
      externalId: 'f1',
      question: '运费?',
      similar: ['邮费'],
      answer: '8元',
      category: 'shipping',
      language: 'zh-CN',
      status: 'published',
      tags: ['运费', 'vip'],
      variants: [{ language: 'en', answer: '¥8' }],
      validFrom: null,
      validUntil: '2027-01-01T00:00:00.000Z',
      audience: 'public',
      version: 1,
      updatedBy: null,
      createdAt: iso(1),
      updatedAt: iso(1),
    };
    await store.faqs.insert(base);
    await store.faqs.addVersion({
      id: id(),
      workspaceId: ws,
      entryId: base.id,
      version: 1,
      change: 'created',
      snapshot: { ...base },
      authorId: null,
      createdAt: iso(1),
    });
    await store.faqs.update({ ...base, answer: '10元', version: 2, updatedAt: iso(2) });
    await store.faqs.addVersion({
      id: id(),
      workspaceId: ws,
      entryId: base.id,
      version: 2,
      change: 'updated',
      snapshot: { ...base, answer: '10元' },
      authorId: null,
      createdAt: iso(2),
    });
    const draft = { ...base, id: id(), externalId: 'f2', status: 'draft' as const, tags: ['vip2'], updatedAt: iso(3) };
    await store.faqs.insert(draft);

    expect(await store.faqs.findByExternalId(ws, 'f1')).toMatchObject({
      answer: '10元',
      version: 2,
      tags: ['运费', 'vip'],
      variants: [{ language: 'en', answer: '¥8' }],
    });
    expect((await store.faqs.listPublished(ws)).map((e) => e.externalId)).toEqual(['f1']);
    expect((await store.faqs.listVersions(ws, base.id)).map((v) => [v.version, v.change, v.snapshot.answer])).toEqual([
      [2, 'updated', '10元'],
      [1, 'created', '8元'],
    ]);
    expect((await store.faqs.list(ws, { limit: 10, tag: 'vip' })).items.map((e) => e.externalId)).toEqual(['f1']);
    expect((await store.faqs.list(ws, { limit: 10, status: ['draft'] })).items.map((e) => e.externalId)).toEqual(['f2']);
    expect((await store.faqs.list(ws, { limit: 10, text: '10元' })).items.map((e) => e.externalId)).toEqual(['f1']);
    const page1 = await store.faqs.list(ws, { limit: 1 });
    const page2 = await store.faqs.list(ws, { limit: 1, cursor: page1.nextCursor! });
    expect([page1.items[0]?.externalId, page2.items[0]?.externalId]).toEqual(['f2', 'f1']);
    expect(await store.faqs.count(ws)).toBe(2);
    expect(await store.faqs.findById('other', base.id)).toBeNull();
  });

  it('keeps synonym groups and dictionary words per workspace', async () => {
    const now = iso(1);
    await store.terms.saveSynonyms({ id: 'g1', workspaceId: ws, terms: ['退货', '退换货'], createdAt: now, updatedAt: now });
    await store.terms.saveSynonyms({ id: 'g1', workspaceId: ws, terms: ['退货', '退换货', '退款'], createdAt: now, updatedAt: iso(2) });
    expect((await store.terms.listSynonyms(ws)).map((g) => g.terms)).toEqual([['退货', '退换货', '退款']]);
    const added = await store.terms.addWords(ws, [
      { id: id(), workspaceId: ws, word: '上海交通大学', createdAt: now },
      { id: id(), workspaceId: ws, word: 'GX199', createdAt: now },
    ]);
    expect(added).toHaveLength(2);
    expect(await store.terms.addWords(ws, [{ id: id(), workspaceId: ws, word: 'GX199', createdAt: now }])).toEqual([]);
    expect((await store.terms.listDictionary(ws)).map((w) => w.word).sort()).toEqual(['GX199', '上海交通大学']);
    expect(await store.terms.deleteWord(ws, 'GX199')).toBe(true);
    expect(await store.terms.deleteSynonyms('other', 'g1')).toBe(false);
    expect(await store.terms.deleteSynonyms(ws, 'g1')).toBe(true);
  });

  it('searches contacts and pages them', async () => {
    for (let i = 0; i < 3; i++) {
      await store.contacts.create({
        id: id(),
        workspaceId: ws,
        externalId: null,
        name: `李四${i}`,
        email: null,
        phone: null,
        attributes: {},
        createdAt: iso(i),
        updatedAt: iso(i),
      });
    }
    const found = await store.contacts.list(ws, { q: '李四', limit: 2 });
    expect(found.items).toHaveLength(2);
    const rest = await store.contacts.list(ws, { q: '李四', limit: 2, cursor: found.nextCursor! });
    expect(rest.items).toHaveLength(1);
    expect((await store.contacts.list(ws, { q: '100%_', limit: 5 })).items).toHaveLength(0);
    expect((await store.contacts.findByExternalId(ws, 'c-1'))?.attributes).toEqual({ tier: 'vip' });
  });

  it('stores vectors by text hash and model, exactly, and prunes those no longer used', async () => {
    const a = Float32Array.from([0.25, -1.5, 3.125e-7, 42]);
    const b = Float32Array.from([1, 2, 3, 4]);
    await store.embeddings.save(
      ws,
      'bge-m3',
      new Map([
        ['h-a', a],
        ['h-b', b],
      ]),
      iso(1),
    );
    await store.embeddings.save(ws, 'other-model', new Map([['h-a', b]]), iso(1));
    const found = await store.embeddings.find(ws, 'bge-m3', ['h-a', 'h-b', 'h-missing']);
    expect([...found.keys()].sort()).toEqual(['h-a', 'h-b']);
    expect([...found.get('h-a')!]).toEqual([...a]);
    expect([...(await store.embeddings.find(ws, 'other-model', ['h-a'])).get('h-a')!]).toEqual([1, 2, 3, 4]);
    // Saving the same hash again replaces the vector instead of failing.
    await store.embeddings.save(ws, 'bge-m3', new Map([['h-a', b]]), iso(2));
    expect([...(await store.embeddings.find(ws, 'bge-m3', ['h-a'])).get('h-a')!]).toEqual([1, 2, 3, 4]);
    expect(await store.embeddings.prune(ws, 'bge-m3', new Set(['h-b']))).toBe(1);
    expect([...(await store.embeddings.find(ws, 'bge-m3', ['h-a', 'h-b'])).keys()]).toEqual(['h-b']);
    expect((await store.embeddings.find(ws, 'other-model', ['h-a'])).size).toBe(1);
  });
});
