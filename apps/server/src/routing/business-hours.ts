import { DomainError } from '../domain/errors.js';

/**
 * A workspace's opening hours in its own time zone: weekly ranges, holidays closed all day, and
 * make-up workdays (调休) open on a weekend with their own hours. Time-zone arithmetic uses Intl only:
 * local wall-clock time is read with `Intl.DateTimeFormat`, and opening instants are found by walking
 * forward in spans of constant UTC offset, so DST changes (a skipped or repeated hour) are exact.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** 'HH:MM' local time; `to` may be '24:00'. From is included, to is not. */
export interface TimeRange {
  from: string;
  to: string;
}

export interface BusinessHours {
  /** IANA, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** Several ranges a day allowed (a lunch break); a day left out is closed. Ranges cannot cross midnight. */
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  /** 'YYYY-MM-DD' (local dates) closed all day. */
  holidays?: string[];
  /** 'YYYY-MM-DD' open with `workdayHours` whatever the weekday — Chinese make-up workdays (调休). */
  workdays?: string[];
  /** Required when `workdays` lists any date. */
  workdayHours?: TimeRange[];
}

export interface BusinessHoursProblem {
  /** e.g. `weekly.mon[1].to`, `holidays[3]`. */
  path: string;
  message: string;
}

/** Index = `Date#getUTCDay()` of the local date. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** How far `nextOpening` looks ahead. */
export const LOOKAHEAD_DAYS = 370;

/** Whether the business is open at `at`. Throws `BUSINESS_HOURS_INVALID` when `h` does not validate. */
export function isOpen(h: BusinessHours, at: Date): boolean {
  return openAt(compile(h), instant(at));
}

/**
 * The first instant at or after `at` when the business is open: `at` itself when open now; null when
 * it does not open within 370 days. An opening time that does not exist on a DST day (02:30 when
 * clocks jump from 02:00 to 03:00) opens when the clocks land past it (03:00); a time that happens
 * twice (clocks going back) opens at its first occurrence, and again at the second if closed between.
 */
export function nextOpening(h: BusinessHours, at: Date): Date | null {
  const c = compile(h);
  let t = instant(at);
  const limit = t + LOOKAHEAD_DAYS * DAY;
  // Each pass either finds the opening or moves past one offset change; a year has a few at most.
  for (let pass = 0; pass < 64; pass++) {
    if (openAt(c, t)) return new Date(t);
    const wall = wallClock(c.timeZone, t);
    const offset = wall - t;
    const start = nextStartAfter(c, wall);
    if (start === null) return null;
    const candidate = start - offset;
    if (candidate > limit) return null;
    // Until the next offset change, local time runs in step with UTC: the candidate is exact unless
    // an offset change comes first, and then the search starts again from that change.
    const change = firstOffsetChange(c.timeZone, t, candidate, offset);
    t = change ?? candidate;
  }
  return null;
}

/**
 * The instant at which `ms` of open time have passed since `from`, the clock running only while the
 * business is open (holidays and make-up workdays included): a due time counted in business hours.
 * Starting while closed, counting begins at the next opening. Null when it does not open within the
 * look-ahead.
 */
export function addOpenTime(h: BusinessHours, from: Date, ms: number): Date | null {
  const c = compile(h);
  let t = instant(from);
  let left = Math.max(0, ms);
  // One pass per open span (a day's range, or part of one cut by an offset change).
  for (let pass = 0; pass < 20_000; pass++) {
    const open = nextOpening(h, new Date(t));
    if (!open) return null;
    t = open.getTime();
    const end = openSpanEnd(c, t);
    if (end <= t) return null;
    if (t + left <= end) return new Date(t + left);
    left -= end - t;
    t = end;
  }
  return null;
}

/** Checks shape, time zone, times ('HH:MM', to after from, 24:00 only as an end), overlaps and dates; every problem at once. */
export function validateBusinessHours(input: unknown): { ok: true; value: BusinessHours } | { ok: false; problems: BusinessHoursProblem[] } {
  const problems: BusinessHoursProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  if (!isRecord(input)) return { ok: false, problems: [{ path: '', message: 'must be an object with timeZone and weekly' }] };

  for (const key of Object.keys(input)) if (!FIELDS.has(key)) problem(key, `is not a business-hours field (expected ${[...FIELDS].join(', ')})`);

  let timeZone = '';
  if (typeof input.timeZone !== 'string' || input.timeZone === '') problem('timeZone', 'is required: an IANA time zone such as Asia/Shanghai');
  else {
    const resolved = resolveTimeZone(input.timeZone);
    if (resolved) timeZone = resolved;
    else problem('timeZone', `"${input.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai, America/New_York)`);
  }

  const weekly: Partial<Record<Weekday, TimeRange[]>> = {};
  if (!isRecord(input.weekly)) problem('weekly', 'is required: an object of days (mon … sun), each a list of { from, to } ranges');
  else
    for (const [day, ranges] of Object.entries(input.weekly)) {
      if (!WEEKDAYS.includes(day as Weekday)) {
        problem(`weekly.${day}`, 'is not a day: use mon, tue, wed, thu, fri, sat or sun');
        continue;
      }
      const checked = checkRanges(ranges, `weekly.${day}`, problem);
      if (checked) weekly[day as Weekday] = checked;
    }

  const holidays = checkDates(input.holidays, 'holidays', problem);
  const workdays = checkDates(input.workdays, 'workdays', problem);
  if (holidays && workdays) {
    const closed = new Set(holidays);
    workdays.forEach((d, i) => {
      if (closed.has(d)) problem(`workdays[${i}]`, `${d} is also a holiday: a date is either closed or a make-up workday`);
    });
  }
  let workdayHours: TimeRange[] | undefined;
  if (input.workdayHours !== undefined) workdayHours = checkRanges(input.workdayHours, 'workdayHours', problem) ?? undefined;
  else if (workdays && workdays.length > 0) problem('workdayHours', 'is required when workdays are listed: the hours of a make-up workday');

  if (problems.length > 0) return { ok: false, problems };
  const value: BusinessHours = { timeZone, weekly };
  if (holidays) value.holidays = holidays;
  if (workdays) value.workdays = workdays;
  if (workdayHours) value.workdayHours = workdayHours;
  return { ok: true, value };
}

// ── compiled hours ──────────────────────────────────────────────────────────────────────────────────

const MIN = 60_000;
const DAY = 86_400_000;
const FIELDS = new Set(['timeZone', 'weekly', 'holidays', 'workdays', 'workdayHours']);

/** [from, to) in minutes since local midnight, sorted. */
type Minutes = readonly (readonly [number, number])[];

interface Compiled {
  timeZone: string;
  /** Index = weekday (0 = Sunday). */
  weekly: readonly Minutes[];
  /** Local dates as days since 1970-01-01. */
  holidays: ReadonlySet<number>;
  workdays: ReadonlySet<number>;
  workdayHours: Minutes;
}

/** Hours objects are read once; treat a BusinessHours passed here as immutable (pass a new object to change it). */
const compiled = new WeakMap<BusinessHours, Compiled>();

function compile(h: BusinessHours): Compiled {
  const hit = compiled.get(h);
  if (hit) return hit;
  const checked = validateBusinessHours(h);
  if (!checked.ok)
    throw new DomainError('BUSINESS_HOURS_INVALID', `business hours are invalid: ${checked.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, {
      problems: checked.problems,
    });
  const v = checked.value;
  const c: Compiled = {
    timeZone: v.timeZone,
    weekly: WEEKDAYS.map((d) => toMinutes(v.weekly[d] ?? [])),
    holidays: new Set((v.holidays ?? []).map(dayNumber)),
    workdays: new Set((v.workdays ?? []).map(dayNumber)),
    workdayHours: toMinutes(v.workdayHours ?? []),
  };
  compiled.set(h, c);
  return c;
}

function rangesOn(c: Compiled, day: number): Minutes {
  if (c.holidays.has(day)) return [];
  if (c.workdays.has(day)) return c.workdayHours;
  // 1970-01-01 was a Thursday.
  return c.weekly[(((day + 4) % 7) + 7) % 7]!;
}

function openAt(c: Compiled, t: number): boolean {
  const wall = wallClock(c.timeZone, t);
  const day = Math.floor(wall / DAY);
  const minute = (wall - day * DAY) / MIN;
  for (const [from, to] of rangesOn(c, day)) if (minute >= from && minute < to) return true;
  return false;
}

/** Where the open range containing instant `t` ends, or the next offset change if that comes first; `t` when closed. */
function openSpanEnd(c: Compiled, t: number): number {
  const wall = wallClock(c.timeZone, t);
  const offset = wall - t;
  const day = Math.floor(wall / DAY);
  const minute = (wall - day * DAY) / MIN;
  for (const [from, to] of rangesOn(c, day)) {
    if (minute < from || minute >= to) continue;
    const candidate = day * DAY + to * MIN - offset;
    return firstOffsetChange(c.timeZone, t, candidate, offset) ?? candidate;
  }
  return t;
}

/** The wall-clock time (as ms since 1970 of a UTC clock showing it) of the first range start after `wall`, within the look-ahead. */
function nextStartAfter(c: Compiled, wall: number): number | null {
  const first = Math.floor(wall / DAY);
  for (let day = first; day <= first + LOOKAHEAD_DAYS + 1; day++)
    for (const [from] of rangesOn(c, day)) {
      const start = day * DAY + from * MIN;
      if (start > wall) return start;
    }
  return null;
}

/** Offset checks this far apart find every change: zones change offset at most a few times a year, weeks apart. */
const OFFSET_PROBE_MS = 7 * DAY;

/** The first instant in (from, to] whose UTC offset differs from `offset`, to the millisecond; null when none. */
function firstOffsetChange(timeZone: string, from: number, to: number, offset: number): number | null {
  let lo = from;
  while (lo < to) {
    const probe = Math.min(lo + OFFSET_PROBE_MS, to);
    if (wallClock(timeZone, probe) - probe === offset) {
      lo = probe;
      continue;
    }
    let hi = probe;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (wallClock(timeZone, mid) - mid === offset) lo = mid;
      else hi = mid;
    }
    return hi;
  }
  return null;
}

// ── Intl ────────────────────────────────────────────────────────────────────────────────────────────

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local wall-clock time at instant `t`, as the ms value of a UTC clock showing the same date and time. */
function wallClock(timeZone: string, t: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of formatter(timeZone).formatToParts(t)) {
    if (p.type === 'year') year = Number(p.value);
    else if (p.type === 'month') month = Number(p.value);
    else if (p.type === 'day') day = Number(p.value);
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
    else if (p.type === 'second') second = Number(p.value);
    else if (p.type === 'era') bc = p.value === 'BC';
  }
  const utc = new Date(0);
  utc.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ((t % 1000) + 1000) % 1000);
  return utc.getTime();
}

function resolveTimeZone(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

// ── validation helpers ──────────────────────────────────────────────────────────────────────────────

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkRanges(value: unknown, path: string, problem: (path: string, message: string) => void): TimeRange[] | null {
  if (!Array.isArray(value)) {
    problem(path, 'must be a list of { from: "HH:MM", to: "HH:MM" } ranges');
    return null;
  }
  const good: { range: TimeRange; from: number; to: number; i: number }[] = [];
  for (const [i, r] of (value as unknown[]).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(r)) {
      problem(at, 'must be { from: "HH:MM", to: "HH:MM" }');
      continue;
    }
    const from = typeof r.from === 'string' && TIME.test(r.from) ? minutesOf(r.from) : null;
    const to = typeof r.to === 'string' && (r.to === '24:00' || TIME.test(r.to)) ? minutesOf(r.to) : null;
    if (from === null)
      problem(`${at}.from`, `must be a time "HH:MM" from 00:00 to 23:59 (got ${JSON.stringify(r.from)})${r.from === '24:00' ? ': 24:00 is only an end' : ''}`);
    if (to === null) problem(`${at}.to`, `must be a time "HH:MM" from 00:01 to 24:00 (got ${JSON.stringify(r.to)})`);
    if (from === null || to === null) continue;
    if (to === from) problem(at, `is empty: from and to are both ${r.from}`);
    else if (to < from)
      problem(
        at,
        `ends before it starts (${r.from}–${r.to}): a range cannot cross midnight; split it into ${r.from}–24:00 on this day and 00:00–${r.to} on the next`,
      );
    else good.push({ range: { from: r.from as string, to: r.to as string }, from, to, i });
  }
  good.sort((a, b) => a.from - b.from);
  for (let k = 1; k < good.length; k++) {
    const prev = good[k - 1]!;
    const cur = good[k]!;
    if (cur.from < prev.to) problem(`${path}[${cur.i}]`, `overlaps ${prev.range.from}–${prev.range.to} (${path}[${prev.i}])`);
  }
  return good.map((g) => g.range);
}

function checkDates(value: unknown, path: string, problem: (path: string, message: string) => void): string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value)) {
    problem(path, 'must be a list of dates "YYYY-MM-DD"');
    return null;
  }
  const out: string[] = [];
  for (const [i, d] of (value as unknown[]).entries()) {
    const m = typeof d === 'string' ? DATE.exec(d) : null;
    if (!m) {
      problem(`${path}[${i}]`, `must be a date "YYYY-MM-DD" (got ${JSON.stringify(d)})`);
      continue;
    }
    const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(y, mo - 1, da));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== da) problem(`${path}[${i}]`, `${d} is not a calendar date`);
    else out.push(d as string);
  }
  return out;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function toMinutes(ranges: readonly TimeRange[]): Minutes {
  return ranges.map((r) => [minutesOf(r.from), minutesOf(r.to)] as const).sort((a, b) => a[0] - b[0]);
}

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

function instant(at: Date): number {
  const t = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new DomainError('BUSINESS_HOURS_INVALID', 'the time to check is not a valid Date', { at: String(at) });
  return t;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
