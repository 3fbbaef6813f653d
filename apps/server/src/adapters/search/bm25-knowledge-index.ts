import type { FaqEntry } from '../../domain/entities.js';
import type { KnowledgeHit, KnowledgeIndex, KnowledgeSearchResult, MatchedTerm } from '../../ports/knowledge-index.js';
import { analyzeText, type Lane, laneOf } from '../../text/analyze-text.js';
import { foldForAnalysis, normalizeText } from '../../text/normalize-text.js';

/**
 * Field-aware BM25 over FAQ entries. Each question and similar question is its own unit and an entry
 * scores by its best-matching question (a long list of similar questions neither dilutes nor inflates
 * it), plus a smaller contribution from its answer. Lanes (jieba words, character bigrams, exact
 * codes, English stems) are weighted separately. bench/retrieval.mjs compares this with peers.
 */
export interface Bm25Options {
  k1: number;
  bQuestion: number;
  bAnswer: number;
  answerWeight: number;
  laneWeights: Record<Lane, number>;
}

export const DEFAULT_BM25: Bm25Options = {
  k1: 1.2,
  bQuestion: 0.6,
  bAnswer: 0.75,
  answerWeight: 0.35,
  laneWeights: { word: 1, bigram: 0.6, exact: 1.5, english: 1 },
};

type Doc = KnowledgeHit['entry'];

interface Posting {
  units: number[];
  tfs: number[];
}

interface Shard {
  docs: Doc[];
  unitDoc: Int32Array;
  unitIsAnswer: Uint8Array;
  unitLen: Float64Array;
  /** Distinct terms of each question unit, to tell how much of the matched question the query covers. */
  unitTerms: string[][];
  postings: Map<string, Posting>;
  df: Map<string, number>;
  avgQuestionLen: number;
  avgAnswerLen: number;
}

const termsOf = (text: string) => analyzeText(foldForAnalysis(normalizeText(text)));

function buildShard(entries: readonly FaqEntry[]): Shard {
  const docs: Doc[] = [];
  const unitDoc: number[] = [];
  const unitIsAnswer: number[] = [];
  const unitLen: number[] = [];
  const unitTerms: string[][] = [];
  const postings = new Map<string, Posting>();
  const df = new Map<string, number>();
  let qLenSum = 0;
  let qUnits = 0;
  let aLenSum = 0;

  entries.forEach((e, d) => {
    docs.push({ id: e.id, externalId: e.externalId, question: e.question, answer: e.answer, category: e.category, language: e.language });
    const seenInDoc = new Set<string>();
    const texts: Array<[string, 0 | 1]> = [...[e.question, ...e.similar].map((q): [string, 0 | 1] => [q, 0]), [e.answer, 1]];
    for (const [text, isAnswer] of texts) {
      const terms = termsOf(text);
      if (terms.length === 0) continue;
      const u = unitDoc.length;
      unitDoc.push(d);
      unitIsAnswer.push(isAnswer);
      unitLen.push(terms.length);
      if (isAnswer) aLenSum += terms.length;
      else {
        qLenSum += terms.length;
        qUnits++;
      }
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t.key, (tf.get(t.key) ?? 0) + 1);
      unitTerms.push(isAnswer ? [] : [...tf.keys()]);
      for (const [key, n] of tf) {
        let p = postings.get(key);
        if (!p) postings.set(key, (p = { units: [], tfs: [] }));
        p.units.push(u);
        p.tfs.push(n);
        if (!seenInDoc.has(key)) {
          seenInDoc.add(key);
          df.set(key, (df.get(key) ?? 0) + 1);
        }
      }
    }
  });
  return {
    docs,
    unitDoc: Int32Array.from(unitDoc),
    unitIsAnswer: Uint8Array.from(unitIsAnswer),
    unitLen: Float64Array.from(unitLen),
    unitTerms,
    postings,
    df,
    avgQuestionLen: qUnits ? qLenSum / qUnits : 1,
    avgAnswerLen: docs.length ? aLenSum / docs.length : 1,
  };
}

function hasUnit(p: Posting, unit: number): boolean {
  let lo = 0;
  let hi = p.units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = p.units[mid]!;
    if (v === unit) return true;
    if (v < unit) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export class Bm25KnowledgeIndex implements KnowledgeIndex {
  private readonly shards = new Map<string, Shard>();

  constructor(private readonly opts: Bm25Options = DEFAULT_BM25) {}

  load(workspaceId: string, entries: readonly FaqEntry[]): void {
    this.shards.set(workspaceId, buildShard(entries));
  }

  stats() {
    let entries = 0;
    let terms = 0;
    for (const s of this.shards.values()) {
      entries += s.docs.length;
      terms += s.postings.size;
    }
    return { workspaces: this.shards.size, entries, terms };
  }

  search(workspaceId: string, query: string, k: number): KnowledgeSearchResult {
    const shard = this.shards.get(workspaceId);
    const terms = termsOf(query);
    const queryTerms = [...new Set(terms.map((t) => t.key))];
    if (!shard || shard.docs.length === 0 || queryTerms.length === 0) return { hits: [], confidence: 0, queryTerms };

    const { k1, bQuestion, bAnswer, answerWeight, laneWeights } = this.opts;
    const n = shard.docs.length;
    const qtf = new Map<string, number>();
    for (const t of terms) qtf.set(t.key, (qtf.get(t.key) ?? 0) + 1);
    const termWeight = (key: string) => {
      const df = shard.df.get(key) ?? 0;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5)) * laneWeights[laneOf(key)];
    };
    const weight = new Map<string, number>();
    for (const key of queryTerms) weight.set(key, termWeight(key) * (1 + Math.log(qtf.get(key)!)));

    const unitScore = new Map<number, number>();
    for (const key of queryTerms) {
      const p = shard.postings.get(key);
      if (!p) continue;
      const w = weight.get(key)!;
      for (let i = 0; i < p.units.length; i++) {
        const u = p.units[i]!;
        const tf = p.tfs[i]!;
        const isAnswer = shard.unitIsAnswer[u] === 1;
        const b = isAnswer ? bAnswer : bQuestion;
        const avg = isAnswer ? shard.avgAnswerLen : shard.avgQuestionLen;
        const norm = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * shard.unitLen[u]!) / avg));
        unitScore.set(u, (unitScore.get(u) ?? 0) + w * norm);
      }
    }

    const best = new Map<number, { q: number; qUnit: number; a: number; aUnit: number }>();
    for (const [u, s] of unitScore) {
      const d = shard.unitDoc[u]!;
      let b = best.get(d);
      if (!b) best.set(d, (b = { q: 0, qUnit: -1, a: 0, aUnit: -1 }));
      if (shard.unitIsAnswer[u] === 1) {
        b.a = s;
        b.aUnit = u;
      } else if (s > b.q) {
        b.q = s;
        b.qUnit = u;
      }
    }
    const ranked = [...best.entries()]
      .map(([d, b]) => ({ d, b, score: b.q + answerWeight * b.a }))
      .sort((x, y) => y.score - x.score || x.d - y.d)
      .slice(0, Math.max(1, k));

    let totalWeight = 0;
    for (const w of weight.values()) totalWeight += w;
    const hits: KnowledgeHit[] = ranked.map(({ d, b, score }) => {
      const matched: MatchedTerm[] = [];
      let covered = 0;
      for (const key of queryTerms) {
        const p = shard.postings.get(key);
        if (!p) continue;
        const lane = laneOf(key);
        const term = key.slice(2);
        if (b.qUnit >= 0 && hasUnit(p, b.qUnit)) {
          matched.push({ term, lane, field: 'question' });
          covered += weight.get(key)!;
        } else if (b.aUnit >= 0 && hasUnit(p, b.aUnit)) {
          matched.push({ term, lane, field: 'answer' });
          covered += 0.5 * weight.get(key)!;
        }
      }
      let questionWeight = 0;
      let questionMatched = 0;
      for (const key of b.qUnit >= 0 ? shard.unitTerms[b.qUnit]! : []) {
        const w = termWeight(key);
        questionWeight += w;
        if (weight.has(key)) questionMatched += w;
      }
      return {
        entry: shard.docs[d]!,
        score,
        coverage: totalWeight > 0 ? covered / totalWeight : 0,
        questionCoverage: questionWeight > 0 ? questionMatched / questionWeight : 0,
        matched,
      };
    });
    return { hits, confidence: answerability(hits), queryTerms };
  }
}

/**
 * How likely the top hit answers the query. Mostly how much of the matched question the query contains
 * (a long, chatty message still covers the question's key terms), partly how much of the query the
 * entry explains, discounted when a second entry scores almost as high. The weights were chosen on
 * faq_bank_zh and the demo eval set with out-of-domain probes (bench/retrieval.mjs prints the table).
 */
function answerability(hits: readonly KnowledgeHit[]): number {
  const top = hits[0];
  if (!top) return 0;
  const second = hits[1];
  const ratio = second && top.score > 0 ? second.score / top.score : 0;
  const ambiguity = ratio > 0.9 ? 1 - (ratio - 0.9) * 2 : 1;
  const base = 0.3 * top.coverage + 0.7 * top.questionCoverage;
  return Math.max(0, Math.min(1, base * ambiguity));
}
