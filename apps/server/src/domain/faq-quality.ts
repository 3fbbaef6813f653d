import type { FaqEntry, FaqStats } from './entities.js';

export type QualityFlag = 'unhelpful' | 'unused' | 'expired';

export interface FaqQuality {
  hits: number;
  helpful: number;
  notHelpful: number;
  /** Lower bound of the 95 % Wilson interval of the helpful share; null before any rating. */
  score: number | null;
  flags: QualityFlag[];
}

const UNUSED_AFTER_DAYS = 30;
const MIN_RATINGS = 3;

/**
 * An entry's quality from its answer count and customers' ratings. Weak entries are flagged for review,
 * never hidden: unhelpful (enough ratings and most say not helpful), unused (published for a month and
 * never answered with), expired (past its valid-until).
 */
export function faqQuality(entry: Pick<FaqEntry, 'status' | 'createdAt' | 'validUntil'>, stats: FaqStats | undefined, now: Date): FaqQuality {
  const hits = stats?.hits ?? 0;
  const helpful = stats?.helpful ?? 0;
  const notHelpful = stats?.notHelpful ?? 0;
  const n = helpful + notHelpful;
  const score = n === 0 ? null : wilsonLowerBound(helpful, n);
  const flags: QualityFlag[] = [];
  if (n >= MIN_RATINGS && helpful / n < 0.5) flags.push('unhelpful');
  const ageDays = (now.getTime() - Date.parse(entry.createdAt)) / 86_400_000;
  if (entry.status === 'published' && hits === 0 && ageDays >= UNUSED_AFTER_DAYS) flags.push('unused');
  if (entry.validUntil && Date.parse(entry.validUntil) <= now.getTime()) flags.push('expired');
  return { hits, helpful, notHelpful, score: score === null ? null : Math.round(score * 1000) / 1000, flags };
}

function wilsonLowerBound(positive: number, n: number, z = 1.96): number {
  const p = positive / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
}
