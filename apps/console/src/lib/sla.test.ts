import type { Sla } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { formatCountdown, slaBadgeState } from './sla';

const T0 = Date.parse('2026-04-27T02:00:00Z');
const iso = (min: number) => new Date(T0 + min * 60_000).toISOString();
const running = (due: number, warn: number) => ({ dueAt: iso(due), warnAt: iso(warn), at: null, state: 'running' as const });

describe('SLA badge', () => {
  const sla: Sla = { firstResponse: running(5, 4), resolution: running(60, 48) };

  it('counts down the first response, amber from the warning point and red past due before the server says so', () => {
    expect(slaBadgeState(sla, T0)).toMatchObject({ metric: 'firstResponse', tone: 'running', remainingMs: 5 * 60_000 });
    expect(slaBadgeState(sla, T0 + 4 * 60_000)?.tone).toBe('warning');
    expect(slaBadgeState(sla, T0 + 6 * 60_000)).toMatchObject({ tone: 'breached', remainingMs: -60_000 });
  });

  it('moves on to resolution after the first reply, and shows met or breached once both stopped', () => {
    const replied: Sla = { ...sla, firstResponse: { ...sla.firstResponse, at: iso(2), state: 'met' } };
    expect(slaBadgeState(replied, T0 + 3 * 60_000)?.metric).toBe('resolution');
    const done: Sla = { ...replied, resolution: { ...sla.resolution, at: iso(30), state: 'met' } };
    expect(slaBadgeState(done, T0)).toMatchObject({ tone: 'met', remainingMs: null });
    const late: Sla = { ...done, firstResponse: { ...sla.firstResponse, at: iso(7), state: 'breached' } };
    expect(slaBadgeState(late, T0)).toMatchObject({ metric: 'firstResponse', tone: 'breached' });
    const cancelled: Sla = {
      firstResponse: { ...sla.firstResponse, at: iso(1), state: 'cancelled' },
      resolution: { ...sla.resolution, at: iso(1), state: 'cancelled' },
    };
    expect(slaBadgeState(cancelled, T0)).toBeNull();
  });

  it('formats the countdown', () => {
    expect(formatCountdown(299_000)).toBe('4:59');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(formatCountdown(-61_000)).toBe('−1:01');
    expect(formatCountdown(2 * 86_400_000 + 3 * 3_600_000)).toBe('2d 3h');
  });
});
