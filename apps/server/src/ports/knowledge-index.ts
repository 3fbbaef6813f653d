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
  /** BM25 score; 0 when only the dense lane found the entry. */
  score: number;
  /** Cosine similarity of the entry's closest embedded text to the query, when vectors were used. */
  similarity?: number;
  /** The reranker's relevance score, when a reranker ordered the hits. */
  rerankScore?: number;
  /** 1-based rank in each lane that found it (RRF fuses these). */
  ranks?: { lexical?: number; dense?: number };
  /** 0..1: how likely this entry answers the query if it were chosen (the policy reads the top hit's). */
  confidence: number;
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
  /** The query's embedding: entries are then ranked by both lanes, fused by reciprocal rank. */
  queryVector?: Float32Array;
  /** Cosine similarity that counts as no evidence (EMBEDDING_SIMILARITY_FLOOR). */
  similarityFloor?: number;
}

/** One embedded text of an entry or chunk (an FAQ has one per question and similar question). */
export interface EmbeddedUnit {
  /** The FAQ entry's or chunk's id. */
  id: string;
  vector: Float32Array;
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
  /** A published entry or chunk by id (as the bot may use it), or null. */
  entry(workspaceId: string, id: string): KnowledgeHit['entry'] | null;
  /** Replaces the workspace's vectors (made by `model`); an empty list turns the dense lane off. */
  setVectors(workspaceId: string, model: string, units: readonly EmbeddedUnit[]): void;
  /** The model of the workspace's vectors, or null when it has none. */
  vectorModel(workspaceId: string): string | null;
  stats(): { workspaces: number; entries: number; terms: number; bytes: number; vectors: number };
}
