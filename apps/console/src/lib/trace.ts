import type { TraceStage, TurnTrace } from '@kefu/protocol';

/** Lanes of the retrieval index (apps/server/src/text/analyze-text.ts). */
export type Lane = 'word' | 'bigram' | 'exact' | 'english';
export const LANES: readonly Lane[] = ['word', 'bigram', 'exact', 'english'];

export interface MatchedTerm {
  term: string;
  lane: Lane;
  field: 'question' | 'answer';
}

export interface RetrievalHit {
  id: string;
  externalId: string | null;
  question: string;
  score: number;
  coverage: number;
  matched: MatchedTerm[];
}

export interface Retrieval {
  confidence: number | null;
  hits: RetrievalHit[];
}

// Stage outputs are `unknown` on the wire (each stage has its own shape); these read them defensively
// so a trace from a newer server with other fields still draws what it can.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const findStage = (trace: TurnTrace, name: string): TraceStage | undefined => trace.stages.find((s) => s.stage === name);

/** `undefined` when the trace has no retrieve stage, `null` when retrieval was skipped. */
export function retrievalOf(trace: TurnTrace): Retrieval | null | undefined {
  const stage = findStage(trace, 'retrieve');
  if (!stage) return undefined;
  const out = stage.output;
  if (!isObject(out)) return null;
  const hits = Array.isArray(out.hits) ? out.hits : [];
  return {
    confidence: num(out.confidence),
    hits: hits.filter(isObject).map((h, i) => ({
      id: str(h.id) ?? String(i),
      externalId: str(h.externalId),
      question: str(h.question) ?? '',
      score: num(h.score) ?? 0,
      coverage: num(h.coverage) ?? 0,
      matched: (Array.isArray(h.matched) ? h.matched : []).filter(isObject).flatMap((m): MatchedTerm[] => {
        const term = str(m.term);
        const lane = str(m.lane);
        if (!term || !lane || !(LANES as string[]).includes(lane)) return [];
        return [{ term, lane: lane as Lane, field: m.field === 'answer' ? 'answer' : 'question' }];
      }),
    })),
  };
}

/** The answer threshold the policy compared the confidence with. */
export function thresholdOf(trace: TurnTrace): number | null {
  const out = findStage(trace, 'policy')?.output;
  return isObject(out) ? num(out.threshold) : null;
}

export function detectedLanguageOf(trace: TurnTrace): { language: string; confidence: number | null } | null {
  const out = findStage(trace, 'detect-language')?.output;
  if (!isObject(out)) return null;
  const language = str(out.language);
  return language ? { language, confidence: num(out.confidence) } : null;
}

export function handoffRequestedOf(trace: TurnTrace): boolean | null {
  const out = findStage(trace, 'detect-handoff-request')?.output;
  return isObject(out) && typeof out.requested === 'boolean' ? out.requested : null;
}

/** A term matched in the question and the answer is shown once, as a question match. */
export function uniqueTerms(matched: readonly MatchedTerm[]): MatchedTerm[] {
  const seen = new Map<string, MatchedTerm>();
  for (const m of matched) {
    const key = `${m.lane}:${m.term}`;
    const prev = seen.get(key);
    if (!prev || (prev.field === 'answer' && m.field === 'question')) seen.set(key, m);
  }
  return [...seen.values()];
}
