import { describe, expect, it } from 'vitest';
import { Bm25KnowledgeIndex } from '../adapters/search/bm25-knowledge-index.js';
import type { FaqEntry } from '../domain/entities.js';
import { analyzeSentiment, sentimentPoint } from '../nlu/analyze-sentiment.js';
import { faqEntry } from '../test-support/fixtures.js';
import { runTurn } from './run-turn.js';

const faq = (externalId: string, question: string, answer: string, similar: string[] = []) => faqEntry('w', externalId, question, answer, similar);

const knowledge = new Bm25KnowledgeIndex();
knowledge.load('w', [
  faq('ship', '运费怎么收？', '实付满99元免运费，不满收取8元。', ['邮费多少']),
  faq('en-ship', 'How much is shipping?', 'Shipping is free over ¥99.', ['delivery fee']),
]);
const turn = (text: string, conversationLanguage: FaqEntry['language'] = null) =>
  runTurn({ workspaceId: 'w', text, conversationLanguage: conversationLanguage as never }, { knowledge });

describe('runTurn', async () => {
  it('answers from the knowledge base with the source and a full trace', async () => {
    const r = await turn('运费怎么收');
    expect(r.decision.kind).toBe('answer');
    expect(r.reply.text).toContain('99元');
    expect(r.reply.parts).toEqual([{ type: 'sources', sources: [{ id: 'id-ship', externalId: 'ship', title: '运费怎么收？', kind: 'faq' }] }]);
    expect(r.trace.stages.map((s) => s.stage)).toEqual(['normalize', 'detect-language', 'understand', 'detect-handoff-request', 'retrieve', 'policy', 'reply']);
    expect(r.trace.stages.every((s) => s.ms >= 0)).toBe(true);
    expect(r.trace.decision).toMatchObject({ kind: 'answer', reason: 'knowledge_match' });
  });

  it('answers a Traditional Chinese customer in Traditional', async () => {
    const r = await turn('運費怎麼收');
    expect(r.language).toBe('zh-Hant');
    expect(r.reply.text).toContain('運費');
  });

  it('falls back with a hand-off offer in the customer’s language when unsure', async () => {
    const zh = await turn('你们公司的股票代码是多少');
    expect(zh.decision).toMatchObject({ kind: 'fallback', reason: 'low_confidence' });
    expect(zh.reply.parts[0]).toMatchObject({ type: 'quick_replies', options: [{ value: '转人工' }] });
    const en = await turn('Tell me a joke about cats');
    expect(en.reply.text).toMatch(/colleague/);
    const tw = await turn('你們老闆是誰');
    expect(tw.reply.text).toContain('轉人工');
  });

  it('hands off on an explicit request without searching', async () => {
    const r = await turn('转人工');
    expect(r.decision.kind).toBe('handoff');
    expect(r.trace.stages.find((s) => s.stage === 'retrieve')?.summary).toBe('skipped');
  });

  it('asks which one is meant, with buttons, when two entries are equally likely; the button sends the entry’s question', async () => {
    const twins = new Bm25KnowledgeIndex();
    twins.load('t', [
      faq('tv-return', '电视怎么退货？', '大件家电退货需预约上门取件。'),
      faq('phone-return', '手机怎么退货？', '手机退货需保持包装完好。'),
      faq('hours', '客服几点上班？', '每天9点到21点。'),
    ]);
    const ask = (text: string, settings = {}) => runTurn({ workspaceId: 't', text, conversationLanguage: null, settings }, { knowledge: twins });
    const r = await ask('怎么退货');
    expect(r.decision).toMatchObject({ kind: 'clarify', reason: 'close_candidates' });
    expect(r.reply.text).toContain('哪一个');
    const options = (r.reply.parts[0] as { options: { label: string; value: string }[] }).options.map((o) => o.value);
    expect(options.sort()).toEqual(['手机怎么退货？', '电视怎么退货？']);
    const picked = await ask(options[0]!);
    expect(picked.decision).toMatchObject({ kind: 'answer', reason: 'knowledge_match' });
    // A clear question is answered directly; a workspace can turn clarifying off.
    expect((await ask('电视怎么退货')).decision.kind).toBe('answer');
    expect((await ask('怎么退货', { clarify: false })).decision.kind).toBe('answer');
    // In Traditional Chinese, the buttons are in Traditional.
    const tw = await ask('怎麼退貨');
    expect((tw.reply.parts[0] as { options: { label: string }[] }).options.map((o) => o.label)).toContain('電視怎麼退貨？');
  });

  it('respects a workspace threshold', async () => {
    expect((await runTurn({ workspaceId: 'w', text: '运费怎么收', conversationLanguage: null, answerThreshold: 1.01 }, { knowledge })).decision.kind).toBe(
      'fallback',
    );
  });

  it('keeps the conversation language for a message in no clear language', async () => {
    const r = await turn('👍', 'en');
    expect(r.language).toBe('en');
    expect(r.decision).toMatchObject({ kind: 'fallback', reason: 'unsupported_input' });
  });

  it('answers with the variant for the customer’s language and channel', async () => {
    const idx = new Bm25KnowledgeIndex();
    idx.load('v', [
      {
        ...faqEntry('v', 'hours', '客服几点上班？', '客服时间 9:00-21:00。'),
        variants: [
          { language: 'en', answer: 'Support is open 9:00-21:00.' },
          { channel: 'api', answer: 'API 渠道：7x24 小时。' },
          { language: 'zh-TW', answer: '客服時間（台灣）9:00-18:00。' },
        ],
      },
    ]);
    const ask = async (text: string, channel?: string) =>
      (await runTurn({ workspaceId: 'v', text, conversationLanguage: null, channel }, { knowledge: idx })).reply.text;
    expect(await ask('客服几点上班')).toBe('客服时间 9:00-21:00。');
    expect(await ask('客服幾點上班')).toBe('客服時間（台灣）9:00-18:00。');
    expect(await ask('客服几点上班', 'api')).toBe('API 渠道：7x24 小时。');
  });

  it('hands off when the customer stays unhappy turn after turn, though no one message is angry enough', async () => {
    const earlier = ['怎么还没发货，很失望', '还是没有消息，太慢了'].map((m) => sentimentPoint(analyzeSentiment(m)));
    const third = '你们这效率真让人失望';
    expect(analyzeSentiment(third).emotions.anger).toBeLessThan(0.6);
    const r = await runTurn({ workspaceId: 'w', text: third, conversationLanguage: 'zh-Hans', history: earlier }, { knowledge });
    expect(r.decision).toMatchObject({ kind: 'handoff', reason: 'negative_trend' });
    expect(r.understanding.trend).toMatchObject({ messages: 3, negativeStreak: 3 });
    expect(r.trace.stages.find((s) => s.stage === 'policy')?.output).toMatchObject({ negativeStreak: 3, streakThreshold: 3 });
    // The same message alone, or with the rule turned off, does not.
    expect((await runTurn({ workspaceId: 'w', text: third, conversationLanguage: 'zh-Hans' }, { knowledge })).decision.kind).not.toBe('handoff');
    const off = await runTurn(
      { workspaceId: 'w', text: third, conversationLanguage: 'zh-Hans', history: earlier, settings: { negativeStreakHandoff: 0 } },
      { knowledge },
    );
    expect(off.decision.kind).not.toBe('handoff');
  });

  it('hands off instead of a second "I do not know", unless the workspace turns it off', async () => {
    const ask = (fallbackStreak: number, settings = {}) =>
      runTurn({ workspaceId: 'w', text: '你们公司的股票代码是多少', conversationLanguage: 'zh-Hans', fallbackStreak, settings }, { knowledge });
    expect((await ask(0)).decision).toMatchObject({ kind: 'fallback', reason: 'low_confidence' });
    const second = await ask(1);
    expect(second.decision).toMatchObject({ kind: 'handoff', reason: 'low_confidence' });
    expect(second.reply.text).toContain('转接人工');
    expect(second.trace.stages.find((x) => x.stage === 'policy')?.output).toMatchObject({ fallbackStreak: 2, streakThreshold: 2 });
    expect((await ask(5, { fallbackStreakHandoff: 0 })).decision.kind).toBe('fallback');
    // Emoji alone is not a question the bot failed.
    const emoji = await runTurn({ workspaceId: 'w', text: '👍', conversationLanguage: 'zh-Hans', fallbackStreak: 3 }, { knowledge });
    expect(emoji.decision).toMatchObject({ kind: 'fallback', reason: 'unsupported_input' });
  });

  it('reads a follow-up against the last answer: roaming, then "那资费呢？"; shipping abroad, then "how about Hong Kong?"', async () => {
    const idx = new Bm25KnowledgeIndex();
    idx.load('f', [
      faqEntry('f', 'roam-on', '国际漫游怎么开通？', '在 App 里打开“国际漫游”即可开通。'),
      faqEntry('f', 'roam-fee', '国际漫游资费是多少？', '国际漫游按目的地计费，日租 25 元起。'),
      faqEntry('f', 'fee', '套餐资费怎么查？', '在 App 的“我的套餐”查看资费。'),
      faqEntry('f', 'intl', 'Do you ship internationally?', 'We ship to 30 countries.'),
      faqEntry('f', 'hk', 'Do you ship to Hong Kong?', 'Yes, Hong Kong orders arrive in 3-5 days.'),
    ]);
    const now = new Date('2026-11-21T10:00:00Z');
    const first = await runTurn({ workspaceId: 'f', text: '国际漫游怎么开通', conversationLanguage: null, now }, { knowledge: idx });
    expect(first.dialogue.topic).toMatchObject({ question: '国际漫游怎么开通？' });
    const follow = await runTurn({ workspaceId: 'f', text: '那资费呢？', conversationLanguage: 'zh-Hans', now, dialogue: first.dialogue }, { knowledge: idx });
    expect(follow.reply.text).toContain('日租 25 元');
    expect(follow.trace.stages.find((x) => x.stage === 'retrieve')?.output).toMatchObject({ followUpOf: '国际漫游怎么开通？' });
    // Without the context the same words find the plan fee, and an hour later the context is gone.
    expect((await runTurn({ workspaceId: 'f', text: '那资费呢？', conversationLanguage: 'zh-Hans', now }, { knowledge: idx })).reply.text).not.toContain(
      '日租',
    );
    const later = new Date(now.getTime() + 3_600_000);
    expect(
      (await runTurn({ workspaceId: 'f', text: '那资费呢？', conversationLanguage: 'zh-Hans', now: later, dialogue: first.dialogue }, { knowledge: idx })).reply
        .text,
    ).not.toContain('日租');

    const en = await runTurn({ workspaceId: 'f', text: 'Do you ship internationally?', conversationLanguage: null, now }, { knowledge: idx });
    const hk = await runTurn({ workspaceId: 'f', text: 'how about Hong Kong?', conversationLanguage: 'en', now, dialogue: en.dialogue }, { knowledge: idx });
    expect(hk.reply.text).toContain('Hong Kong orders');
    expect(hk.dialogue.turns.map((t) => t.role)).toEqual(['customer', 'bot', 'customer', 'bot']);
  });
});
