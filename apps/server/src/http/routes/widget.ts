import {
  Conversation,
  FeedbackBody,
  FeedbackResponse,
  IdParams,
  ListMessagesQuery,
  MessagePage,
  SendMessageBody,
  SendMessageResponse,
  StartConversationBody,
  StartConversationResponse,
  WidgetConfig,
  type WorkspaceSettings,
} from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { conversationForVisitor, describeConversation, describeMessages, forVisitor, toMessageDto } from '../../usecases/describe-conversations.js';
import { postInboundMessage } from '../../usecases/post-inbound-message.js';
import { rateAnswer } from '../../usecases/rate-answer.js';
import { getVisitorConversation, listMessages } from '../../usecases/read-conversations.js';
import { startConversation } from '../../usecases/start-conversation.js';
import { requireVisitor, workspaceFromWidgetKey } from '../plugins/auth.js';
import { attachmentLimits } from './attachments.js';

const visitor = [{ visitor: [] }];
const widgetKey = [{ widgetKey: [] }];

/** The public visitor API: what the widget, the demo page and simple integrations call. */
export const widgetRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;

    app.get('/v1/widget/config', { schema: { tags: ['visitor'], security: widgetKey, response: { 200: WidgetConfig } } }, async (req, reply) => {
      // loader.js reads the theme from the customer's page (another origin) with `?key=`: public data, no credentials.
      reply.header('access-control-allow-origin', '*');
      const ws = await workspaceFromWidgetKey(ctx, req);
      const theme = ws.settings.widget?.theme;
      return {
        workspace: { name: ws.name, slug: ws.slug },
        greeting: ws.settings.greeting ?? {},
        suggestions: ws.settings.suggestions ?? {},
        limits: { messageMaxChars: deps.config.MESSAGE_MAX_CHARS, attachments: widgetAttachmentLimits(deps.config) },
        theme: { color: theme?.color ?? '#2f6df6', position: theme?.position ?? 'right', logoUrl: theme?.logoUrl ?? null },
        preChat: widgetPreChat(ws.settings.widget?.preChat),
        proactive: widgetProactive(ws.settings.widget?.proactive),
        csat: { enabled: ws.settings.csat?.enabled ?? true, question: ws.settings.csat?.question ?? {} },
      };
    });

    app.post(
      '/v1/widget/conversations',
      {
        schema: {
          tags: ['visitor'],
          summary: 'Start a conversation; returns a visitor token for it',
          security: widgetKey,
          body: StartConversationBody,
          response: { 201: StartConversationResponse },
        },
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const workspace = await workspaceFromWidgetKey(ctx, req);
        const r = await startConversation(ctx, { workspace, channel: req.body.channel, locale: req.body.locale, contact: req.body.contact });
        return reply.status(201).send({
          conversation: conversationForVisitor(await describeConversation(ctx.store, r.conversation)),
          visitorToken: r.visitorToken,
          messages: r.messages.map((m) => forVisitor(toMessageDto(m))),
        });
      },
    );

    app.get(
      '/v1/widget/conversations/:id',
      { schema: { tags: ['visitor'], security: visitor, params: IdParams, response: { 200: Conversation } }, onRequest: requireVisitor(ctx) },
      async (req) => conversationForVisitor(await getVisitorConversation(ctx, req.visitor!.workspaceId, req.params.id)),
    );

    app.post(
      '/v1/widget/conversations/:id/messages',
      {
        schema: {
          tags: ['visitor'],
          summary: 'Send a customer message; the bot replies in the same response when it owns the conversation',
          security: visitor,
          params: IdParams,
          body: SendMessageBody,
          response: { 200: SendMessageResponse },
        },
        onRequest: requireVisitor(ctx),
      },
      async (req) => {
        const r = await deps.trackInFlight(() =>
          postInboundMessage(ctx, {
            workspace: req.visitor!.workspace,
            conversationId: req.params.id,
            text: req.body.text,
            clientMessageId: req.body.clientMessageId,
          }),
        );
        if (r.turn) deps.metrics.observeTurn(r.turn);
        const [message, ...replies] = (await describeMessages(ctx.store, req.visitor!.workspaceId, [r.message, ...r.replies])).map(forVisitor);
        return { message: message!, replies, conversation: conversationForVisitor(await describeConversation(ctx.store, r.conversation)) };
      },
    );

    app.get(
      '/v1/widget/conversations/:id/messages',
      {
        schema: { tags: ['visitor'], security: visitor, params: IdParams, querystring: ListMessagesQuery, response: { 200: MessagePage } },
        onRequest: requireVisitor(ctx),
      },
      async (req) => {
        const page = await listMessages(ctx, null, req.visitor!.workspaceId, req.params.id, req.query, false);
        return { items: page.items.map(forVisitor), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/v1/widget/conversations/:id/messages/:messageId/feedback',
      {
        schema: {
          tags: ['visitor'],
          summary: 'Rate a bot reply helpful or not helpful',
          security: visitor,
          params: z.object({ id: z.string().min(1).max(64), messageId: z.string().min(1).max(64) }),
          body: FeedbackBody,
          response: { 200: FeedbackResponse },
        },
        onRequest: requireVisitor(ctx),
      },
      async (req) => {
        const f = await rateAnswer(ctx, { workspaceId: req.visitor!.workspaceId, conversationId: req.params.id, messageId: req.params.messageId, ...req.body });
        return { messageId: f.messageId, helpful: f.helpful, comment: f.comment };
      },
    );
  };

/** What the widget checks before uploading (the server checks again, from the file's bytes). */
function widgetAttachmentLimits(config: AppDeps['config']) {
  const { maxBytes, types } = attachmentLimits(config);
  return { maxBytes, types: [...types] };
}

/** The pre-chat form as the widget needs it: null when off (also when it lists no field). */
function widgetPreChat(p: NonNullable<WorkspaceSettings['widget']>['preChat']) {
  if (!p?.enabled) return null;
  const fields = p.fields ?? [
    { key: 'name' as const, required: false },
    { key: 'email' as const, required: true },
  ];
  return { fields, intro: p.intro ?? {} };
}

/** The greeting bubble: null when off or when it has nothing to say. */
function widgetProactive(p: NonNullable<WorkspaceSettings['widget']>['proactive']) {
  if (!p?.enabled || !p.message || !Object.values(p.message).some((t) => t?.trim())) return null;
  return { delaySeconds: p.delaySeconds ?? 10, message: p.message };
}
