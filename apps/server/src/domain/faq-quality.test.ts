import { describe, expect, it } from 'vitest';
import { faqQuality } from './faq-quality.js';

const now = new Date('2026-11-21T00:00:00Z');
const entry = (createdAt = '2026-11-01T00:00:00Z', validUntil: string | null = null) => ({ status: 'published' as const, createdAt, validUntil });
const stats = (hits: number, helpful: number, notHelpful: number) => ({ entryId: 'e', hits, helpful, notHelpful, lastHitAt: null });

describe('faqQuality', () => {
  it('has no score before any rating and flags nothing for a fresh entry', () => {
    expect(faqQuality(entry(), undefined, now)).toEqual({ hits: 0, helpful: 0, notHelpful: 0, score: null, flags: [] });
  });

  it('scores cautiously: few ratings give a low lower bound, many good ones a high one', () => {
    const few = faqQuality(entry(), stats(5, 2, 0), now).score!;
    const many = faqQuality(entry(), stats(200, 95, 5), now).score!;
    expect(few).toBeLessThan(0.5);
    expect(many).toBeGreaterThan(0.85);
  });

  it('flags an entry customers keep rating as unhelpful, but only after enough ratings', () => {
    expect(faqQuality(entry(), stats(10, 0, 2), now).flags).toEqual([]);
    expect(faqQuality(entry(), stats(10, 1, 3), now).flags).toEqual(['unhelpful']);
    expect(faqQuality(entry(), stats(10, 3, 3), now).flags).toEqual([]);
  });

  it('flags a month-old published entry that never answered anything, and an expired one', () => {
    expect(faqQuality(entry('2026-09-01T00:00:00Z'), undefined, now).flags).toEqual(['unused']);
    expect(faqQuality(entry('2026-09-01T00:00:00Z'), stats(1, 0, 0), now).flags).toEqual([]);
    expect(faqQuality(entry(undefined, '2026-11-20T00:00:00Z'), stats(3, 0, 0), now).flags).toEqual(['expired']);
    expect(faqQuality({ ...entry('2026-01-01T00:00:00Z'), status: 'draft' }, undefined, now).flags).toEqual([]);
  });
});
