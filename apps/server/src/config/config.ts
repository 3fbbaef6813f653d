import { ATTACHMENT_TYPES } from '@kefu/protocol';
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Every environment variable kefu reads. Listed with defaults in README.md and .env.example. */
export const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
      .default('sqlite:./data/kefu.db'),
    DATA_DIR: z.string().min(1).default('./data'),
    /** SQLite: how long a write waits for another writer before failing with 503 DATABASE_BUSY. */
    DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    PUBLIC_URL: z.url().optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis://')
      .optional(),
    LLM_BASE_URL: z.url().optional(),
    LLM_API_KEY: z.string().optional(),
    LLM_MODEL: z.string().optional(),
    /** How long a turn waits for the language model before answering without it. */
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(3000),
    /** The most a generated answer may take from the first token to the last, tool calls included. */
    LLM_ANSWER_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
    /** Price per million input / output tokens, for the usage report (`GET /v1/usage`). */
    LLM_PRICE_INPUT: z.coerce.number().min(0).max(1e6).default(0),
    LLM_PRICE_OUTPUT: z.coerce.number().min(0).max(1e6).default(0),
    LLM_PRICE_CURRENCY: z.string().trim().min(1).max(8).default('USD'),
    /** Dense retrieval (optional): any OpenAI-compatible /embeddings endpoint, fused with BM25. */
    EMBEDDING_BASE_URL: z.url().optional(),
    EMBEDDING_API_KEY: z.string().optional(),
    EMBEDDING_MODEL: z.string().optional(),
    /** Asks the endpoint for vectors of this size (models that support shortening them). */
    EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(16_384).optional(),
    /** How long a turn waits for its query's vector before answering from BM25 alone. */
    EMBEDDING_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    /** Cosine similarity that counts as no evidence at all; confidence grows linearly from here to 1. */
    EMBEDDING_SIMILARITY_FLOOR: z.coerce.number().min(-1).max(0.99).default(0.5),
    /** Reranker (optional): a /rerank endpoint in the Cohere/Jina format (vLLM, Xinference, TEI…). */
    RERANK_BASE_URL: z.url().optional(),
    RERANK_API_KEY: z.string().optional(),
    RERANK_MODEL: z.string().optional(),
    RERANK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    MESSAGE_MAX_CHARS: z.coerce.number().int().min(100).max(100_000).default(4000),
    /** Requests a minute each API key (or session) may send to each OpenAI-compatible route (429 beyond); shared through Redis. */
    OPENAI_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    /** Largest file customers and agents may send in a conversation; bigger ones get 413 ATTACHMENT_TOO_LARGE. */
    ATTACHMENT_MAX_MB: z.coerce.number().min(0.01).max(100).default(10),
    /** The file types they may send (comma-separated MIME types), a subset of what kefu accepts; default all of them. */
    ATTACHMENT_TYPES: z
      .string()
      .default(ATTACHMENT_TYPES.join(','))
      .transform((s) => [
        ...new Set(
          s
            .split(',')
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(z.enum(ATTACHMENT_TYPES, { error: `each must be one of ${ATTACHMENT_TYPES.join(', ')}` })).min(1)),
    /** Largest file a knowledge import accepts; bigger ones are reported as FILE_TOO_LARGE. */
    IMPORT_MAX_FILE_MB: z.coerce.number().int().min(1).max(500).default(20),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .default(24 * 7),
    DEMO: bool.default(true),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    // An endpoint without a model (or the reverse) is a half-finished setting, not an opt-out.
    for (const [url, model] of [
      ['LLM_BASE_URL', 'LLM_MODEL'],
      ['EMBEDDING_BASE_URL', 'EMBEDDING_MODEL'],
      ['RERANK_BASE_URL', 'RERANK_MODEL'],
    ] as const) {
      if (env[url] && !env[model]) ctx.addIssue({ code: 'custom', path: [model], message: `is required when ${url} is set` });
      if (env[model] && !env[url]) ctx.addIssue({ code: 'custom', path: [url], message: `is required when ${model} is set` });
    }
  });

export type Config = Readonly<z.infer<typeof EnvSchema>> & { readonly appSecret: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once. A bad value stops start-up with a message naming the variable. */
export function parseEnv(env: NodeJS.ProcessEnv): z.infer<typeof EnvSchema> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
