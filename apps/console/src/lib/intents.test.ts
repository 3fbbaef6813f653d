import type { Intent, IntentModelRun } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import {
  checkIntentName,
  confusionRows,
  detectIntentFormat,
  entitySegments,
  formatEntityValue,
  highlightSegments,
  matchesIntent,
  mergeRun,
  modelState,
  newerRun,
  normalizeMessage,
  parseExamples,
  runReport,
} from './intents';

const intent = (name: string, examples: string[], updatedAt = '2026-03-01T00:00:00.000Z'): Intent => ({
  id: `id-${name}`,
  name,
  description: '',
  examples,
  action: null,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt,
});

const run = (over: Partial<IntentModelRun> = {}): IntentModelRun => ({
  id: 'r1',
  version: 1,
  status: 'ready',
  progress: 1,
  report: { intents: 2, examples: 4, warnings: [] },
  error: null,
  createdAt: '2026-03-02T00:00:00.000Z',
  finishedAt: '2026-03-02T00:00:05.000Z',
  serving: true,
  ...over,
});

describe('intent names', () => {
  it('accepts letters, digits, _ - . / and CJK', () => {
    for (const ok of ['order_status', 'refund-v2', 'billing.invoice', 'shop/查询', '查询订单', '查詢訂單', 'A1']) expect(checkIntentName(ok), ok).toBeNull();
  });
  it('rejects blanks, spaces, punctuation and long names', () => {
    expect(checkIntentName('  ')).toBe('required');
    expect(checkIntentName('order status')).toBe('pattern');
    expect(checkIntentName('退款？')).toBe('pattern');
    expect(checkIntentName('a'.repeat(81))).toBe('tooLong');
    expect(checkIntentName('意'.repeat(80))).toBeNull();
  });
});

describe('examples', () => {
  it('takes one per line, trimmed, without blanks or repeats that differ only in case', () => {
    const r = parseExamples('  我的快递到哪了 \n\nWhere is my order\nwhere is my order\r\n我的快递到哪了\n物流信息');
    expect(r.examples).toEqual(['我的快递到哪了', 'Where is my order', '物流信息']);
    expect(r.duplicates).toBe(2);
    expect(r.tooLong).toEqual([]);
  });
  it('names the lines that are too long', () => {
    expect(parseExamples(`ok\n${'x'.repeat(501)}`).tooLong).toEqual([2]);
  });
});

describe('intent file format', () => {
  it('comes from the file name', () => {
    expect(detectIntentFormat('nlu.yml', '')).toBe('yaml');
    expect(detectIntentFormat('intents.CSV', '')).toBe('csv');
    expect(detectIntentFormat('export.jsonl', '')).toBe('jsonl');
  });
  it('or from the content', () => {
    expect(detectIntentFormat('', 'version: "3.1"\nnlu:\n- intent: greet')).toBe('yaml');
    expect(detectIntentFormat('', '# comment\n{"intent":"a","text":"b"}')).toBe('jsonl');
    expect(detectIntentFormat('', '\uFEFFintent,example\nrefund,我要退款')).toBe('csv');
    expect(detectIntentFormat('', 'just words')).toBeNull();
  });
});

describe('run report', () => {
  it('reads a report defensively', () => {
    expect(runReport(run({ report: {} }))).toEqual({ intents: 0, examples: 0, warnings: [], c: null, temperature: null, features: null, heldOut: null });
    const r = runReport(
      run({
        report: {
          intents: 3,
          examples: 30,
          warnings: [{ intent: 'thin', examples: 2, message: 'thin has 2 examples' }, 'junk'],
          c: 1,
          temperature: 0.8,
          features: 900,
          heldOut: {
            examples: 30,
            accuracy: 0.9,
            ece: 0.05,
            perIntent: [{ intent: 'a', examples: 10, correct: 8, confusedWith: [{ intent: 'b', count: 2 }] }],
          },
        },
      }),
    );
    expect(r.warnings).toEqual([{ intent: 'thin', examples: 2, message: 'thin has 2 examples' }]);
    expect(r.heldOut?.perIntent[0]?.confusedWith).toEqual([{ intent: 'b', count: 2 }]);
    expect(r.features).toBe(900);
  });

  it('sorts the confusion report worst first, mistakes most frequent first', () => {
    const rows = confusionRows({
      examples: 30,
      accuracy: 0.8,
      ece: 0.1,
      perIntent: [
        { intent: 'good', examples: 10, correct: 10, confusedWith: [] },
        {
          intent: 'bad',
          examples: 10,
          correct: 5,
          confusedWith: [
            { intent: 'x', count: 1 },
            { intent: 'good', count: 4 },
          ],
        },
        { intent: 'meh', examples: 10, correct: 9, confusedWith: [{ intent: 'bad', count: 1 }] },
        { intent: 'none', examples: 0, correct: 0, confusedWith: [] },
      ],
    });
    expect(rows.map((r) => r.intent)).toEqual(['bad', 'meh', 'good', 'none']);
    expect(rows[0]).toMatchObject({ accuracy: 0.5, mistakes: 5 });
    expect(rows[0]!.confusedWith).toEqual([
      { intent: 'good', count: 4, share: 0.4 },
      { intent: 'x', count: 1, share: 0.1 },
    ]);
  });
});

describe('model state', () => {
  const intents = [intent('a', ['1', '2']), intent('b', ['3', '4'])];
  it('is empty or untrained without a serving model', () => {
    expect(modelState([intent('a', [])], [])).toEqual({ kind: 'empty' });
    expect(modelState(intents, [])).toEqual({ kind: 'untrained' });
    expect(modelState(intents, [run({ serving: false, status: 'failed' })])).toEqual({ kind: 'untrained' });
  });
  it('is current when nothing changed after the run started', () => {
    expect(modelState(intents, [run()]).kind).toBe('current');
  });
  it('is stale when an intent was saved later, or the totals differ', () => {
    const edited = [intents[0]!, intent('b', ['3', '4'], '2026-03-03T00:00:00.000Z')];
    expect(modelState(edited, [run()])).toMatchObject({ kind: 'stale', changed: ['b'] });
    expect(modelState([intents[0]!], [run()])).toMatchObject({ kind: 'stale', changed: [], examplesThen: 4, examplesNow: 2 });
  });
});

describe('runs', () => {
  it('keeps the later of two views of a training run', () => {
    const a = run({ status: 'training', progress: 0.6, serving: false });
    expect(newerRun(a, { ...a, progress: 0.3 }).progress).toBe(0.6);
    expect(newerRun(a, { ...a, progress: 0.8 }).progress).toBe(0.8);
    const done = { ...a, status: 'ready' as const, progress: 1 };
    expect(newerRun(done, { ...a, progress: 0.9 }).status).toBe('ready');
  });
  it('adds new runs on top and moves the serving flag', () => {
    const old = run();
    const fresh = run({ id: 'r2', version: 2, status: 'training', progress: 0, serving: false });
    const list = mergeRun([old], fresh);
    expect(list.map((r) => r.id)).toEqual(['r2', 'r1']);
    const ready = mergeRun(list, { ...fresh, status: 'ready', progress: 1, serving: true });
    expect(ready.map((r) => [r.id, r.status, r.serving])).toEqual([
      ['r2', 'ready', true],
      ['r1', 'ready', false],
    ]);
  });
});

describe('entities over the message', () => {
  it('splits the text at the entity spans', () => {
    const text = '电话13812345678，明天到';
    const segs = entitySegments(text, [
      { type: 'datetime', text: '明天', start: 15, end: 17, value: { date: '2026-03-03' }, confidence: 0.9 },
      { type: 'phone', text: '13812345678', start: 2, end: 13, value: { e164: '+8613812345678' }, confidence: 0.95 },
    ]);
    expect(segs).toEqual([
      { text: '电话', start: 0, entity: null },
      { text: '13812345678', start: 2, entity: 1 },
      { text: '，', start: 13, entity: null },
      { text: '明天', start: 14, entity: 0 },
      { text: '到', start: 16, entity: null },
    ]);
  });
  it('finds an entity whose offsets are off, and leaves out overlaps', () => {
    const segs = entitySegments('ab x@y.io c', [
      { type: 'email', text: 'x@y.io', start: 2, end: 8, value: 'x@y.io', confidence: 1 },
      { type: 'lookup', text: 'y.io', start: 5, end: 9, value: 'y', confidence: 1 },
    ]);
    expect(segs.map((s) => [s.text, s.entity])).toEqual([
      ['ab ', null],
      ['x@y.io', 0],
      [' c', null],
    ]);
  });
  it('normalises as the server does', () => {
    expect(normalizeMessage('  ＡＢＣ１２３  退款\n\n谢谢 ')).toBe('ABC123 退款 谢谢');
    expect(normalizeMessage('退\u200B款\u0007了')).toBe('退款 了');
  });
  it('highlights over the message as typed', () => {
    // The server saw "地址错了,电话13812345678" (full-width comma and digits folded, spaces collapsed).
    const typed = '  地址错了，  电话１３８１２３４５６７８ ';
    const segs = highlightSegments(typed, [{ type: 'phone', text: '13812345678', start: 8, end: 19, value: {}, confidence: 0.95 }]);
    expect(segs.map((s) => [s.text, s.entity])).toEqual([
      ['  地址错了，  电话', null],
      ['１３８１２３４５６７８', 0],
      [' ', null],
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(typed);
  });
  it('shows values in words', () => {
    expect(formatEntityValue({ amount: 25, currency: 'USD' }, 'en')).toBe('$25.00');
    expect(formatEntityValue({ e164: '+8613812345678', kind: 'mobile' }, 'en')).toBe('+8613812345678');
    expect(formatEntityValue({ date: '2026-03-06', time: '09:00' }, 'en')).toBe('2026-03-06 09:00');
    expect(formatEntityValue({ date: '2026-03-06', end: { date: '2026-03-08' } }, 'en')).toBe('2026-03-06 – 2026-03-08');
    expect(formatEntityValue('YD123', 'en')).toBe('YD123');
    expect(formatEntityValue({ amount: 1, currency: '??' }, 'en')).toBe('1 ??');
  });
});

describe('search', () => {
  it('matches names, descriptions and examples', () => {
    const i = { ...intent('order_status', ['Where is my parcel']), description: '查询物流' };
    expect(matchesIntent(i, 'ORDER')).toBe(true);
    expect(matchesIntent(i, '物流')).toBe(true);
    expect(matchesIntent(i, 'parcel')).toBe(true);
    expect(matchesIntent(i, 'refund')).toBe(false);
    expect(matchesIntent(i, ' ')).toBe(true);
  });
});
