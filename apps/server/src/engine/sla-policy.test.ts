import { describe, expect, it } from 'vitest';
import type { WorkspaceSettings } from '../domain/entities.js';
import { advanceSla, nextSlaCheck, retargetSla, slaFlag, startSla, stopSlaClock } from '../domain/sla.js';
import { addOpenTime } from '../routing/business-hours.js';
import { DEFAULT_CONVERSATION_TARGETS, slaCalendar, slaPolicy, slaSettings } from './sla-policy.js';

const at = (iso: string) => new Date(iso);
const MIN = 60_000;

// Shanghai (UTC+8, no DST): Mon–Fri 09:00–12:00 and 13:00–18:00; 2026-05-01 (Fri) is a holiday.
const HOURS: NonNullable<WorkspaceSettings['businessHours']> = {
  timeZone: 'Asia/Shanghai',
  weekly: {
    mon: [
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '18:00' },
    ],
    tue: [{ from: '09:00', to: '18:00' }],
    wed: [{ from: '09:00', to: '18:00' }],
    thu: [{ from: '09:00', to: '18:00' }],
    fri: [{ from: '09:00', to: '18:00' }],
  },
  holidays: ['2026-05-01'],
};

describe('SLA due times', () => {
  it('counts wall-clock minutes without business hours, by priority', () => {
    const policy = slaPolicy({}, 'conversation');
    const sla = startSla(policy, at('2026-04-27T02:00:00Z'), 'urgent');
    expect(sla.firstResponse.dueAt).toBe('2026-04-27T02:05:00.000Z');
    expect(sla.firstResponse.warnAt).toBe('2026-04-27T02:04:00.000Z');
    expect(sla.resolution.dueAt).toBe('2026-04-27T03:00:00.000Z');
    const low = startSla(policy, at('2026-04-27T02:00:00Z'), 'low');
    expect(low.firstResponse.dueAt).toBe('2026-04-27T04:00:00.000Z');
    expect(low.resolution.dueAt).toBe('2026-04-28T02:00:00.000Z');
  });

  it('counts only open hours when the workspace has business hours: lunch breaks, nights and weekends pause the clock', () => {
    const policy = slaPolicy({ businessHours: HOURS }, 'conversation');
    // Monday 11:50 local (03:50 UTC), 30 minutes (normal): 10 before lunch, 20 after → 13:20 local.
    const sla = startSla(policy, at('2026-04-27T03:50:00Z'), 'normal');
    expect(sla.firstResponse.dueAt).toBe('2026-04-27T05:20:00.000Z');
    // Friday 17:50 local, 30 minutes → Monday 09:20 local.
    const friday = startSla(policy, at('2026-04-24T09:50:00Z'), 'normal');
    expect(friday.firstResponse.dueAt).toBe('2026-04-27T01:20:00.000Z');
    // Queued at night (Monday 22:00 local): counting starts at Tuesday 09:00.
    const night = startSla(policy, at('2026-04-27T14:00:00Z'), 'urgent');
    expect(night.firstResponse.dueAt).toBe('2026-04-28T01:05:00.000Z');
  });

  it('skips holidays', () => {
    const policy = slaPolicy({ businessHours: HOURS }, 'conversation');
    // Thursday 2026-04-30 17:50 local + 30 min: Friday 1 May is a holiday → Monday 4 May 09:20 local.
    const sla = startSla(policy, at('2026-04-30T09:50:00Z'), 'normal');
    expect(sla.firstResponse.dueAt).toBe('2026-05-04T01:20:00.000Z');
  });

  it('ignores business hours when businessHoursOnly is off', () => {
    const policy = slaPolicy({ businessHours: HOURS, sla: { businessHoursOnly: false } }, 'conversation');
    expect(startSla(policy, at('2026-04-24T09:50:00Z'), 'normal').firstResponse.dueAt).toBe('2026-04-24T10:20:00.000Z');
  });

  it('uses the workspace targets and warning point, defaults for the rest, and ticket targets for tickets', () => {
    const settings: WorkspaceSettings = { sla: { targets: { urgent: { firstResponse: 2, resolution: 30 } }, warnAtPercent: 50 } };
    const e = slaSettings(settings);
    expect(e.targets.urgent).toEqual({ firstResponse: 2, resolution: 30 });
    expect(e.targets.normal).toEqual(DEFAULT_CONVERSATION_TARGETS.normal);
    const sla = startSla(slaPolicy(settings, 'conversation'), at('2026-04-27T02:00:00Z'), 'urgent');
    expect(sla.firstResponse.warnAt).toBe('2026-04-27T02:01:00.000Z');
    const ticket = startSla(slaPolicy(settings, 'ticket'), at('2026-04-27T02:00:00Z'), 'urgent');
    expect(ticket.firstResponse.dueAt).toBe('2026-04-27T03:00:00.000Z');
  });

  it('recomputes due times from the same start when the priority changes', () => {
    const policy = slaPolicy({}, 'conversation');
    const sla = startSla(policy, at('2026-04-27T02:00:00Z'), 'normal');
    expect(sla.firstResponse.dueAt).toBe('2026-04-27T02:30:00.000Z');
    const urgent = retargetSla(sla, policy, 'urgent');
    expect(urgent.priority).toBe('urgent');
    expect(urgent.firstResponse.dueAt).toBe('2026-04-27T02:05:00.000Z');
    expect(urgent.resolution.dueAt).toBe('2026-04-27T03:00:00.000Z');
    // A clock that already stopped keeps its result.
    const met = stopSlaClock(sla, 'firstResponse', '2026-04-27T02:10:00.000Z', 'met').sla;
    expect(retargetSla(met, policy, 'urgent').firstResponse).toEqual(met.firstResponse);
  });

  it('adds open time across several days of business hours', () => {
    // 9 open hours a day from Tuesday 09:00 local: 20 hours → Thursday 11:00 local.
    expect(addOpenTime(HOURS, at('2026-04-28T01:00:00Z'), 20 * 60 * MIN)?.toISOString()).toBe('2026-04-30T03:00:00.000Z');
    expect(slaCalendar(null)(at('2026-04-28T01:00:00Z'), 90).toISOString()).toBe('2026-04-28T02:30:00.000Z');
  });
});

describe('SLA clocks', () => {
  const policy = slaPolicy({}, 'conversation');
  const start = at('2026-04-27T02:00:00Z');

  it('turns amber at the warning point and red at the due time, each once', () => {
    let sla = startSla(policy, start, 'urgent');
    expect(nextSlaCheck(sla)).toBe('2026-04-27T02:04:00.000Z');
    expect(advanceSla(sla, at('2026-04-27T02:03:59Z')).fired).toEqual([]);
    const warned = advanceSla(sla, at('2026-04-27T02:04:00Z'));
    expect(warned.fired).toEqual([{ clock: 'firstResponse', kind: 'warning', dueAt: sla.firstResponse.dueAt, at: '2026-04-27T02:04:00.000Z' }]);
    sla = warned.sla;
    expect(slaFlag(sla)).toBe('at_risk');
    expect(advanceSla(sla, at('2026-04-27T02:04:30Z')).fired).toEqual([]);
    const breached = advanceSla(sla, at('2026-04-27T02:05:00Z'));
    expect(breached.fired.map((f) => f.kind)).toEqual(['breach']);
    sla = breached.sla;
    expect(slaFlag(sla)).toBe('breached');
    expect(advanceSla(sla, at('2026-04-27T02:06:00Z')).fired).toEqual([]);
    // Late reply: still breached, with the time it stopped; the resolution clock runs on.
    const replied = stopSlaClock(sla, 'firstResponse', '2026-04-27T02:07:00.000Z', 'met');
    expect(replied.sla.firstResponse).toMatchObject({ state: 'breached', at: '2026-04-27T02:07:00.000Z' });
    expect(replied.fired).toEqual([]);
    expect(slaFlag(replied.sla)).toBe('running');
  });

  it('meets a clock stopped in time and cancels one handed back to the bot', () => {
    const sla = startSla(policy, start, 'normal');
    const met = stopSlaClock(sla, 'firstResponse', '2026-04-27T02:10:00.000Z', 'met');
    expect(met.sla.firstResponse.state).toBe('met');
    expect(met.fired.map((f) => f.kind)).toEqual(['met']);
    const cancelled = stopSlaClock(met.sla, 'resolution', '2026-04-27T02:20:00.000Z', 'cancel');
    expect(cancelled.sla.resolution.state).toBe('cancelled');
    expect(nextSlaCheck(cancelled.sla)).toBeNull();
    expect(slaFlag(cancelled.sla)).toBeNull();
  });

  it('a stop after the due time that the sweep had not seen yet is a breach, announced then', () => {
    const sla = startSla(policy, start, 'urgent');
    const late = stopSlaClock(sla, 'firstResponse', '2026-04-27T02:06:00.000Z', 'met');
    expect(late.sla.firstResponse.state).toBe('breached');
    expect(late.fired.map((f) => f.kind)).toEqual(['breach']);
  });
});
