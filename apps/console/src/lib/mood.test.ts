import type { Message } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { moodOf } from './mood';

const msg = (id: string, type: 'contact' | 'bot', sentiment?: unknown): Message =>
  ({
    id,
    conversationId: 'c',
    author: { type, id: null, name: null },
    text: '',
    parts: [],
    metadata: sentiment === undefined ? {} : { sentiment },
    createdAt: '2026-11-21T00:00:00Z',
  }) as unknown as Message;

describe('moodOf', () => {
  it('follows the customer’s messages only and sees the mood getting worse', () => {
    const mood = moodOf([
      msg('1', 'contact', { label: 'neutral', polarity: 0.05 }),
      msg('2', 'bot'),
      msg('3', 'contact', { label: 'negative', polarity: -0.3 }),
      msg('4', 'contact', { label: 'negative', polarity: -0.7 }),
    ]);
    expect(mood?.points.map((p) => p.messageId)).toEqual(['1', '3', '4']);
    expect(mood?.direction).toBe('worse');
    expect(mood?.negativeStreak).toBe(2);
  });

  it('skips messages without a usable sentiment and answers null when none has one', () => {
    expect(moodOf([msg('1', 'contact'), msg('2', 'contact', { polarity: 'x' }), msg('3', 'contact', { polarity: Number.NaN })])).toBeNull();
    const m = moodOf([msg('1', 'contact', { label: 'positive', polarity: 4 }), msg('2', 'contact', { label: 'weird', polarity: 0.5 })]);
    expect(m?.points.map((p) => [p.polarity, p.label])).toEqual([
      [1, 'positive'],
      [0.5, 'neutral'],
    ]);
    expect(m?.direction).toBe('worse');
  });

  it('keeps the last points only', () => {
    const many = Array.from({ length: 30 }, (_, i) => msg(String(i), 'contact', { label: 'positive', polarity: 0.5 }));
    const m = moodOf(many, 20);
    expect(m?.points).toHaveLength(20);
    expect(m?.points[0]?.messageId).toBe('10');
    expect(m?.direction).toBe('steady');
  });
});
