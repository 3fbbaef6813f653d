import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Message, Workspace } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import type { TurnSummary } from '../usecases/channel-threads.js';
import type { TurnUsage } from '../usecases/measure-turn-usage.js';
import { statusOf } from './problem.js';

// The wire format of Dify's service API (https://docs.dify.ai/guides/application-publishing/developing-with-apis),
// so Dify clients and SDKs talk to kefu unchanged. Times are Unix seconds, as Dify sends them.

export const DifyChatBody = z.object({
  query: z.string().min(1),
  user: z.string().min(1).max(255),
  inputs: z.record(z.string(), z.unknown()).nullish(),
  response_mode: z.enum(['blocking', 'streaming']).default('blocking'),
  /** Empty or absent: a new conversation. */
  conversation_id: z.string().max(100).nullish(),
  // Accepted so Dify SDKs (which always send them) are not refused; kefu does not use them.
  files: z.array(z.unknown()).nullish(),
  auto_generate_name: z.boolean().nullish(),
});

export const DifyConversationsQuery = z.object({
  user: z.string().min(1).max(255),
  last_id: z.string().max(100).optional(),
  /** What the dify-client SDK (2.x) sends for `last_id`. */
  first_id: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const DifyMessagesQuery = z.object({
  user: z.string().min(1).max(255),
  conversation_id: z.string().min(1).max(100),
  first_id: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const DifyFeedbackBody = z.object({
  /** `null` withdraws an earlier rating. */
  rating: z.enum(['like', 'dislike']).nullable(),
  user: z.string().min(1).max(255),
  content: z.string().max(2000).nullish(),
});

export const unixSeconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

export interface DifyRetrieverResource {
  position: number;
  dataset_id: string;
  dataset_name: string;
  document_id: string;
  document_name: string;
  segment_id: string;
  score: number | null;
  content: string;
}

/** Citations as Dify lists them: the workspace is the "dataset", each FAQ entry or document passage a "segment". */
export function retrieverResources(
  workspace: Workspace,
  sources: readonly { id: string; title: string; kind?: 'faq' | 'chunk' | undefined; documentId?: string | undefined }[],
  snippets: ReadonlyMap<string, string>,
  score: number | null,
): DifyRetrieverResource[] {
  return sources.map((s, i) => ({
    position: i + 1,
    dataset_id: workspace.id,
    dataset_name: workspace.name,
    document_id: s.kind === 'chunk' && s.documentId ? s.documentId : s.id,
    document_name: s.title,
    segment_id: s.id,
    score,
    content: snippets.get(s.id) ?? '',
  }));
}

/** Sources of kefu messages (their `sources` parts), in order, without repeats. */
export function sourcesOf(messages: readonly Pick<Message, 'parts'>[]) {
  const out = new Map<string, { id: string; title: string; kind?: 'faq' | 'chunk' | undefined; documentId?: string | undefined }>();
  for (const m of messages) for (const p of m.parts) if (p.type === 'sources') for (const s of p.sources) if (!out.has(s.id)) out.set(s.id, s);
  return [...out.values()];
}

/**
 * The reply a Dify message id names (what feedback rates): the one citing knowledge, else the first.
 * A turn can say several things (a flow's message, then its question); Dify has one answer per query.
 */
export function primaryReply<T extends { id: string; parts: Message['parts'] }>(replies: readonly T[]): T | undefined {
  return replies.find((r) => r.parts.some((p) => p.type === 'sources')) ?? replies[0];
}

/** A turn's replies as one Dify answer. */
export const answerText = (replies: readonly { text: string }[]) => replies.map((r) => r.text).join('\n\n');

/** Prices per million tokens (LLM_PRICE_INPUT / LLM_PRICE_OUTPUT), as the usage report takes them. */
export interface TokenPrice {
  input: number;
  output: number;
  currency: string;
}

/**
 * Dify's `usage`: the turn's language-model tokens (every call of the turn: the answer, and intent,
 * mood or query-rewrite checks), their price, and the latency in seconds. Zeros for answers the model
 * had no part in. Prices are decimal strings, as Dify sends them.
 */
export function difyUsage(usage: TurnUsage & { latencyMs: number }, price: TokenPrice) {
  const promptPrice = (usage.promptTokens * price.input) / 1e6;
  const completionPrice = (usage.completionTokens * price.output) / 1e6;
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_price: decimal(promptPrice),
    completion_price: decimal(completionPrice),
    total_price: decimal(promptPrice + completionPrice),
    currency: price.currency,
    latency: usage.latencyMs / 1000,
  };
}

const decimal = (n: number) => (n === 0 ? '0' : n.toFixed(7).replace(/\.?0+$/, ''));

/** The `metadata` of a chat answer: Dify's usage and citations, and kefu's own view of the turn under `kefu`. */
export function chatMetadata(summary: TurnSummary, resources: DifyRetrieverResource[], usage: TurnUsage & { latencyMs: number }, price: TokenPrice) {
  return {
    usage: difyUsage(usage, price),
    retriever_resources: resources,
    kefu: {
      status: summary.status,
      decision: summary.decision,
      confidence: summary.confidence,
      handoff: summary.handoff,
      replies: summary.replies.map((r) => ({ id: r.id, text: r.text })),
    },
  };
}

/** One query and what answered it, as Dify's `GET /messages` lists them. */
export interface Exchange {
  query: Message;
  answers: Message[];
}

/** Groups a conversation into exchanges: each customer message with the bot's and people's replies until the next. */
export function exchangesOf(history: readonly Message[]): Exchange[] {
  const out: Exchange[] = [];
  for (const m of history) {
    if (m.authorType === 'contact') out.push({ query: m, answers: [] });
    // Before the first question (a greeting) there is nothing to attach a reply to.
    else if ((m.authorType === 'bot' || m.authorType === 'agent') && out.length) out.at(-1)!.answers.push(m);
  }
  return out;
}

/** The Dify message id of an exchange: its primary reply's id, or the question's while nobody answered. */
export const exchangeId = (e: Exchange) => primaryReply(e.answers)?.id ?? e.query.id;

export interface DifyError {
  status: number;
  code: string;
  message: string;
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'invalid_param',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'request_entity_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/** Dify's wording for what its clients may match on. */
const MESSAGES: Record<string, string> = {
  AUTH_REQUIRED: "Authorization header must be provided and start with 'Bearer'",
  AUTH_INVALID_TOKEN: 'Access token is invalid',
  CONVERSATION_NOT_FOUND: 'Conversation Not Exists.',
  MESSAGE_NOT_FOUND: 'Message Not Exists.',
};

/** Any error as Dify's `{ code, message, status }`; 5xx say nothing more (the details go to the log). */
export function difyError(err: unknown, req: FastifyRequest): DifyError {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext ?? 'body';
    const message = err.validation
      .map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        return `${path || context}: ${v.message ?? 'invalid'}`;
      })
      .join('; ');
    return { status: 400, code: 'invalid_param', message };
  }
  if (err instanceof DomainError) {
    // A too-long query is a bad parameter to Dify, not kefu's 413.
    const status = err.code === 'MESSAGE_TOO_LONG' ? 400 : statusOf(err.code);
    if (status < 500) return { status, code: CODE_OF_STATUS[status] ?? 'bad_request', message: MESSAGES[err.code] ?? err.message };
  }
  const fst = err as Partial<FastifyError>;
  switch (fst.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'request_entity_too_large', message: 'request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'send application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'invalid_param', message: 'request body is not valid JSON' };
  }
  if (err instanceof SyntaxError && /JSON/.test(err.message)) return { status: 400, code: 'invalid_param', message: 'request body is not valid JSON' };
  if (fst.statusCode === 429) return { status: 429, code: 'too_many_requests', message: 'too many requests, slow down' };
  if (fst.statusCode && fst.statusCode >= 400 && fst.statusCode < 500)
    return { status: fst.statusCode, code: 'bad_request', message: fst.message ?? 'bad request' };
  if (err instanceof DomainError && statusOf(err.code) === 503) return { status: 503, code: 'service_unavailable', message: err.message };
  req.log.error({ err }, 'dify request failed');
  return {
    status: 500,
    code: 'internal_server_error',
    message: 'The server encountered an internal error; the x-request-id header identifies it in the server log.',
  };
}

export function difyErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const e = difyError(err, req);
  return reply.status(e.status).type('application/json').send({ code: e.code, message: e.message, status: e.status });
}
