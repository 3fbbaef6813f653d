import type { errorResponseBuilderContext, RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import type { Workspace } from '../../domain/entities.js';
import { DomainError } from '../../domain/errors.js';
import { openThread, runThreadTurn, summarizeTurn, type TurnSummary } from '../../usecases/channel-threads.js';
import type { InboundMessageResult } from '../../usecases/post-inbound-message.js';
import { requireRole } from '../plugins/auth.js';
import { statusOf } from '../problem.js';

const security = [{ bearer: [] }];

/**
 * Per caller, not per address: an integration's backend sends every customer's message from one
 * address with one key. The limit answers OpenAI's 429 (`type: requests`, `code: rate_limit_exceeded`),
 * which the SDKs raise as `RateLimitError` and retry after `retry-after`.
 */
const rateLimitOf = (max: number): RateLimitOptions => ({
  max,
  timeWindow: '1 minute',
  // Runs after requireRole (route onRequest hooks come first), so the principal is known.
  keyGenerator: (req) => {
    const p = req.principal;
    return p ? `openai:${p.kind === 'api_key' ? p.apiKey.id : p.sessionId}` : `openai:ip:${req.ip}`;
  },
  errorResponseBuilder: (_req, c: errorResponseBuilderContext) =>
    new OpenAIError(
      429,
      `Rate limit reached for requests per min (RPM) on this API key: Limit ${c.max}, Used ${c.max}, Requested 1. Please try again in ${c.after}.`,
      null,
      'rate_limit_exceeded',
      'requests',
    ),
});

/**
 * The OpenAI Chat Completions protocol in front of the workspace's bot (docs/channel-openai.md), so any
 * OpenAI client can talk to it. Only the subset a chat client sends is read; other parameters
 * (temperature, tools…) are accepted and ignored, because the bot, not the caller, decides how to answer.
 */
export const openaiRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;
    // Requests a minute per API key (or member session), per route and instance (OPENAI_RATE_LIMIT_PER_MINUTE).
    const rateLimit = rateLimitOf(deps.config.OPENAI_RATE_LIMIT_PER_MINUTE);
    // OpenAI clients parse `{ error: { message, type, param, code } }`, not problem+json: scoped to this plugin.
    app.setErrorHandler(openaiErrorHandler);
    // OpenAI's names for the limit headers, beside the ones @fastify/rate-limit sets (errors included).
    app.addHook('onSend', async (_req, reply) => {
      openaiRateHeaders(reply);
    });

    app.get(
      '/v1/models',
      {
        schema: { tags: ['openai'], summary: 'OpenAI-compatible: the models (bots) of the workspace', security },
        config: { rateLimit },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => {
        const workspace = await workspaceOf(deps, req);
        return { object: 'list', data: modelIds(workspace).map((id) => modelDto(id, workspace)) };
      },
    );

    app.get(
      '/v1/models/:model',
      {
        schema: { tags: ['openai'], summary: 'OpenAI-compatible: one model', security, params: z.object({ model: z.string().min(1).max(200) }) },
        config: { rateLimit },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => {
        const workspace = await workspaceOf(deps, req);
        return modelDto(checkModel(workspace, req.params.model), workspace);
      },
    );

    app.post(
      '/v1/chat/completions',
      {
        schema: {
          tags: ['openai'],
          summary: 'OpenAI-compatible chat completion: the bot answers the last user message (blocking or SSE streaming)',
          security,
          body: ChatCompletionBody,
        },
        config: { rateLimit },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req, reply) => {
        const body = req.body;
        const workspace = await workspaceOf(deps, req);
        checkModel(workspace, body.model);
        const text = customerText(body.messages, ctx.config.MESSAGE_MAX_CHARS);
        const header = req.headers['x-conversation-id'];
        const conversationId = body.conversation_id ?? body.chatId ?? (Array.isArray(header) ? header[0] : header) ?? null;
        if (conversationId !== null && (!conversationId.isWellFormed() || conversationId.length > 64))
          throw new OpenAIError(400, 'conversation_id is not a conversation id', 'conversation_id', 'invalid_value');
        if (body.user && !body.user.isWellFormed()) throw new OpenAIError(400, 'user contains invalid Unicode (a lone surrogate)', 'user', 'invalid_unicode');
        const idempotencyKey = idempotencyKeyOf(req);
        const { conversation } = await openThread(ctx, {
          workspace,
          channel: 'openai',
          conversationId,
          // Without a conversation of its own, a request with a key is one: its retry finds it again.
          externalId: body.user ?? (idempotencyKey && conversationId === null ? `idempotency-key:${idempotencyKey}` : null),
          ...(body.user ? { contact: { externalId: body.user } } : {}),
        });
        // A retry (the SDKs retry on timeouts, 429 and 5xx) with the same key gets the stored turn: the message is stored once.
        const clientMessageId = idempotencyKey ? `openai:${idempotencyKey}` : undefined;
        const id = `chatcmpl-${ctx.ids.next()}`;
        const created = Math.floor(ctx.clock.now().getTime() / 1000);
        const promptTokens = body.messages.reduce((n, m) => n + estimateTokens(contentText(m.content)), 0);

        if (!body.stream) {
          const result = await deps.trackInFlight(() => runThreadTurn(ctx, workspace, conversation.id, text, { clientMessageId }));
          if (result.turn) deps.metrics.observeTurn(result.turn);
          const summary = turnSummary(result, text);
          const content = replyText(summary);
          const completionTokens = estimateTokens(content);
          reply.header('x-conversation-id', summary.conversationId);
          if (result.duplicate) reply.header('idempotent-replayed', 'true');
          return {
            id,
            object: 'chat.completion',
            created,
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
            usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
            kefu: kefuExtension(summary),
          };
        }

        // Streaming: from here on the reply is ours; errors go out as an SSE `error` event.
        reply.hijack();
        const raw = reply.raw;
        let gone = false;
        raw.on('close', () => {
          gone = true;
        });
        openaiRateHeaders(reply);
        raw.writeHead(200, {
          // The rate-limit headers set so far: a hijacked reply does not send them by itself.
          ...Object.fromEntries(Object.entries(reply.getHeaders()).filter((h): h is [string, string | number | string[]] => h[1] !== undefined)),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          // Reverse proxies (nginx) would otherwise hold the deltas back.
          'x-accel-buffering': 'no',
          'x-conversation-id': conversation.id,
          'x-request-id': req.id,
        });
        const send = (data: unknown) => {
          if (!gone && !raw.destroyed) raw.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
        };
        const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) => ({
          id,
          object: 'chat.completion.chunk',
          created,
          model: body.model,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
          ...extra,
        });
        // A turn can take a while (knowledge search, a model, an action): comments keep proxies from timing out.
        const keepAlive = setInterval(() => {
          if (!gone && !raw.destroyed) raw.write(': keep-alive\n\n');
        }, 15_000);
        send(chunk({ role: 'assistant', content: '' }));
        // What the client has been shown so far: the deltas, or the replacement it was told to swap in.
        let shown = '';
        try {
          // The turn runs to the end even when the client leaves: the customer's message and the reply are stored.
          const result = await deps.trackInFlight(() =>
            runThreadTurn(ctx, workspace, conversation.id, text, {
              clientMessageId,
              onDelta: (piece) => {
                shown += piece;
                send(chunk({ content: piece }));
              },
              onReplaced: (replacement) => {
                shown = replacement;
                send(chunk({}, null, { kefu: { replaced: { text: replacement } } }));
              },
            }),
          );
          if (result.turn) deps.metrics.observeTurn(result.turn);
          const summary = turnSummary(result, text);
          const content = replyText(summary);
          if (shown === '') {
            // Nothing was generated piece by piece (an offline answer, a flow, a hand-off): one delta per reply.
            summary.replies
              .filter((r) => r.text)
              .forEach((r, i) => {
                send(chunk({ content: i === 0 ? r.text : `\n\n${r.text}` }));
              });
          } else if (content.startsWith(shown)) {
            if (content.length > shown.length) send(chunk({ content: content.slice(shown.length) }));
          } else {
            // The stored replies differ from what was streamed (another reply came first): the client swaps.
            send(chunk({}, null, { kefu: { replaced: { text: content } } }));
          }
          send(chunk({}, 'stop', { kefu: kefuExtension(summary) }));
          if (body.stream_options?.include_usage) {
            const completionTokens = estimateTokens(content);
            send({
              id,
              object: 'chat.completion.chunk',
              created,
              model: body.model,
              choices: [],
              usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
            });
          }
          send('[DONE]');
        } catch (err) {
          const e = toOpenAIError(err as FastifyError, req);
          send({ error: e.body.error });
        } finally {
          clearInterval(keepAlive);
          if (!raw.destroyed) raw.end();
        }
      },
    );
  };

const TextPart = z.looseObject({ type: z.string().min(1).max(64), text: z.string().optional() });
const ChatMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(TextPart).max(100), z.null()]).optional(),
  name: z.string().max(256).optional(),
});
type ChatMessage = z.infer<typeof ChatMessage>;

/** The request body: OpenAI's, plus kefu's conversation keys (`conversation_id`, or `chatId` as FastGPT clients send it). */
const ChatCompletionBody = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z.array(ChatMessage).min(1).max(1000),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().min(1).max(256).optional(),
  conversation_id: z.string().min(1).max(64).optional(),
  chatId: z.string().min(1).max(64).optional(),
});

/** The workspace's bot answers to `kefu` and to `kefu-<workspace slug>` (one bot per workspace, for now). */
function modelIds(workspace: Workspace) {
  return ['kefu', `kefu-${workspace.slug}`];
}

function checkModel(workspace: Workspace, model: string) {
  if (!modelIds(workspace).includes(model))
    throw new OpenAIError(404, `The model '${model}' does not exist; use 'kefu' (GET /v1/models lists them)`, 'model', 'model_not_found');
  return model;
}

function modelDto(id: string, workspace: Workspace) {
  return { id, object: 'model', created: Math.floor(Date.parse(workspace.createdAt) / 1000) || 0, owned_by: workspace.slug };
}

async function workspaceOf(deps: AppDeps, req: FastifyRequest): Promise<Workspace> {
  const workspace = await deps.ctx.store.workspaces.findById(req.principal!.workspaceId);
  if (!workspace) throw new DomainError('AUTH_INVALID_TOKEN', 'the API key is unknown, expired or revoked');
  return workspace;
}

/** The customer's message: the last `user` message. Earlier messages are not replayed (kefu keeps its own history). */
function customerText(messages: ChatMessage[], maxChars: number): string {
  const index = messages.findLastIndex((m) => m.role === 'user');
  if (index < 0) throw new OpenAIError(400, "messages must contain a message with role 'user'", 'messages', 'invalid_value');
  const content = messages[index]!.content;
  const param = `messages[${index}].content`;
  if (Array.isArray(content)) {
    const other = content.findIndex((p) => p.type !== 'text' || typeof p.text !== 'string');
    if (other >= 0) throw new OpenAIError(400, `only text content parts are supported, got '${content[other]!.type}'`, `${param}[${other}]`, 'invalid_value');
  }
  const text = contentText(content).trim();
  if (!text) throw new OpenAIError(400, 'the last user message is empty', param, 'invalid_value');
  if (!text.isWellFormed()) throw new OpenAIError(400, 'the message contains invalid Unicode (a lone surrogate)', param, 'invalid_unicode');
  if ([...text].length > maxChars) throw new OpenAIError(400, `the message is longer than ${maxChars} characters`, param, 'context_length_exceeded');
  return text;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, when sent: 1–255 visible ASCII characters (a UUID, say). */
function idempotencyKeyOf(req: FastifyRequest): string | null {
  const header = req.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(key))
    throw new OpenAIError(400, 'the Idempotency-Key header must be 1–255 visible ASCII characters', 'Idempotency-Key', 'invalid_value');
  return key;
}

/**
 * The turn as the response tells it. A replayed turn (same Idempotency-Key) ran no pipeline now: its
 * decision comes from the stored reply's trace. The same key with another message is refused, as the
 * Idempotency-Key draft says (422), rather than answering a question that was not asked.
 */
function turnSummary(result: InboundMessageResult, text: string): TurnSummary {
  const summary = summarizeTurn(result);
  if (!result.duplicate) return summary;
  if (result.message.text !== text)
    throw new OpenAIError(422, 'this Idempotency-Key was already used with another message; use a new key for a new message', null, 'idempotency_key_reused');
  const decision = result.replies.findLast((r) => r.metadata.trace)?.metadata.trace?.decision;
  if (!decision) return summary;
  return {
    ...summary,
    decision: decision.kind,
    confidence: decision.confidence,
    handoff: summary.handoff ?? (decision.kind === 'handoff' ? { reason: result.conversation.handoffReason ?? decision.reason } : null),
  };
}

function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content
    .map((p) => p.text ?? '')
    .filter(Boolean)
    .join('\n');
}

/** Several replies in one turn (an answer and a follow-up) become one message, as an OpenAI client shows one. */
function replyText(summary: TurnSummary) {
  return summary.replies
    .map((r) => r.text)
    .filter(Boolean)
    .join('\n\n');
}

/** The documented extension field (docs/channel-openai.md): what an OpenAI response has no room for. */
function kefuExtension(summary: TurnSummary) {
  return {
    conversation_id: summary.conversationId,
    status: summary.status,
    decision: summary.decision,
    confidence: summary.confidence,
    sources: summary.sources.map((s) => ({ id: s.id, external_id: s.externalId, title: s.title, kind: s.kind ?? null })),
    handoff: summary.handoff,
    message_ids: summary.replies.map((r) => r.id),
  };
}

/**
 * A rough count, for clients that show usage: a CJK character is about a token, other text about four
 * characters a token. The bot's own model calls are metered separately (usage in the console).
 */
function estimateTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const ch of text) {
    if (/[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]/.test(ch)) cjk++;
    else other++;
  }
  return cjk + Math.ceil(other / 4);
}

/** An error in the OpenAI wire format, raised where the protocol itself is broken (not a domain rule). */
class OpenAIError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null,
    readonly errorCode: string | null,
    readonly type = 'invalid_request_error',
  ) {
    super(message);
  }
}

const TYPE_BY_STATUS: Record<number, string> = {
  401: 'invalid_request_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  429: 'rate_limit_error',
};

function toOpenAIError(err: FastifyError | OpenAIError, req: FastifyRequest): { status: number; body: { error: Record<string, unknown> } } {
  const make = (status: number, message: string, param: string | null, code: string | null, type?: string) => ({
    status,
    body: { error: { message, type: type ?? TYPE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), param, code } },
  });
  if (err instanceof OpenAIError) return make(err.status, err.message, err.param, err.errorCode, err.type);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0]!;
    const param = first.instancePath
      .replace(/^\//, '')
      .split('/')
      .reduce((p, seg) => (seg === '' ? p : /^\d+$/.test(seg) ? `${p}[${seg}]` : p ? `${p}.${seg}` : seg), '');
    const custom = (first.params as { params?: { code?: string } } | undefined)?.params?.code;
    const message = err.validation.map((v) => `${v.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'body'}: ${v.message ?? 'invalid'}`).join('; ');
    return make(400, message, param || null, custom === 'MALFORMED_UNICODE' ? 'invalid_unicode' : 'invalid_value');
  }
  if (err instanceof DomainError) {
    if (err.code === 'AUTH_REQUIRED' || err.code === 'AUTH_INVALID_TOKEN')
      return make(401, 'Incorrect or missing API key: send Authorization: Bearer <kefu API key>', null, 'invalid_api_key');
    if (err.code === 'MESSAGE_TOO_LONG') return make(400, err.message, 'messages', 'context_length_exceeded');
    const status = statusOf(err.code);
    if (status >= 500) req.log.warn({ err }, 'openai request failed');
    const field = typeof err.details.field === 'string' ? err.details.field : null;
    return make(status, err.message, field, err.code.toLowerCase());
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return make(413, 'the request body is too large', null, 'request_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return make(415, 'send Content-Type: application/json', null, 'unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return make(400, 'the request body is not valid JSON', null, 'invalid_json');
  }
  if (err instanceof SyntaxError && /JSON/.test(err.message)) return make(400, 'the request body is not valid JSON', null, 'invalid_json');
  const dbCode = (err as { code?: string }).code;
  if (dbCode === 'SQLITE_BUSY' || dbCode === 'SQLITE_LOCKED' || dbCode === '55P03' || dbCode === '40001' || dbCode === '40P01') {
    req.log.warn({ err }, 'database busy');
    return make(503, 'the database is busy; retry in a moment', null, 'database_busy', 'server_error');
  }
  if (err.statusCode === 429) return make(429, 'too many requests, slow down', null, 'rate_limit_exceeded');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return make(err.statusCode, err.message, null, 'invalid_request');
  req.log.error({ err }, 'request failed');
  return make(500, `something went wrong; request id ${req.id} identifies it in the server log`, null, 'server_error', 'server_error');
}

/** OpenAI's rate-limit header names (`x-ratelimit-reset-requests` is a duration such as `42s`), copied from @fastify/rate-limit's. */
function openaiRateHeaders(reply: FastifyReply) {
  const limit = reply.getHeader('x-ratelimit-limit');
  if (limit === undefined) return;
  reply.header('x-ratelimit-limit-requests', limit);
  reply.header('x-ratelimit-remaining-requests', reply.getHeader('x-ratelimit-remaining') ?? 0);
  reply.header('x-ratelimit-reset-requests', `${reply.getHeader('x-ratelimit-reset') ?? 0}s`);
}

function openaiErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toOpenAIError(err, req);
  if (status === 503) reply.header('retry-after', '1');
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}
