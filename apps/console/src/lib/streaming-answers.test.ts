import { describe, expect, it } from 'vitest';
import { applyAnswerFrame, type StreamingAnswer, settleAnswers } from './streaming-answers';

const c = 'c1';
const run = (frames: Parameters<typeof applyAnswerFrame>[1][]) => frames.reduce<StreamingAnswer[]>((s, f) => applyAnswerFrame(s, f), []);

describe('streaming answers', () => {
  it('grows in order, ignores repeats, takes the final text, and goes when the stored message arrives', () => {
    const s = run([
      { type: 'answer-start', conversationId: c, answerId: 'a', language: 'zh-Hans' },
      { type: 'answer-delta', conversationId: c, answerId: 'a', seq: 1, text: '满99元' },
      { type: 'answer-delta', conversationId: c, answerId: 'a', seq: 1, text: '满99元' },
      { type: 'answer-delta', conversationId: c, answerId: 'a', seq: 2, text: '包邮[1]' },
    ]);
    expect(s).toEqual([{ answerId: 'a', text: '满99元包邮[1]', seq: 2, status: 'writing' }]);
    const done = applyAnswerFrame(s, { type: 'answer-end', conversationId: c, answerId: 'a', status: 'done', text: '满99元包邮[1]' });
    expect(done[0]?.status).toBe('done');
    expect(settleAnswers(done, [{ id: 'x' }])).toBe(done);
    expect(settleAnswers(done, [{ id: 'a' }])).toEqual([]);
  });

  it('shows the replacement of a retracted answer, and drops one that ended empty', () => {
    const s = run([
      { type: 'answer-start', conversationId: c, answerId: 'a', language: 'en' },
      { type: 'answer-delta', conversationId: c, answerId: 'a', seq: 1, text: 'We guarantee' },
      { type: 'answer-end', conversationId: c, answerId: 'a', status: 'replaced', text: 'Refunds take 3–5 days.' },
      { type: 'answer-delta', conversationId: c, answerId: 'a', seq: 2, text: ' a refund' },
    ]);
    expect(s).toEqual([{ answerId: 'a', text: 'Refunds take 3–5 days.', seq: 1, status: 'replaced' }]);
    expect(applyAnswerFrame(s, { type: 'answer-end', conversationId: c, answerId: 'a', status: 'replaced', text: '' })).toEqual([]);
    expect(applyAnswerFrame([], { type: 'answer-delta', conversationId: c, answerId: 'zz', seq: 1, text: 'orphan' })).toEqual([]);
  });
});
