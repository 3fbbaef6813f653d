import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { type BusinessHours, isOpen, nextOpening, validateBusinessHours } from './business-hours.js';

/** A local Shanghai time (UTC+8 all year) as a Date. */
const sh = (local: string) => new Date(`${local}+08:00`);
const utc = (iso: string) => new Date(`${iso}Z`);
const MINUTE = 60_000;

const WEEKDAY = [
  { from: '09:00', to: '12:00' },
  { from: '13:00', to: '18:00' },
];
/** A Shanghai shop: weekdays with a lunch break, Saturday mornings, 国庆 2026 closed with its make-up days. */
const SHOP: BusinessHours = {
  timeZone: 'Asia/Shanghai',
  weekly: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY, sat: [{ from: '10:00', to: '14:00' }] },
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-09-20', '2026-10-10'],
  workdayHours: [{ from: '09:00', to: '18:00' }],
};

const NEW_YORK: BusinessHours = {
  timeZone: 'America/New_York',
  weekly: {
    mon: [{ from: '09:00', to: '17:00' }],
    tue: [{ from: '09:00', to: '17:00' }],
    wed: [{ from: '09:00', to: '17:00' }],
    thu: [{ from: '09:00', to: '17:00' }],
    fri: [{ from: '09:00', to: '17:00' }],
  },
};

describe('isOpen', () => {
  it('follows the weekly ranges in the business’s time zone, lunch break included', () => {
    // Monday 2026-11-23.
    expect(isOpen(SHOP, sh('2026-11-23T08:59:59'))).toBe(false);
    expect(isOpen(SHOP, sh('2026-11-23T09:00:00'))).toBe(true);
    expect(isOpen(SHOP, sh('2026-11-23T12:30:00'))).toBe(false);
    expect(isOpen(SHOP, sh('2026-11-23T17:59:59'))).toBe(true);
    expect(isOpen(SHOP, sh('2026-11-23T18:00:00'))).toBe(false);
    // 01:30 UTC on Monday is 09:30 in Shanghai.
    expect(isOpen(SHOP, utc('2026-11-23T01:30:00'))).toBe(true);
    // Saturday morning open, Sunday closed.
    expect(isOpen(SHOP, sh('2026-11-28T11:00:00'))).toBe(true);
    expect(isOpen(SHOP, sh('2026-11-29T11:00:00'))).toBe(false);
  });

  it('is closed on a holiday and open on a make-up workday with the workday hours', () => {
    // Thursday 2026-10-01 (国庆) is a weekday but a holiday.
    expect(isOpen(SHOP, sh('2026-10-01T10:00:00'))).toBe(false);
    // Sunday 2026-09-20 and Saturday 2026-10-10 are make-up workdays: 09:00–18:00, no lunch break.
    expect(isOpen(SHOP, sh('2026-09-20T12:30:00'))).toBe(true);
    expect(isOpen(SHOP, sh('2026-10-10T16:00:00'))).toBe(true);
    expect(isOpen(SHOP, sh('2026-10-10T08:30:00'))).toBe(false);
  });

  it('allows 24:00 as an end, so a day can run up to midnight', () => {
    const late: BusinessHours = { timeZone: 'Asia/Shanghai', weekly: { fri: [{ from: '20:00', to: '24:00' }], sat: [{ from: '00:00', to: '02:00' }] } };
    expect(isOpen(late, sh('2026-11-27T23:59:59'))).toBe(true);
    expect(isOpen(late, sh('2026-11-28T00:00:00'))).toBe(true);
    expect(isOpen(late, sh('2026-11-28T02:00:00'))).toBe(false);
  });

  it('keeps local hours across the DST change in New York', () => {
    // Friday 2026-03-06 is EST (UTC−5): 09:00 local = 14:00 UTC.
    expect(isOpen(NEW_YORK, utc('2026-03-06T13:59:00'))).toBe(false);
    expect(isOpen(NEW_YORK, utc('2026-03-06T14:00:00'))).toBe(true);
    // Monday 2026-03-09 is EDT (UTC−4): 09:00 local = 13:00 UTC.
    expect(isOpen(NEW_YORK, utc('2026-03-09T13:00:00'))).toBe(true);
    expect(isOpen(NEW_YORK, utc('2026-03-09T21:00:00'))).toBe(false);
    // Monday 2026-11-02 is EST again.
    expect(isOpen(NEW_YORK, utc('2026-11-02T13:30:00'))).toBe(false);
    expect(isOpen(NEW_YORK, utc('2026-11-02T14:30:00'))).toBe(true);
  });

  it('refuses hours that do not validate, naming the problem', () => {
    const bad = { timeZone: 'Asia/Shanghai', weekly: { mon: [{ from: '22:00', to: '02:00' }] } };
    let err: unknown;
    try {
      isOpen(bad, new Date());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('BUSINESS_HOURS_INVALID');
    expect((err as DomainError).message).toContain('weekly.mon[0]');
    expect(() => isOpen(SHOP, new Date(Number.NaN))).toThrow(/not a valid Date/);
  });
});

describe('nextOpening', () => {
  it('is the time itself when open, the end of the lunch break, or the next morning', () => {
    expect(nextOpening(SHOP, sh('2026-11-23T10:00:00'))).toEqual(sh('2026-11-23T10:00:00'));
    expect(nextOpening(SHOP, sh('2026-11-23T12:15:00'))).toEqual(sh('2026-11-23T13:00:00'));
    expect(nextOpening(SHOP, sh('2026-11-23T19:00:00'))).toEqual(sh('2026-11-24T09:00:00'));
    // Saturday afternoon → Monday morning.
    expect(nextOpening(SHOP, sh('2026-11-28T15:00:00'))).toEqual(sh('2026-11-30T09:00:00'));
  });

  it('skips the whole 国庆 holiday to the first working day after it', () => {
    // Wednesday 2026-09-30 after closing → Thursday 2026-10-08 09:00 (10-01 … 10-07 closed, the weekend inside too).
    expect(nextOpening(SHOP, sh('2026-09-30T18:30:00'))).toEqual(sh('2026-10-08T09:00:00'));
    // Friday 2026-10-09 evening → the make-up Saturday 10-10 at 09:00, not Monday.
    expect(nextOpening(SHOP, sh('2026-10-09T20:00:00'))).toEqual(sh('2026-10-10T09:00:00'));
    // Saturday 2026-09-19 after 14:00 → the make-up Sunday 09-20.
    expect(nextOpening(SHOP, sh('2026-09-19T15:00:00'))).toEqual(sh('2026-09-20T09:00:00'));
  });

  it('lands on the right UTC instant across the spring-forward change in New York', () => {
    // Friday 17:30 EST → Monday 09:00 EDT = 13:00 UTC (not 14:00).
    expect(nextOpening(NEW_YORK, utc('2026-03-06T22:30:00'))).toEqual(utc('2026-03-09T13:00:00'));
    // And back: Friday 2026-10-30 17:30 EDT → Monday 2026-11-02 09:00 EST = 14:00 UTC.
    expect(nextOpening(NEW_YORK, utc('2026-10-30T21:30:00'))).toEqual(utc('2026-11-02T14:00:00'));
  });

  it('opens at 03:00 when the opening time falls in the skipped hour, and reopens in the repeated hour', () => {
    // 2026-03-08: New York clocks jump from 02:00 EST to 03:00 EDT (07:00 UTC); 02:30 never happens.
    const gap: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '02:30', to: '05:00' }] } };
    expect(nextOpening(gap, utc('2026-03-08T05:00:00'))).toEqual(utc('2026-03-08T07:00:00'));
    expect(isOpen(gap, utc('2026-03-08T07:00:00'))).toBe(true);
    expect(isOpen(gap, utc('2026-03-08T06:59:59'))).toBe(false);
    // 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST (06:00 UTC); 01:00–01:30 happens twice.
    const overlap: BusinessHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '01:00', to: '01:30' }] } };
    expect(nextOpening(overlap, utc('2026-11-01T04:00:00'))).toEqual(utc('2026-11-01T05:00:00'));
    // 01:45 EDT: closed, and the next opening is 01:00 EST, a quarter of an hour later.
    expect(nextOpening(overlap, utc('2026-11-01T05:45:00'))).toEqual(utc('2026-11-01T06:00:00'));
    expect(nextOpening(overlap, utc('2026-11-01T06:31:00'))).toEqual(utc('2026-11-08T06:00:00'));
  });

  it('agrees with a minute-by-minute walk of isOpen around both New York DST changes', () => {
    const odd: BusinessHours = {
      timeZone: 'America/New_York',
      weekly: {
        sat: [{ from: '22:00', to: '24:00' }],
        sun: [
          { from: '00:30', to: '01:15' },
          { from: '01:45', to: '02:45' },
          { from: '03:30', to: '04:00' },
        ],
        mon: [{ from: '09:00', to: '09:01' }],
      },
    };
    fc.assert(
      fc.property(fc.constantFrom('2026-03-07T20:00:00', '2026-10-31T20:00:00'), fc.integer({ min: 0, max: 36 * 60 }), (start, minutes) => {
        const at = new Date(utc(start).getTime() + minutes * MINUTE + 17_000);
        const next = nextOpening(odd, at)!;
        expect(isOpen(odd, next)).toBe(true);
        if (next.getTime() > at.getTime()) expect(isOpen(odd, new Date(next.getTime() - 1))).toBe(false);
        for (let t = at.getTime(); t < next.getTime(); t += MINUTE) expect(isOpen(odd, new Date(t))).toBe(false);
      }),
      { numRuns: 150, seed: 20260308 },
    );
  });

  it('is null when the business never opens within 370 days', () => {
    expect(nextOpening({ timeZone: 'Asia/Shanghai', weekly: {} }, sh('2026-11-23T10:00:00'))).toBeNull();
    const farMakeUp: BusinessHours = { timeZone: 'Asia/Shanghai', weekly: {}, workdays: ['2028-01-03'], workdayHours: [{ from: '09:00', to: '10:00' }] };
    expect(nextOpening(farMakeUp, sh('2026-11-23T10:00:00'))).toBeNull();
    expect(nextOpening(farMakeUp, sh('2027-06-01T10:00:00'))).toEqual(sh('2028-01-03T09:00:00'));
  });
});

describe('validateBusinessHours', () => {
  it('accepts good hours and returns them with the time zone in its canonical spelling and ranges sorted', () => {
    const r = validateBusinessHours({ ...SHOP, timeZone: 'asia/shanghai', weekly: { mon: [WEEKDAY[1], WEEKDAY[0]] } });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.timeZone).toBe('Asia/Shanghai');
      expect(r.value.weekly.mon).toEqual(WEEKDAY);
      expect(r.value.holidays).toHaveLength(7);
    }
  });

  it('lists every problem with its path and a message that says what to do', () => {
    const r = validateBusinessHours({
      timeZone: 'Asia/Beijing',
      weekly: {
        mon: [{ from: '22:00', to: '02:00' }],
        tue: [
          { from: '09:00', to: '12:00' },
          { from: '11:00', to: '13:00' },
        ],
        wed: [{ from: '9:00', to: '25:00' }],
        thu: [{ from: '24:00', to: '24:00' }],
        fri: [{ from: '10:00', to: '10:00' }],
        funday: [],
      },
      holidays: ['2026-02-30', '2026/10/01'],
      workdays: ['2026-10-10', '2026-10-01'],
      closed: true,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, p.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'closed',
        'timeZone',
        'weekly.mon[0]',
        'weekly.tue[1]',
        'weekly.wed[0].from',
        'weekly.wed[0].to',
        'weekly.thu[0].from',
        'weekly.fri[0]',
        'weekly.funday',
        'holidays[0]',
        'holidays[1]',
        'workdayHours',
      ].sort(),
    );
    expect(byPath['weekly.mon[0]']).toMatch(/cannot cross midnight; split it into 22:00–24:00 on this day and 00:00–02:00 on the next/);
    expect(byPath['weekly.tue[1]']).toBe('overlaps 09:00–12:00 (weekly.tue[0])');
    expect(byPath['weekly.thu[0].from']).toMatch(/24:00 is only an end/);
    expect(byPath.timeZone).toMatch(/not an IANA time zone/);
    expect(byPath['holidays[0]']).toBe('2026-02-30 is not a calendar date');
    expect(byPath.workdayHours).toMatch(/required when workdays are listed/);
  });

  it('refuses a date that is both a holiday and a make-up workday, and input that is not an object', () => {
    const r = validateBusinessHours({ ...SHOP, workdays: ['2026-10-03'] });
    expect(r).toEqual({
      ok: false,
      problems: [{ path: 'workdays[0]', message: '2026-10-03 is also a holiday: a date is either closed or a make-up workday' }],
    });
    expect(validateBusinessHours(null)).toEqual({ ok: false, problems: [{ path: '', message: 'must be an object with timeZone and weekly' }] });
    expect(validateBusinessHours({ timeZone: 'UTC' })).toEqual({
      ok: false,
      problems: [{ path: 'weekly', message: 'is required: an object of days (mon … sun), each a list of { from, to } ranges' }],
    });
  });
});
