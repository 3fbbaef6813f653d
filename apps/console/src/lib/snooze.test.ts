import { describe, expect, it } from 'vitest';
import { isSnoozed, localInputToIso, snoozeBody } from './snooze';

describe('snooze presets', () => {
  // A Friday afternoon, local time.
  const friday = new Date(2026, 10, 20, 15, 30);

  it('asks for minutes for the short presets', () => {
    expect(snoozeBody('1h', friday)).toEqual({ minutes: 60 });
    expect(snoozeBody('4h', friday)).toEqual({ minutes: 240 });
  });

  it('wakes at 09:00 local time tomorrow and on the next Monday', () => {
    expect(new Date(snoozeBody('tomorrow', friday).until!)).toEqual(new Date(2026, 10, 21, 9, 0));
    expect(new Date(snoozeBody('nextWeek', friday).until!)).toEqual(new Date(2026, 10, 23, 9, 0));
    // On a Monday, "next week" is a week later, not today.
    expect(new Date(snoozeBody('nextWeek', new Date(2026, 10, 23, 8, 0)).until!)).toEqual(new Date(2026, 10, 30, 9, 0));
  });

  it('reads a datetime-local value, and refuses empty or broken ones', () => {
    expect(localInputToIso('2026-11-21T10:15')).toBe(new Date(2026, 10, 21, 10, 15).toISOString());
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('tomorrow-ish')).toBeNull();
  });

  it('tells whether a conversation is snoozed now', () => {
    const now = Date.parse('2026-11-21T00:00:00Z');
    expect(isSnoozed({ snoozedUntil: '2026-11-21T01:00:00Z' }, now)).toBe(true);
    expect(isSnoozed({ snoozedUntil: '2026-11-20T23:00:00Z' }, now)).toBe(false);
    expect(isSnoozed({ snoozedUntil: null }, now)).toBe(false);
    expect(isSnoozed({}, now)).toBe(false);
  });
});
