import type { Locale } from '@kefu/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import type { Workspace } from '../../domain/entities.js';
import { notFound } from '../../domain/errors.js';
import { openThread, runThreadTurn, summarizeTurn } from '../../usecases/channel-threads.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { measureTurnUsage, type TurnUsage } from '../../usecases/measure-turn-usage.js';
import { assertTextLength, type InboundMessageResult } from '../../usecases/post-inbound-message.js';
import { rateAnswer } from '../../usecases/rate-answer.js';
import { findUserMessage, findUserThread, listUserThreads, ratingsOf, readThreadHistory, sourceSnippets } from '../../usecases/user-threads.js';
import { withdrawAnswerRating } from '../../usecases/withdraw-answer-rating.js';
import {
  answerText,
  chatMetadata,
  DifyChatBody,
  DifyConversationsQuery,
  DifyFeedbackBody,
  DifyMessagesQuery,
  difyError,
  difyErrorHandler,
  exchangeId,
  exchangesOf,
  primaryReply,
  retrieverResources,
  sourcesOf,
  unixSeconds,
} from '../dify-wire.js';
import { requireRole } from '../plugins/auth.js';

const tags = ['dify'];
const security = [{ bearer: [] }];
const LOCALES: readonly string[] = ['zh-CN', 'zh-TW', 'en'];
/** Dify sends a ping every 10 s so proxies keep a slow answer's connection open. */
const PING_MS = 10_000;

/**
 * Dify's service API (chat apps), registered under `/dify/v1`: a Dify client's base URL becomes
 * `http://host/dify/v1`. Errors are Dify's `{ code, message, status }`, not problem+json, because
 * Dify SDKs read those fields. See docs/channel-dify.md.
 */
export const difyRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.setErrorHandler(difyErrorHandler);
    app.setNotFoundHandler((req, reply) =>
      reply.status(404).send({ code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}`, status: 404 }),
    );
    const auth = requireRole(ctx, 'agent');

    app.post(
      '/chat-messages',
      { schema: { tags, summary: 'Dify: send a chat message (blocking or streaming)', security, body: DifyChatBody }, onRequest: auth },
      async (req, reply) => {
        const body = req.body;
        // Checked before a conversation is opened, so a refused query leaves nothing behind.
        assertTextLength(body.query, ctx.config.MESSAGE_MAX_CHARS, 'query');
        const workspace = await workspaceOf(ctx, req);
        if (body.conversation_id) await findUserThread(ctx, workspace.id, body.conversation_id, body.user);
        const locale = typeof body.inputs?.locale === 'string' && LOCALES.includes(body.inputs.locale) ? (body.inputs.locale as Locale) : undefined;
        const { conversation } = await openThread(ctx, {
          workspace,
          channel: 'dify',
          conversationId: body.conversation_id || null,
          contact: { externalId: body.user },
          locale,
        });
        const startedAt = Date.now();
        if (body.response_mode === 'streaming') return streamTurn(ctx, req, reply, workspace, conversation.id, body.query, startedAt);
        const { value: result, usage } = await measureTurnUsage(ctx, (c) => runThreadTurn(c, workspace, conversation.id, body.query));
        const end = await turnEnd(ctx, workspace, result, usage, startedAt);
        return {
          event: 'message',
          task_id: req.id,
          id: end.messageId,
          message_id: end.messageId,
          conversation_id: conversation.id,
          mode: 'chat',
          answer: answerText(result.replies),
          metadata: end.metadata,
          created_at: end.createdAt,
        };
      },
    );

    app.get(
      '/conversations',
      { schema: { tags, summary: 'Dify: the user’s conversations, most recent first', security, querystring: DifyConversationsQuery }, onRequest: auth },
      async (req) => {
        const { user, limit, last_id, first_id } = req.query;
        const page = await listUserThreads(ctx, req.principal!.workspaceId, 'dify', user, { limit, lastId: last_id ?? first_id });
        return {
          limit,
          has_more: page.hasMore,
          data: page.items.map((c) => ({
            id: c.id,
            name: c.lastMessagePreview ?? '',
            inputs: {},
            status: 'normal',
            introduction: '',
            created_at: unixSeconds(c.createdAt),
            updated_at: unixSeconds(c.updatedAt),
          })),
        };
      },
    );

    app.get(
      '/messages',
      { schema: { tags, summary: 'Dify: a conversation’s queries and answers, oldest first', security, querystring: DifyMessagesQuery }, onRequest: auth },
      async (req) => {
        const { user, conversation_id, first_id, limit } = req.query;
        const workspace = await workspaceOf(ctx, req);
        await findUserThread(ctx, workspace.id, conversation_id, user);
        const all = exchangesOf(await readThreadHistory(ctx, workspace.id, conversation_id));
        // `first_id` is the oldest message the client has: the page is the `limit` exchanges before it.
        const before = first_id ? all.findIndex((e) => exchangeId(e) === first_id || e.query.id === first_id) : all.length;
        if (before < 0) throw notFound('message', first_id);
        const page = all.slice(Math.max(0, before - limit), before);
        const ids = page.map(exchangeId);
        const ratings = await ratingsOf(ctx, workspace.id, ids);
        const data = [];
        for (const [i, e] of page.entries()) {
          const sources = sourcesOf(e.answers);
          const rating = ratings.get(ids[i]!);
          data.push({
            id: ids[i]!,
            conversation_id,
            inputs: {},
            query: e.query.text,
            answer: answerText(e.answers),
            message_files: [],
            feedback: rating === undefined ? null : { rating: rating ? 'like' : 'dislike' },
            retriever_resources: retrieverResources(workspace, sources, await sourceSnippets(ctx, workspace.id, sources), null),
            agent_thoughts: [],
            status: 'normal',
            error: null,
            created_at: unixSeconds(e.query.createdAt),
          });
        }
        return { limit, has_more: before - limit > 0, data };
      },
    );

    app.post(
      '/messages/:message_id/feedbacks',
      {
        schema: {
          tags,
          summary: 'Dify: rate an answer like or dislike, or withdraw the rating (null)',
          security,
          params: z.object({ message_id: z.string().min(1).max(100) }),
          body: DifyFeedbackBody,
        },
        onRequest: auth,
      },
      async (req) => {
        const { message_id } = req.params;
        const { rating, user, content } = req.body;
        const workspaceId = req.principal!.workspaceId;
        const message = await findUserMessage(ctx, workspaceId, message_id, user);
        if (rating === null) {
          // Dify's way of taking a rating back; success whether or not there was one, as Dify answers.
          await withdrawAnswerRating(ctx, { workspaceId, conversationId: message.conversationId, messageId: message.id });
          return { result: 'success' };
        }
        await rateAnswer(ctx, {
          workspaceId,
          conversationId: message.conversationId,
          messageId: message.id,
          helpful: rating === 'like',
          ...(content ? { comment: content } : {}),
        });
        return { result: 'success' };
      },
    );
  };

async function workspaceOf(ctx: UseCaseContext, req: FastifyRequest): Promise<Workspace> {
  const ws = await ctx.store.workspaces.findById(req.principal!.workspaceId);
  if (!ws) throw notFound('workspace', req.principal!.workspaceId);
  return ws;
}

/** What closes an answer in both modes: the message id, the time, and the metadata with citations and the turn's token usage. */
async function turnEnd(ctx: UseCaseContext, workspace: Workspace, result: InboundMessageResult, usage: TurnUsage, startedAt: number, streamedId?: string) {
  const summary = summarizeTurn(result);
  const sources = sourcesOf(result.replies);
  const resources = retrieverResources(workspace, sources, await sourceSnippets(ctx, workspace.id, sources), summary.confidence);
  const primary = (streamedId ? result.replies.find((r) => r.id === streamedId) : undefined) ?? primaryReply(result.replies);
  // While people own the conversation the bot says nothing: the message id is then the query's.
  const messageId = primary?.id ?? result.message.id;
  const price = { input: ctx.config.LLM_PRICE_INPUT, output: ctx.config.LLM_PRICE_OUTPUT, currency: ctx.config.LLM_PRICE_CURRENCY };
  return {
    messageId,
    createdAt: unixSeconds((primary ?? result.message).createdAt),
    metadata: chatMetadata(summary, resources, { ...usage, latencyMs: Date.now() - startedAt }, price),
  };
}

/**
 * Dify's streaming mode: `data: {...}` lines of `message` events (each piece of a generated answer as it
 * is written, or a whole reply at once), `message_replace` when guardrails replaced what streamed, then
 * `message_end`; a failure once the stream has begun is an `error` event. When the client goes away the
 * turn still finishes and is stored (the customer's message was received), nothing more is written.
 */
async function streamTurn(
  ctx: UseCaseContext,
  req: FastifyRequest,
  reply: FastifyReply,
  workspace: Workspace,
  conversationId: string,
  query: string,
  startedAt: number,
) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': req.id,
  });
  let gone = false;
  raw.on('close', () => {
    gone = true;
  });
  const write = (chunk: string) => {
    if (!gone && !raw.writableEnded) raw.write(chunk);
  };
  const send = (data: Record<string, unknown>) => write(`data: ${JSON.stringify(data)}\n\n`);
  const ping = setInterval(() => write('event: ping\n\n'), PING_MS);
  const createdAt = Math.floor(startedAt / 1000);
  let streamedId: string | undefined;
  let sent = '';
  const base = (messageId: string) => ({ task_id: req.id, id: messageId, message_id: messageId, conversation_id: conversationId, created_at: createdAt });
  try {
    const { value: result, usage } = await measureTurnUsage(ctx, (c) =>
      runThreadTurn(c, workspace, conversationId, query, {
        onDelta: (text, answerId) => {
          streamedId ??= answerId;
          sent += text;
          send({ event: 'message', ...base(answerId), answer: text });
        },
        onReplaced: (text, answerId) => {
          sent = text;
          send({ event: 'message_replace', ...base(answerId), answer: text });
        },
      }),
    );
    const end = await turnEnd(ctx, workspace, result, usage, startedAt, streamedId);
    // Replies that did not stream (offline answers, a flow's messages) arrive whole, joined as in blocking mode.
    const rest = result.replies.filter((r) => r.id !== streamedId);
    for (const [i, r] of rest.entries()) {
      const separated = (sent || i > 0 ? '\n\n' : '') + r.text;
      send({ event: 'message', ...base(end.messageId), answer: separated });
    }
    send({ event: 'message_end', ...base(end.messageId), metadata: end.metadata });
  } catch (err) {
    const e = difyError(err, req);
    send({
      event: 'error',
      task_id: req.id,
      message_id: streamedId ?? null,
      conversation_id: conversationId,
      status: e.status,
      code: e.code,
      message: e.message,
    });
  } finally {
    clearInterval(ping);
    if (!raw.writableEnded) raw.end();
  }
  ctx.log.debug({ conversationId, gone }, 'dify stream finished');
}
