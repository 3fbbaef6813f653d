import { describe, expect, it } from 'vitest';
import { diffLines, diffList, diffText, tokenize } from './text-diff';

describe('diffText', () => {
  it('marks Chinese insertions character by character, keeping what stayed', () => {
    expect(diffText('倒掉灰尘。', '倒掉灰尘后冲洗滤网。')).toEqual([
      { op: 'same', text: '倒掉灰尘' },
      { op: 'added', text: '后冲洗滤网' },
      { op: 'same', text: '。' },
    ]);
  });

  it('replaces whole English words, not letters', () => {
    expect(diffText('The quick fox', 'The slow fox')).toEqual([
      { op: 'same', text: 'The ' },
      { op: 'removed', text: 'quick' },
      { op: 'added', text: 'slow' },
      { op: 'same', text: ' fox' },
    ]);
  });

  it('keeps a model number whole next to Han characters', () => {
    expect(tokenize('GX199扫地机')).toEqual(['GX199', '扫', '地', '机']);
  });

  it('shows a first version as all added and an emptied field as all removed', () => {
    expect(diffText('', '新答案')).toEqual([{ op: 'added', text: '新答案' }]);
    expect(diffText('旧答案', '')).toEqual([{ op: 'removed', text: '旧答案' }]);
  });

  it('rebuilds both texts from its parts', () => {
    const before = '未发货的订单可在「我的 > 订单」自助取消，款项原路退回。Refunds take 3 days.';
    const after = '未发货的订单可自助取消，款项 1-3 个工作日原路退回。Refunds take 1-3 business days.';
    const parts = diffText(before, after);
    expect(
      parts
        .filter((p) => p.op !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe(before);
    expect(
      parts
        .filter((p) => p.op !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(after);
  });
});

describe('diffList', () => {
  it('lists removed, kept and added items', () => {
    expect(diffList(['退货', '退款'], ['退款', '换货'])).toEqual([
      { op: 'removed', text: '退货' },
      { op: 'same', text: '退款' },
      { op: 'added', text: '换货' },
    ]);
  });
});

describe('diffLines', () => {
  it('lists every line once, in reading order, with what changed', () => {
    const before = 'key: a\nsteps:\n  - say: 你好\n  - end: null';
    const after = 'key: a\nsteps:\n  - say: 您好\n  - say: 再见\n  - end: null';
    expect(diffLines(before, after)).toEqual([
      { op: 'same', line: 'key: a' },
      { op: 'same', line: 'steps:' },
      { op: 'removed', line: '  - say: 你好' },
      { op: 'added', line: '  - say: 您好' },
      { op: 'added', line: '  - say: 再见' },
      { op: 'same', line: '  - end: null' },
    ]);
    expect(diffLines('a', 'a')).toEqual([{ op: 'same', line: 'a' }]);
  });
});
