import type { UsagePurpose, UsageReport } from '@kefu/protocol';

/** The language model's uses, in the order the chart stacks them (bottom first) and its legend lists them. */
export const USAGE_PURPOSES: readonly UsagePurpose[] = ['answer', 'intent', 'sentiment', 'rewrite', 'summary', 'suggestion', 'other'];

export interface UsageDay {
  day: string;
  /** Input + output tokens by purpose. */
  tokens: Record<UsagePurpose, number>;
  total: number;
  calls: number;
  failures: number;
  cost: number;
}

const DAY_MS = 86_400_000;

/** The `n` days up to and including today (UTC, as the API counts days), as the API's `from` and `to`. */
export function lastDays(n: number, now: Date = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (n - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

/** One entry per day of the report's range, days without use included, models added together. */
export function dailyUsage(report: Pick<UsageReport, 'from' | 'to' | 'rows'>): UsageDay[] {
  const days: UsageDay[] = [];
  const byDay = new Map<string, UsageDay>();
  const end = Date.parse(`${report.to}T00:00:00Z`);
  for (let t = Date.parse(`${report.from}T00:00:00Z`); t <= end && days.length <= 366; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const entry: UsageDay = { day, tokens: zeroTokens(), total: 0, calls: 0, failures: 0, cost: 0 };
    days.push(entry);
    byDay.set(day, entry);
  }
  for (const r of report.rows) {
    const d = byDay.get(r.day.slice(0, 10));
    if (!d) continue;
    const purpose = USAGE_PURPOSES.includes(r.purpose) ? r.purpose : 'other';
    const tokens = r.inputTokens + r.outputTokens;
    d.tokens[purpose] += tokens;
    d.total += tokens;
    d.calls += r.calls;
    d.failures += r.failures;
    d.cost += r.cost;
  }
  return days;
}

/**
 * A round top for the value axis and its ticks: 1, 2 or 5 times a power of ten, in four steps or
 * fewer. An empty chart still gets a scale (0…10).
 */
export function niceScale(max: number): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 10, ticks: [0, 5, 10] };
  const rough = max / 4;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * pow >= rough) ?? 10) * pow;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { top, ticks };
}

/** Purposes that occur in the days, in stacking order; the legend shows only these. */
export const usedPurposes = (days: readonly UsageDay[]) => USAGE_PURPOSES.filter((p) => days.some((d) => d.tokens[p] > 0));

function zeroTokens(): Record<UsagePurpose, number> {
  return { answer: 0, intent: 0, sentiment: 0, rewrite: 0, summary: 0, suggestion: 0, other: 0 };
}
