import {
  AgentMessageBody,
  Conversation,
  ConversationEventPage,
  ConversationPage,
  HandoffBody,
  IdParams,
  InboxCounts,
  ListConversationEventsQuery,
  ListConversationsQuery,
  ListMessagesQuery,
  Message,
  MessagePage,
  ReplySuggestions,
  SnoozeBody,
  TransferBody,
  UpdateConversationBody,
} from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { DomainError } from '../../domain/errors.js';
import { changeConversationStatus } from '../../usecases/change-conversation-status.js';
import { describeConversation, describeMessages } from '../../usecases/describe-conversations.js';
import { claimConversation, releaseToBot, requestHandoff, snoozeConversation, transferConversation, wakeConversation } from '../../usecases/handoff.js';
import { postAgentMessage } from '../../usecases/post-agent-message.js';
import { getConversation, inboxCounts, listConversationEvents, listConversations, listMessages } from '../../usecases/read-conversations.js';
import { suggestReplies } from '../../usecases/suggest-replies.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];

export const conversationRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/conversations',
      {
        schema: { tags: ['conversations'], security, querystring: ListConversationsQuery, response: { 200: ConversationPage } },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => listConversations(ctx, req.principal!, req.query),
    );

    app.get(
      '/v1/conversations/:id',
      { schema: { tags: ['conversations'], security, params: IdParams, response: { 200: Conversation } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => getConversation(ctx, req.principal!, req.params.id),
    );

    app.get(
      '/v1/inbox/counts',
      {
        schema: {
          tags: ['conversations'],
          summary: 'How many conversations each inbox view (mine, unassigned, team, all, snoozed) holds for the caller, and per team of theirs',
          security,
          response: { 200: InboxCounts },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => inboxCounts(ctx, req.principal!),
    );

    app.get(
      '/v1/events',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Ownership events of the workspace, oldest first: handoff.requested, conversation.assigned, conversation.transferred, sla.breached…',
          security,
          querystring: ListConversationEventsQuery,
          response: { 200: ConversationEventPage },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => listConversationEvents(ctx, req.principal!, null, req.query),
    );

    app.get(
      '/v1/conversations/:id/events',
      {
        schema: {
          tags: ['conversations'],
          summary: "The conversation's ownership history, oldest first",
          security,
          params: IdParams,
          querystring: ListConversationEventsQuery,
          response: { 200: ConversationEventPage },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => listConversationEvents(ctx, req.principal!, req.params.id, req.query),
    );

    app.post(
      '/v1/conversations/:id/transfer',
      {
        schema: {
          tags: ['conversations'],
          summary:
            "Give the conversation to another agent (online or away) or to a team's queue; the customer is told, a note travels with it. A team with nobody online keeps it queued and says so",
          security,
          params: IdParams,
          body: TransferBody,
          response: { 200: Conversation },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => describeConversation(ctx.store, await transferConversation(ctx, req.principal!, req.params.id, req.body)),
    );

    app.post(
      '/v1/conversations/:id/snooze',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Snooze an assigned conversation until a time (or for minutes): out of the inbox until then or until the customer writes',
          security,
          params: IdParams,
          body: SnoozeBody,
          response: { 200: Conversation },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => describeConversation(ctx.store, await snoozeConversation(ctx, req.principal!, req.params.id, req.body)),
    );

    app.delete(
      '/v1/conversations/:id/snooze',
      {
        schema: { tags: ['conversations'], summary: 'End a snooze now', security, params: IdParams, response: { 200: Conversation } },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => describeConversation(ctx.store, await wakeConversation(ctx, req.principal!, req.principal!.workspaceId, req.params.id)),
    );

    app.get(
      '/v1/conversations/:id/suggestions',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Replies an agent may insert: knowledge entries for what the customer asked last, and a draft by the language model',
          security,
          params: IdParams,
          response: { 200: ReplySuggestions },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => suggestReplies(ctx, req.principal!, req.params.id),
    );
    app.post(
      '/v1/conversations/:id/handoff',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Hand the conversation to people (agents or external systems): the bot stops, it joins the queue with its context',
          security,
          params: IdParams,
          body: HandoffBody,
          response: { 200: Conversation },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => describeConversation(ctx.store, await requestHandoff(ctx, req.principal!, req.params.id, req.body)),
    );
    app.post(
      '/v1/conversations/:id/release',
      {
        schema: { tags: ['conversations'], summary: 'Hand the conversation back to the bot', security, params: IdParams, response: { 200: Conversation } },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => describeConversation(ctx.store, await releaseToBot(ctx, req.principal!, req.params.id)),
    );
    app.post(
      '/v1/conversations/:id/claim',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Take the conversation: 409 with the holder when another agent owns it',
          security,
          params: IdParams,
          response: { 200: Conversation },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => describeConversation(ctx.store, await claimConversation(ctx, req.principal!, req.params.id)),
    );

    app.patch(
      '/v1/conversations/:id',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Change status (assign to me, queue, hand back to the bot, resolve, close)',
          security,
          params: IdParams,
          body: UpdateConversationBody,
          response: { 200: Conversation },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => {
        const updated = await changeConversationStatus(ctx, req.principal!, req.params.id, req.body.status);
        return describeConversation(ctx.store, updated);
      },
    );

    app.get(
      '/v1/conversations/:id/messages',
      {
        schema: { tags: ['conversations'], security, params: IdParams, querystring: ListMessagesQuery, response: { 200: MessagePage } },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => listMessages(ctx, req.principal!, req.principal!.workspaceId, req.params.id, req.query, true),
    );

    app.post(
      '/v1/conversations/:id/messages',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Reply as an agent (takes ownership) or add an internal note',
          security,
          params: IdParams,
          body: AgentMessageBody,
          response: { 200: z.object({ message: Message, conversation: Conversation }) },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => {
        const p = req.principal!;
        if (p.kind !== 'member') throw new DomainError('AUTH_FORBIDDEN', 'agent replies need a member session, not an API key');
        const r = await postAgentMessage(ctx, { workspaceId: p.workspaceId, member: p.member, conversationId: req.params.id, ...req.body });
        const [message] = await describeMessages(ctx.store, p.workspaceId, [r.message]);
        return { message: message!, conversation: await describeConversation(ctx.store, r.conversation) };
      },
    );
  };
