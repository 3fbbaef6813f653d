import type { FaqEntry } from '../domain/entities.js';

export interface MatchedTerm {
  term: string;
  lane: 'word' | 'bigram' | 'exact' | 'english';
  field: 'question' | 'answer';
}

export interface KnowledgeHit {
  entry: Pick<FaqEntry, 'id' | 'externalId' | 'question' | 'answer' | 'category' | 'language'>;
  score: number;
  /** 0..1: how much of the query's information this entry's questions cover. */
  coverage: number;
  /** 0..1: how much of the best-matching question the query contains. */
  questionCoverage: number;
  matched: MatchedTerm[];
}

export interface KnowledgeSearchResult {
  hits: KnowledgeHit[];
  /** 0..1 answerability of the top hit, used by the policy. */
  confidence: number;
  queryTerms: string[];
}

/** Retrieval over a workspace's published knowledge. */
export interface KnowledgeIndex {
  search(workspaceId: string, query: string, k: number): KnowledgeSearchResult;
  /** Replaces everything indexed for the workspace. */
  load(workspaceId: string, entries: readonly FaqEntry[]): void;
  stats(): { workspaces: number; entries: number; terms: number };
}
