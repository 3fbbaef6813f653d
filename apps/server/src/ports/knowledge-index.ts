import type { FaqEntry } from '../domain/entities.js';

export interface MatchedTerm {
  term: string;
  lane: 'word' | 'bigram' | 'exact' | 'english';
  field: 'question' | 'answer';
}

/** A document chunk as the index takes it: with its document's title and audience. */
export interface IndexedChunk {
  id: string;
  documentId: string;
  title: string;
  headingPath: string[];
  text: string;
  audience: 'public' | 'internal';
}

export interface KnowledgeHit {
  /**
   * An FAQ entry, or a document chunk shaped like one: `question` is the document title and heading
   * path, `answer` the chunk's text; `source` says which document and section it came from.
   */
  entry: Pick<FaqEntry, 'id' | 'externalId' | 'question' | 'answer' | 'category' | 'language' | 'audience' | 'variants'> & {
    kind: 'faq' | 'chunk';
    source?: { documentId: string; title: string; headingPath: string[] };
  };
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
  /** Terms added from the workspace's synonyms (also in queryTerms). */
  expandedTerms?: string[];
}

export interface KnowledgeSearchOptions {
  /** `public` (the bot, customers) leaves out internal-only entries; `all` is for agents. */
  audience?: 'public' | 'all';
  /** Entries outside their valid-from/until window at this time are left out. */
  now?: Date;
}

/** Retrieval over a workspace's published knowledge. */
export interface KnowledgeIndex {
  search(workspaceId: string, query: string, k: number, opts?: KnowledgeSearchOptions): KnowledgeSearchResult;
  /** Replaces everything indexed for the workspace, with its dictionary and synonyms. */
  load(
    workspaceId: string,
    entries: readonly FaqEntry[],
    vocabulary?: { dictionary: readonly string[]; synonyms: readonly (readonly string[])[] },
    chunks?: readonly IndexedChunk[],
  ): void;
  /** The same as `load`, without blocking: the previous index serves until the new one is ready. */
  rebuild(
    workspaceId: string,
    entries: readonly FaqEntry[],
    vocabulary?: { dictionary: readonly string[]; synonyms: readonly (readonly string[])[] },
    chunks?: readonly IndexedChunk[],
  ): Promise<void>;
  stats(): { workspaces: number; entries: number; terms: number; bytes: number };
}
