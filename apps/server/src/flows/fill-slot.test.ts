import { describe, expect, it } from 'vitest';
import { extractEntities } from '../nlu/extract-entities.js';
import { type AskSpec, fillSlot, isCancel } from './fill-slot.js';

const ask = (spec: Partial<AskSpec>): AskSpec => ({ slot: 's', type: 'text', prompt: 'x', attempts: 3, onFail: 'handoff', always: false, ...spec }) as AskSpec;
const fill = (spec: Partial<AskSpec>, text: string) =>
  fillSlot(ask(spec), text, extractEntities(text, { orderPatterns: [{ name: 'order', pattern: 'YD\\d{13}' }] }));

const REASONS: Partial<AskSpec> = {
  type: 'choice',
  choices: [
    { value: 'quality', label: { 'zh-CN': '质量问题', en: 'Quality problem' }, synonyms: ['坏了', 'broken'] },
    { value: 'wrong_item', label: { 'zh-CN': '发错货', en: 'Wrong item' } },
    { value: 'other', label: '其他原因' },
  ],
};

describe('fillSlot', () => {
  it('takes entities from anywhere in the answer', () => {
    expect(fill({ type: 'entity', entity: 'order_number' }, '我的订单号是 yd2026111800456 谢谢')).toEqual({ fits: true, value: 'YD2026111800456' });
    expect(fill({ type: 'entity', entity: 'email' }, 'send it to Billing@Acme.example please')).toEqual({ fits: true, value: 'billing@acme.example' });
    expect(fill({ type: 'entity', entity: 'order_number' }, '不知道')).toEqual({ fits: false });
  });

  it('matches choices by label in any language, synonym, Traditional script or number, and refuses two at once', () => {
    expect(fill(REASONS, '质量问题')).toEqual({ fits: true, value: 'quality' });
    expect(fill(REASONS, '質量問題')).toEqual({ fits: true, value: 'quality' });
    expect(fill(REASONS, 'it arrived BROKEN')).toEqual({ fits: true, value: 'quality' });
    expect(fill(REASONS, '杯子坏了')).toEqual({ fits: true, value: 'quality' });
    expect(fill(REASONS, '2')).toEqual({ fits: true, value: 'wrong_item' });
    expect(fill(REASONS, '9')).toEqual({ fits: false });
    expect(fill(REASONS, '质量问题，而且发错货')).toEqual({ fits: false });
  });

  it('reads yes and no in Chinese and English, numbers within bounds, regexes and text lengths', () => {
    expect(fill({ type: 'yes_no' }, '是的')).toEqual({ fits: true, value: true });
    expect(fill({ type: 'yes_no' }, '好的，就这样')).toEqual({ fits: true, value: true });
    expect(fill({ type: 'yes_no' }, 'No, thanks')).toEqual({ fits: true, value: false });
    expect(fill({ type: 'yes_no' }, '不用了')).toEqual({ fits: true, value: false });
    expect(fill({ type: 'yes_no' }, '我再想想')).toEqual({ fits: false });
    expect(fill({ type: 'number', min: 1, max: 10 }, '要 3 个')).toEqual({ fits: true, value: 3 });
    expect(fill({ type: 'number', min: 1, max: 10 }, '要 30 个')).toEqual({ fits: false });
    expect(fill({ type: 'regex', pattern: '^\\d{6}$' }, '518000')).toEqual({ fits: true, value: '518000' });
    expect(fill({ type: 'regex', pattern: '^\\d{6}$' }, '5180001')).toEqual({ fits: false });
    expect(fill({ type: 'text', minLength: 8 }, '上海')).toEqual({ fits: false });
    expect(fill({ type: 'text' }, '   ')).toEqual({ fits: false });
  });

  it('does not throw on emoji, malformed Unicode or very long answers', () => {
    for (const t of ['😡😡', '\ud800abc', 'x'.repeat(10_000)]) {
      for (const spec of [REASONS, { type: 'yes_no' as const }, { type: 'number' as const }, { type: 'text' as const }])
        expect(() => fill(spec, t)).not.toThrow();
    }
    expect(fill({ type: 'text' }, 'x'.repeat(10_000))).toEqual({ fits: false });
  });

  it('knows a cancel from an answer', () => {
    for (const t of ['取消', '算了吧', '不办了', 'cancel', 'Never mind', '取消！']) expect(isCancel(t), t).toBe(true);
    for (const t of ['取消订单怎么操作', 'cancel my order YD2026111800456', '不用了']) expect(isCancel(t), t).toBe(false);
  });
});
