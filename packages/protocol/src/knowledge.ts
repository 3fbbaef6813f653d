import { z } from 'zod';
import { Cursor, commaList, Id, WellFormedText } from './common.js';

const Text = (max: number) => WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));
const IsoDate = z.iso.datetime({ offset: true });

export const FaqStatus = z.enum(['draft', 'published', 'archived']);
export const FaqAudience = z.enum(['public', 'internal']);
export const FaqLanguage = z.enum(['zh-CN', 'zh-TW', 'en']);

export const AnswerVariant = z
  .object({ language: FaqLanguage.optional(), channel: z.string().trim().min(1).max(40).optional(), answer: Text(20_000) })
  .refine((v) => v.language || v.channel, 'a variant needs a language or a channel');

/** Fields an editor sets; the same shape is kept for each version. No defaults here: see below. */
const FaqFields = z.object({
  externalId: Text(200).nullable(),
  question: Text(1000),
  similar: z.array(Text(1000)).max(200, 'at most 200 similar questions'),
  answer: Text(20_000),
  category: Text(100).nullable(),
  language: FaqLanguage.nullable(),
  status: FaqStatus,
  tags: z.array(Text(50)).max(30, 'at most 30 tags'),
  variants: z.array(AnswerVariant).max(20, 'at most 20 variants'),
  validFrom: IsoDate.nullable(),
  validUntil: IsoDate.nullable(),
  audience: FaqAudience,
});

const validWindow = (b: { validFrom?: string | null; validUntil?: string | null }) => !b.validFrom || !b.validUntil || b.validFrom < b.validUntil;

/** A new entry: only question and answer are required. */
export const CreateFaqBody = FaqFields.extend({
  externalId: FaqFields.shape.externalId.optional(),
  category: FaqFields.shape.category.optional(),
  language: FaqFields.shape.language.optional(),
  validFrom: FaqFields.shape.validFrom.optional(),
  validUntil: FaqFields.shape.validUntil.optional(),
  similar: FaqFields.shape.similar.default([]),
  status: FaqFields.shape.status.default('published'),
  tags: FaqFields.shape.tags.default([]),
  variants: FaqFields.shape.variants.default([]),
  audience: FaqFields.shape.audience.default('public'),
}).refine(validWindow, { message: 'validUntil must be after validFrom', path: ['validUntil'] });
export type CreateFaqBody = z.infer<typeof CreateFaqBody>;

/**
 * A partial update: fields left out keep their value (no defaults apply). `version` is the version the
 * editor started from; a stale edit answers 409 FAQ_VERSION_CONFLICT.
 */
export const UpdateFaqBody = FaqFields.partial()
  .extend({ version: z.number().int().min(1) })
  .refine(validWindow, { message: 'validUntil must be after validFrom', path: ['validUntil'] });
export type UpdateFaqBody = z.infer<typeof UpdateFaqBody>;

export const FaqQuality = z.object({
  hits: z.number().int(),
  helpful: z.number().int(),
  notHelpful: z.number().int(),
  /** Lower bound of the helpful share (Wilson, 95 %); null before any rating. */
  score: z.number().nullable(),
  flags: z.array(z.enum(['unhelpful', 'unused', 'expired'])),
});
export type FaqQuality = z.infer<typeof FaqQuality>;

export const FaqEntry = z.object({
  id: Id,
  externalId: z.string().nullable(),
  question: z.string(),
  similar: z.array(z.string()),
  answer: z.string(),
  category: z.string().nullable(),
  language: z.string().nullable(),
  status: FaqStatus,
  tags: z.array(z.string()),
  variants: z.array(z.object({ language: FaqLanguage.optional(), channel: z.string().optional(), answer: z.string() })),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  audience: FaqAudience,
  version: z.number().int(),
  updatedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  quality: FaqQuality.optional(),
});
export type FaqEntry = z.infer<typeof FaqEntry>;

export const FaqReview = z.object({ items: z.array(FaqEntry) });

/** Helpful / not helpful on one bot reply; rating again replaces the first rating. */
export const FeedbackBody = z.object({ helpful: z.boolean(), comment: WellFormedText.pipe(z.string().trim().max(1000)).optional() });
export type FeedbackBody = z.infer<typeof FeedbackBody>;
export const FeedbackResponse = z.object({ messageId: z.string(), helpful: z.boolean(), comment: z.string().nullable() });

export const FaqWarning = z.object({ code: z.string(), message: z.string(), entryId: z.string().optional() });

export const FaqSaveResponse = z.object({ entry: FaqEntry, warnings: z.array(FaqWarning) });
export type FaqSaveResponse = z.infer<typeof FaqSaveResponse>;

export const ListFaqQuery = z.object({
  status: commaList(FaqStatus).optional(),
  category: z.string().max(100).optional(),
  tag: z.string().max(50).optional(),
  audience: FaqAudience.optional(),
  q: WellFormedText.pipe(z.string().max(200)).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListFaqQuery = z.infer<typeof ListFaqQuery>;

export const FaqPage = z.object({ items: z.array(FaqEntry), nextCursor: z.string().nullable() });

export const FaqVersion = z.object({
  version: z.number().int(),
  change: z.enum(['created', 'updated', 'imported', 'restored', 'archived']),
  authorId: z.string().nullable(),
  createdAt: z.string(),
  snapshot: z.record(z.string(), z.unknown()),
  /** Fields that differ from the previous version, with both values. */
  diff: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});
export type FaqVersion = z.infer<typeof FaqVersion>;

export const RestoreFaqBody = z.object({ version: z.number().int().min(1) });

export const KnowledgeSearchBody = z.object({
  query: WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters')),
  k: z.number().int().min(1).max(50).default(10),
  /** `all` includes internal-only entries (agents); the bot searches `public`. */
  audience: z.enum(['public', 'all']).default('all'),
});
export type KnowledgeSearchBody = z.infer<typeof KnowledgeSearchBody>;

export const KnowledgeHit = z.object({
  entry: z.object({
    id: z.string(),
    externalId: z.string().nullable(),
    question: z.string(),
    answer: z.string(),
    category: z.string().nullable(),
    audience: FaqAudience,
    kind: z.enum(['faq', 'chunk']),
    source: z.object({ documentId: z.string(), title: z.string(), headingPath: z.array(z.string()) }).optional(),
  }),
  /** BM25 score (0 when only the dense lane found it). */
  score: z.number(),
  /** 0..1: how likely this entry answers the query were it chosen. */
  confidence: z.number(),
  /** Cosine similarity to the query, when vectors were used. */
  similarity: z.number().optional(),
  /** The reranker's relevance score, when a reranker ordered the hits. */
  rerankScore: z.number().optional(),
  /** 1-based rank in each retrieval lane that found the entry (fused by reciprocal rank). */
  ranks: z.object({ lexical: z.number().int().optional(), dense: z.number().int().optional() }).optional(),
  coverage: z.number(),
  questionCoverage: z.number(),
  matched: z.array(z.object({ term: z.string(), lane: z.string(), field: z.string() })),
});

/** What an optional retrieval lane (vectors, reranker) did for this search. */
export const LaneOutcome = z.object({
  status: z.enum(['off', 'used', 'failed']),
  model: z.string().optional(),
  ms: z.number().optional(),
  reason: z.enum(['timeout', 'error', 'unavailable', 'model_mismatch']).optional(),
  message: z.string().optional(),
});
export type LaneOutcome = z.infer<typeof LaneOutcome>;

export const KnowledgeSearchResponse = z.object({
  hits: z.array(KnowledgeHit),
  confidence: z.number(),
  answerable: z.boolean(),
  threshold: z.number(),
  /** Lane-prefixed terms: `w:` jieba word, `b:` character bigram, `x:` exact code or number, `e:` English stem. */
  queryTerms: z.array(z.string()),
  /** The subset of queryTerms added from the workspace's synonyms. */
  expandedTerms: z.array(z.string()),
  dense: LaneOutcome,
  rerank: LaneOutcome,
  tookMs: z.number(),
});
export type KnowledgeSearchResponse = z.infer<typeof KnowledgeSearchResponse>;

const Term = WellFormedText.pipe(z.string().trim().min(1).max(50));

export const SynonymGroup = z.object({ id: Id, terms: z.array(z.string()), createdAt: z.string(), updatedAt: z.string() });
export const SynonymBody = z.object({
  terms: z
    .array(Term)
    .min(2, 'a synonym group needs at least two terms')
    .max(20, 'at most 20 terms')
    .refine((t) => new Set(t).size === t.length, 'terms must be different'),
});
export const DictionaryBody = z.object({ words: z.array(Term).min(1).max(1000, 'at most 1000 words per request') });
export const DictionaryWord = z.object({ word: z.string(), createdAt: z.string() });

export const ImportJob = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  summary: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), removed: z.number(), failed: z.number(), chunks: z.number() }),
  errors: z.array(z.object({ file: z.string(), code: z.string(), message: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** Files travel base64-encoded in JSON (the console reads them with FileReader). */
export const CreateImportBody = z.object({
  files: z
    .array(
      z.object({
        name: WellFormedText.pipe(z.string().trim().min(1).max(300)),
        /** The file's bytes, base64-encoded; the size limit (IMPORT_MAX_FILE_MB) is checked per file. */
        contentBase64: z.string(),
        mimeType: z.string().max(200).optional(),
      }),
    )
    .min(1, 'send at least one file')
    .max(200, 'at most 200 files per import'),
  audience: FaqAudience.default('public'),
});
export type CreateImportBody = z.infer<typeof CreateImportBody>;

export const KnowledgeDocument = z.object({
  id: z.string(),
  source: z.string(),
  title: z.string(),
  format: z.string(),
  chunkCount: z.number().int(),
  audience: FaqAudience,
  createdAt: z.string(),
  updatedAt: z.string(),
});
