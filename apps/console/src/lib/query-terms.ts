import { LANES, type Lane } from './trace';

/**
 * The search answer lists the query's index keys, lane-prefixed (`w:退货`, `b:退货`, `x:gx199`,
 * `e:refund`, see apps/server/src/text/analyze-text.ts). This splits them for display; a key in an
 * unknown form is shown whole, without a lane.
 */
export interface QueryTerm {
  key: string;
  term: string;
  lane: Lane | null;
}

const PREFIX: Record<string, Lane> = { w: 'word', b: 'bigram', x: 'exact', e: 'english' };

export function parseQueryTerm(key: string): QueryTerm {
  const m = /^([a-z]):(.+)$/s.exec(key);
  const lane = m ? PREFIX[m[1]!] : undefined;
  return lane && m ? { key, term: m[2]!, lane } : { key, term: key, lane: null };
}

export const isLane = (v: string): v is Lane => (LANES as readonly string[]).includes(v);

/**
 * Synonym groups that contain a term, compared case-insensitively. The API does not say which query
 * terms came from synonyms, so the test page can only say a term belongs to a group.
 */
export function groupsContaining(term: string, groups: readonly { id: string; terms: string[] }[]) {
  const t = term.toLowerCase();
  return groups.filter((g) => g.terms.some((x) => x.toLowerCase() === t));
}
