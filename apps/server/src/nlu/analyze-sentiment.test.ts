import { describe, expect, it } from 'vitest';
import { analyzeSentiment, sentimentPoint, sentimentTrend } from './analyze-sentiment.js';

const label = (t: string) => analyzeSentiment(t).label;

describe('analyzeSentiment', () => {
  it('tells negative, neutral and positive apart in Chinese and English', () => {
    expect(label('你们的服务太差了，垃圾！')).toBe('negative');
    expect(label('我想查一下订单什么时候发货')).toBe('neutral');
    expect(label('客服很耐心，问题解决了，谢谢！')).toBe('positive');
    expect(label('This is the worst service I have ever had')).toBe('negative');
    expect(label('Can I change my delivery address?')).toBe('neutral');
    expect(label('Thank you so much, that was really helpful')).toBe('positive');
  });

  it('reads Traditional Chinese through folding', () => {
    expect(label('你們的客服爛透了')).toBe('negative');
    expect(label('謝謝你們，超讚')).toBe('positive');
  });

  it('flips and softens negated cues and scales by degree adverbs', () => {
    expect(label('不是很满意')).toBe('negative');
    expect(analyzeSentiment('没有不满意').polarity).toBeGreaterThan(0);
    expect(label('not bad at all')).not.toBe('negative');
    expect(label('not good')).toBe('negative');
    expect(analyzeSentiment('非常失望').polarity).toBeLessThan(analyzeSentiment('有点失望').polarity);
    // A negation in an earlier clause does not reach a later cue.
    expect(label('No problem, thanks!')).toBe('positive');
  });

  it('recognises emotions: anger, anxiety, dissatisfaction, satisfaction, confusion', () => {
    expect(analyzeSentiment('气死我了，什么垃圾服务😡').primary).toBe('anger');
    expect(analyzeSentiment('我的卡被盗刷了，怎么办，急急急').primary).toBe('anxiety');
    expect(analyzeSentiment('快递太慢了，有点失望').primary).toBe('dissatisfaction');
    expect(analyzeSentiment('太棒了，非常满意👍').primary).toBe('satisfaction');
    expect(analyzeSentiment('这个页面看不懂，在哪里申请退款？').primary).toBe('confusion');
    expect(analyzeSentiment("I'm confused, where do I find my invoice?").primary).toBe('confusion');
  });

  it('makes shouting, repeated punctuation and emoji count', () => {
    const calm = analyzeSentiment('my order is late');
    const loud = analyzeSentiment('MY ORDER IS LATE!!!');
    expect(loud.polarity).toBeLessThan(calm.polarity);
    expect(loud.cues.map((c) => c.kind)).toEqual(expect.arrayContaining(['caps', 'punctuation']));
    expect(label('🙏👍')).toBe('positive');
    expect(label('😡😡😡')).toBe('negative');
  });

  it('flags threats to go to a regulator, the police or the media, and repeated complaints', () => {
    for (const t of [
      '再不处理我就打12315投诉你们',
      '我要向银保监会投诉',
      '我要去消保官那裡申訴',
      'I will report you to the Better Business Bureau',
      '不给退款我就发微博曝光',
    ]) {
      const s = analyzeSentiment(t);
      expect(s.regulatorThreat, t).toBe(true);
      expect(s.label, t).toBe('negative');
    }
    // Asking what 12315 is, is not a threat.
    expect(analyzeSentiment('12315是什么电话').regulatorThreat).toBe(false);
    expect(analyzeSentiment('我的快递到哪了').regulatorThreat).toBe(false);
    expect(analyzeSentiment('这是我第三次问了，还是没人回复').repeatedComplaint).toBe(true);
    expect(analyzeSentiment("I've asked three times already").repeatedComplaint).toBe(true);
  });

  it('never fails on empty, emoji-only, very long or malformed input', () => {
    expect(analyzeSentiment('')).toMatchObject({ label: 'neutral', polarity: 0, primary: 'none' });
    expect(analyzeSentiment('🙂').label).toBe('positive');
    expect(analyzeSentiment('差'.repeat(100_000)).label).toBe('negative');
    expect(analyzeSentiment('\uD800\uDFFF\uD800 好').label).toBeDefined();
  });
});

describe('sentimentTrend', () => {
  it('shows a conversation getting worse, with a streak and the anger peak', () => {
    const msgs = ['你好，想问下订单', '怎么还没发货', '太慢了，失望', '气死了，垃圾服务，我要打12315'].map((m) => sentimentPoint(analyzeSentiment(m)));
    const t = sentimentTrend(msgs);
    expect(t.change).toBeLessThan(-0.3);
    expect(t.negativeStreak).toBe(3);
    expect(t.angerPeak).toBeGreaterThan(0.5);
    expect(t.regulatorThreat).toBe(true);
    expect(sentimentTrend([])).toMatchObject({ average: 0, negativeStreak: 0 });
  });
});
