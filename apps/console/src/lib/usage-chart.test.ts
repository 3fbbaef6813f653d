import type { UsageRow } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { dailyUsage, lastDays, niceScale, usedPurposes } from './usage-chart';

const row = (day: string, purpose: UsageRow['purpose'], inputTokens: number, outputTokens: number, model = 'qwen'): UsageRow => ({
  day,
  model,
  purpose,
  calls: 1,
  failures: purpose === 'intent' ? 1 : 0,
  inputTokens,
  outputTokens,
  cost: 0.01,
});

describe('usage chart', () => {
  it('covers the last n days up to today in UTC', () => {
    expect(lastDays(30, new Date('2026-03-31T23:30:00Z'))).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(lastDays(1, new Date('2026-01-01T00:00:00Z'))).toEqual({ from: '2026-01-01', to: '2026-01-01' });
  });

  it('has one bar per day, empty days included, models added together and tokens stacked by purpose', () => {
    const days = dailyUsage({
      from: '2026-02-27',
      to: '2026-03-02',
      rows: [row('2026-02-27', 'answer', 100, 50), row('2026-02-27', 'answer', 10, 5, 'other-model'), row('2026-03-01', 'intent', 30, 2)],
    });
    expect(days.map((d) => d.day)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(days[0]).toMatchObject({ total: 165, calls: 2, failures: 0 });
    expect(days[0]!.tokens.answer).toBe(165);
    expect(days[1]!.total).toBe(0);
    expect(days[2]).toMatchObject({ total: 32, failures: 1 });
    expect(usedPurposes(days)).toEqual(['answer', 'intent']);
  });

  it('rounds the axis to 1, 2 or 5 times a power of ten', () => {
    expect(niceScale(0)).toEqual({ top: 10, ticks: [0, 5, 10] });
    expect(niceScale(165)).toEqual({ top: 200, ticks: [0, 50, 100, 150, 200] });
    expect(niceScale(1_234_567).top).toBe(1_500_000);
    expect(niceScale(7).ticks).toEqual([0, 2, 4, 6, 8]);
  });
});
