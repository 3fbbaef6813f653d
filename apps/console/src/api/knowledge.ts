import type { CreateFaqBody, CreateImportBody, FaqEntry, FaqSaveResponse, FaqVersion, ImportJob, KnowledgeSearchResponse, UpdateFaqBody } from '@kefu/protocol';
import type { ApiClient } from './client';

/** The knowledge API (docs/api.md, "Knowledge API"), typed. Every call throws ApiError on non-2xx. */

export interface FaqListQuery {
  q?: string;
  status?: string;
  audience?: 'public' | 'internal';
  category?: string;
  tag?: string;
  cursor?: string;
  limit?: number;
}

export interface SynonymGroup {
  id: string;
  terms: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DictionaryWord {
  word: string;
  createdAt: string;
}

/**
 * The search answer. `expandedTerms` is not sent by the server today (the index computes it but the
 * route drops it); when it is, the test page marks synonym expansions with it.
 */
export type SearchResult = KnowledgeSearchResponse & { expandedTerms?: string[] };

/** A file imported into the knowledge base (Markdown, PDF, …), split into `chunkCount` searchable chunks. */
export interface KnowledgeDocument {
  id: string;
  source: string;
  title: string;
  format: string;
  chunkCount: number;
  audience: 'public' | 'internal';
  createdAt: string;
  updatedAt: string;
}

export type { ImportJob };

const faqPath = (id: string) => `/v1/knowledge/faqs/${encodeURIComponent(id)}`;

export const knowledgeApi = {
  listFaqs: (api: ApiClient, query: FaqListQuery, signal?: AbortSignal) =>
    api.get<{ items: FaqEntry[]; nextCursor: string | null }>('/v1/knowledge/faqs', { ...query }, signal),
  getFaq: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<FaqEntry>(faqPath(id), undefined, signal),
  createFaq: (api: ApiClient, body: CreateFaqBody) => api.post<FaqSaveResponse>('/v1/knowledge/faqs', body),
  updateFaq: (api: ApiClient, id: string, body: UpdateFaqBody) => api.patch<FaqSaveResponse>(faqPath(id), body),
  archiveFaq: (api: ApiClient, id: string) => api.delete<FaqEntry>(faqPath(id)),
  versions: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<{ items: FaqVersion[] }>(`${faqPath(id)}/versions`, undefined, signal),
  restore: (api: ApiClient, id: string, version: number) => api.post<FaqEntry>(`${faqPath(id)}/restore`, { version }),
  search: (api: ApiClient, body: { query: string; k?: number; audience?: 'public' | 'all' }, signal?: AbortSignal) =>
    api.post<SearchResult>('/v1/knowledge/search', body, signal),
  synonyms: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: SynonymGroup[] }>('/v1/knowledge/synonyms', undefined, signal),
  addSynonyms: (api: ApiClient, terms: string[]) => api.post<SynonymGroup>('/v1/knowledge/synonyms', { terms }),
  saveSynonyms: (api: ApiClient, id: string, terms: string[]) => api.put<SynonymGroup>(`/v1/knowledge/synonyms/${encodeURIComponent(id)}`, { terms }),
  deleteSynonyms: (api: ApiClient, id: string) => api.delete<void>(`/v1/knowledge/synonyms/${encodeURIComponent(id)}`),
  dictionary: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: DictionaryWord[] }>('/v1/knowledge/dictionary', undefined, signal),
  addWords: (api: ApiClient, words: string[]) => api.post<{ added: string[] }>('/v1/knowledge/dictionary', { words }),
  deleteWord: (api: ApiClient, word: string) => api.delete<void>(`/v1/knowledge/dictionary/${encodeURIComponent(word)}`),
  review: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: FaqEntry[] }>('/v1/knowledge/review', undefined, signal),
  startImport: (api: ApiClient, body: CreateImportBody) => api.post<ImportJob>('/v1/knowledge/imports', body),
  importJob: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<ImportJob>(`/v1/knowledge/imports/${encodeURIComponent(id)}`, undefined, signal),
  documents: (api: ApiClient, signal?: AbortSignal) =>
    api.get<{ items: KnowledgeDocument[]; limits: { maxFileMb: number } }>('/v1/knowledge/documents', undefined, signal),
  deleteDocument: (api: ApiClient, id: string) => api.delete<void>(`/v1/knowledge/documents/${encodeURIComponent(id)}`),
};
