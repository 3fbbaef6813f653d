import type { FaqEntry } from '../domain/entities.js';

/** A published FAQ entry for index and engine tests; its id is `id-<externalId>`. */
export function faqEntry(workspaceId: string, externalId: string, question: string, answer: string, similar: string[] = []): FaqEntry {
  return {
    id: `id-${externalId}`,
    workspaceId,
    externalId,
    question,
    similar,
    answer,
    category: null,
    language: null,
    status: 'published',
    tags: [],
    variants: [],
    validFrom: null,
    validUntil: null,
    audience: 'public',
    version: 1,
    updatedBy: null,
    createdAt: '',
    updatedAt: '',
  };
}
