import type { AuthorType, MessagePart } from '@kefu/protocol';
import { botMaySpeak, nextStatus } from '../domain/conversation-status.js';
import type { Contact, Conversation, Message, Workspace } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import { assistantSettings } from '../engine/effective-settings.js';
import type { ActionTool, AnswerSink } from '../engine/generate-answer.js';
import { templatePaths } from '../engine/render-template.js';
import { isVip, runTurn, type TurnResult } from '../engine/run-turn.js';
import { TREND_WINDOW } from '../engine/understand.js';
import type { FlowEffect } from '../flows/builtin-actions.js';
import { analyzeSentiment, type SentimentPoint, sentimentPoint, storedSentimentPoint } from '../nlu/analyze-sentiment.js';
import { messageCreated, touchConversation } from './append-message.js';
import type { UseCaseContext } from './context.js';
import { buildHandoffContext } from './handoff-context.js';
import { workspaceActionRunner } from './manage-actions.js';
import { createTicket } from './manage-tickets.js';
import { summarizeConversation, summaryDue } from './summarize-conversation.js';

export interface InboundMessageInput {
  workspace: Workspace;
  conversationId: string;
  text: string;
  clientMessageId?: string | undefined;
  /** Files sent with the text (`attachment` parts); the text is then a caption and may be empty. */
  parts?: MessagePart[] | undefined;
}

export interface InboundMessageResult {
  message: Message;
  replies: Message[];
  conversation: Conversation;
  /** The bot's turn, when it took one: the policy's decision and the trace. */
  turn: TurnResult | null;
  duplicate: boolean;
}

export function assertTextLength(text: string, max: number, field = 'text') {
  if ([...text].length > max) {
    throw new DomainError('MESSAGE_TOO_LONG', `message text is longer than ${max} characters`, { field, limit: max });
  }
}

/**
 * A customer's message: store it, reopen the conversation if it was resolved or closed, and let the bot
 * take a turn when it owns the conversation. The message and the bot's reply are written in one
 * transaction, after the turn ran, so a failed turn stores nothing. A retry with the same
 * clientMessageId returns the first result.
 */
export async function postInboundMessage(ctx: UseCaseContext, input: InboundMessageInput): Promise<InboundMessageResult> {
  assertTextLength(input.text, ctx.config.MESSAGE_MAX_CHARS);
  const result = await ctx.lock.run(input.conversationId, (): Promise<InboundMessageResult> => turnUnderLock(ctx, input));
  // Tickets a flow opened: after the turn is stored and the lock released (the customer is told in the conversation).
  for (const e of result.turn?.effects ?? []) {
    if (e.kind !== 'create_ticket') continue;
    await createTicket(
      ctx,
      { kind: 'bot', workspaceId: input.workspace.id },
      { subject: e.subject, description: e.description, conversationId: input.conversationId, ...(e.priority ? { priority: e.priority } : {}) },
    ).catch((err) => ctx.log.error({ err, conversationId: input.conversationId }, 'ticket not opened'));
  }
  return result;
}

async function turnUnderLock(ctx: UseCaseContext, input: InboundMessageInput): Promise<InboundMessageResult> {
  const previous = await findPrevious(ctx, input);
  if (previous) return previous;
  const conv = await ctx.store.conversations.findById(input.workspace.id, input.conversationId);
  if (!conv) throw notFound('conversation', input.conversationId);

  const now = ctx.clock.now().toISOString();
  const events: DomainEvent[] = [];
  const reopened = conv.status === 'resolved' || conv.status === 'closed';
  const status = reopened ? nextStatus(conv.status, 'reopen') : conv.status;

  const inbound: Message = {
    id: ctx.ids.next(),
    workspaceId: conv.workspaceId,
    conversationId: conv.id,
    authorType: 'contact',
    authorId: conv.contactId,
    text: input.text,
    parts: input.parts ?? [],
    metadata: {},
    clientMessageId: input.clientMessageId ?? null,
    replyToId: null,
    createdAt: now,
  };

  let turn: TurnResult | null = null;
  let contact: Contact | null = null;
  let recent: Message[] = [];
  const stream = answerStream(ctx, conv);
  // A file sent without a caption asks nothing the bot could answer (it does not read files): agents see it.
  const said = input.text.trim() !== '';
  if (botMaySpeak(status) && said) {
    const history = await conversationHistory(ctx, conv);
    recent = history.recent;
    // Flows read the contact (conditions on its attributes, templates), and so does the VIP rule.
    if (ctx.flows.list(conv.workspaceId).length > 0 || input.workspace.settings.vip)
      contact = await ctx.store.contacts.findById(conv.workspaceId, conv.contactId);
    const llm = ctx.llm;
    const tools = llm ? await actionTools(ctx, conv.workspaceId) : [];
    turn = await stream.guard(() =>
      runTurn(
        {
          workspaceId: conv.workspaceId,
          text: input.text,
          conversationLanguage: conv.language,
          answerThreshold: input.workspace.settings.answerThreshold,
          channel: conv.channel,
          settings: input.workspace.settings,
          now: ctx.clock.now(),
          history: history.sentiment,
          fallbackStreak: history.fallbackStreak,
          dialogue: conv.dialogue,
          flowContext: {
            conversationId: conv.id,
            contact: { id: conv.contactId, name: contact?.name ?? null, attributes: contact?.attributes ?? {} },
            conversation: { id: conv.id, channel: conv.channel, language: conv.language },
          },
          answerSink: stream.sink,
          workspaceName: input.workspace.name,
        },
        {
          ...ctx.retrieval,
          intentModels: ctx.intentModels,
          llm: llm ? { ...llm, use: (purpose) => ctx.usage.wrap(llm.model, conv.workspaceId, purpose) } : null,
          flows: ctx.flows,
          runAction: workspaceActionRunner(ctx, conv.workspaceId),
          actionTools: tools,
        },
      ),
    );
  }

  let updated: Conversation = touchConversation(
    { ...conv, status, assigneeId: reopened ? null : conv.assigneeId, ...(reopened ? { queuedAt: null, teamId: null } : {}) },
    inbound,
  );
  if (conv.snoozedUntil) {
    // The customer writing ends a snooze: the conversation is back in its owner's inbox.
    updated = { ...updated, snoozedUntil: null };
    events.push({ type: 'conversation.woke', workspaceId: conv.workspaceId, conversationId: conv.id, reason: 'customer', actor: { type: 'system', id: null } });
  }
  const replies: Message[] = [];
  if (!turn && said) {
    // A person (or no one) owns the conversation: the mood is still followed, for the agent and for reports.
    const sentiment = analyzeSentiment(input.text);
    inbound.metadata = { sentiment: { ...sentimentPoint(sentiment), primary: sentiment.primary } };
  }
  if (turn) {
    const { sentiment, intent } = turn.understanding;
    // Kept with the customer's message: the conversation's mood trend and intent history read it.
    inbound.metadata = {
      language: turn.language,
      sentiment: { ...sentimentPoint(sentiment), primary: sentiment.primary },
      ...(intent ? { intent: { name: intent.name, probability: intent.probability } } : {}),
    };
    updated = { ...updated, language: turn.language, dialogue: turn.dialogue };
    // The trace goes with the last of the bot's messages (the one the decision produced).
    turn.replies.forEach((r, i) => {
      const last = i === turn!.replies.length - 1;
      const reply: Message = {
        // The streamed answer's message keeps the id its frames carried.
        id: r.stream ? stream.answerId : ctx.ids.next(),
        workspaceId: conv.workspaceId,
        conversationId: conv.id,
        authorType: 'bot',
        authorId: null,
        text: r.text,
        parts: r.parts,
        metadata: last ? { trace: turn!.trace, language: turn!.language, kind: turn!.decision.kind } : { language: turn!.language, kind: turn!.decision.kind },
        clientMessageId: null,
        replyToId: inbound.id,
        createdAt: now,
      };
      replies.push(reply);
      updated = touchConversation(updated, reply);
    });
    updated = applyConversationEffects(updated, turn.effects);
    if (turn.decision.kind === 'handoff' && turn.afterHours?.mode === 'ticket') {
      // Nobody can take it now: the bot keeps the conversation and a ticket carries the request.
      const reason = turn.decision.reason === 'flow' ? turn.decision.flowReason : turn.decision.reason;
      turn.effects.push({ kind: 'create_ticket', subject: input.text.slice(0, 80), description: `after hours: ${reason}`, priority: null });
    } else if (turn.decision.kind === 'handoff') {
      const reason = turn.decision.reason === 'flow' ? turn.decision.flowReason : turn.decision.reason;
      const u = turn.understanding;
      const handoff = buildHandoffContext({
        trigger: reason,
        by: 'bot',
        note: turn.decision.reason === 'flow' || turn.decision.reason === 'assistant' ? turn.decision.note : null,
        conversation: updated,
        ...(turn.decision.reason === 'flow'
          ? { flow: { key: turn.decision.flow, step: conv.dialogue?.flow?.stepId ?? 'start', slots: turn.decision.slots } }
          : {}),
        recent,
        current: input.text,
        understanding: { intents: u.intents, sentiment: u.sentiment, trend: u.trend },
        now: ctx.clock.now(),
      });
      const vip = input.workspace.settings.vip;
      // A VIP waits less: their conversation is queued with the VIP priority, never lowered.
      const priority = vip && isVip(contact?.attributes, vip) ? higher(updated.priority, vip.priority ?? 'high') : updated.priority;
      updated = { ...updated, status: nextStatus(updated.status, 'handoff'), handoffReason: reason, handoff, queuedAt: now, priority };
      events.push({
        type: 'handoff.requested',
        workspaceId: conv.workspaceId,
        conversationId: conv.id,
        reason,
        teamId: updated.teamId ?? null,
        actor: { type: 'bot', id: null },
      });
    }
  }

  if (!(await ctx.store.appendToConversation(updated, [inbound, ...replies]))) {
    // Another instance stored the same clientMessageId between our check and our insert.
    const again = await findPrevious(ctx, input);
    if (again) return again;
    throw new DomainError('MESSAGE_DUPLICATE', 'a message with this clientMessageId is being stored', {});
  }

  if (turn && contact) await applyContactEffects(ctx, contact, turn.effects);
  const streamed = turn?.replies.find((r) => r.stream);
  if (streamed?.stream) stream.end(streamed.stream, streamed.text);
  events.unshift(messageCreated(inbound), ...replies.map(messageCreated));
  events.push({
    type: 'conversation.updated',
    workspaceId: conv.workspaceId,
    conversation: updated,
    from: updated.status !== conv.status ? conv.status : null,
  });
  await ctx.bus.publish(events);
  // Every few turns the model brings the conversation's summary up to date, off the customer's path.
  if (turn && ctx.llm && assistantSettings(input.workspace.settings).summaries && summaryDue(turn.dialogue)) {
    void summarizeConversation(ctx, input.workspace, conv.id).catch((err) => ctx.log.warn({ err, conversationId: conv.id }, 'conversation summary failed'));
  }
  return { message: inbound, replies, conversation: updated, turn, duplicate: false };
}

/**
 * A generated answer's frames, published as the model writes (nothing is stored until the turn ends).
 * The stored message takes `answerId`. If the turn fails after text was streamed, `end` tells clients
 * to drop it.
 */
function answerStream(ctx: UseCaseContext, conv: Conversation) {
  const answerId = ctx.ids.next();
  let seq = 0;
  let state: 'idle' | 'open' | 'ended' = 'idle';
  const base = { type: 'answer.streamed' as const, workspaceId: conv.workspaceId, conversationId: conv.id, answerId };
  const publish = (e: Extract<DomainEvent, { type: 'answer.streamed' }>) =>
    void ctx.bus.publish([e]).catch((err) => ctx.log.warn({ err, conversationId: conv.id }, 'answer frame not published'));
  const end = (status: 'done' | 'replaced', text: string) => {
    if (state !== 'open') return;
    state = 'ended';
    publish({ ...base, phase: 'end', seq: seq++, text, status });
  };
  const sink: AnswerSink = {
    start(locale) {
      state = 'open';
      publish({ ...base, phase: 'start', seq: seq++, text: '', language: locale });
    },
    delta(text) {
      if (state === 'open') publish({ ...base, phase: 'delta', seq: seq++, text });
    },
  };
  return {
    answerId,
    sink,
    end,
    async guard<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await fn();
      } catch (err) {
        end('replaced', '');
        throw err;
      }
    },
  };
}

/** The workspace's actions the model may run, with the `{{args.*}}` their templates use. */
async function actionTools(ctx: UseCaseContext, workspaceId: string): Promise<ActionTool[]> {
  const actions = (await ctx.store.actions.list(workspaceId)).filter((a) => a.llmTool);
  return actions.map((a) => {
    const cfg = a.config as { url?: string; headers?: Record<string, string>; body?: unknown };
    const text = [cfg.url ?? '', ...Object.values(cfg.headers ?? {}), JSON.stringify(cfg.body ?? null)].join(' ');
    const args = [
      ...new Set(
        templatePaths(text)
          .filter((p) => p.startsWith('args.'))
          .map((p) => p.slice(5)),
      ),
    ];
    return { key: a.key, description: a.description, args };
  });
}

/**
 * What the turn needs from earlier in the conversation, back to the last time a person replied (a
 * handback starts afresh, so an old streak cannot hand the conversation straight back): the sentiment
 * kept with the customer's last messages, oldest first, and how many of the bot's last replies in a row
 * could not answer.
 */
async function conversationHistory(
  ctx: UseCaseContext,
  conv: Conversation,
): Promise<{ sentiment: SentimentPoint[]; fallbackStreak: number; recent: Message[] }> {
  const recent = await ctx.store.messages.recent(conv.workspaceId, conv.id, 3 * TREND_WINDOW);
  const points: SentimentPoint[] = [];
  let fallbackStreak = 0;
  let answered = false;
  for (const m of recent) {
    if (m.authorType === 'agent') break;
    if (m.authorType === 'bot' && !answered) {
      const reason = m.metadata.trace?.decision.reason;
      if (reason === 'low_confidence' || reason === 'no_candidates') fallbackStreak++;
      else if (m.metadata.trace) answered = true;
    }
    if (m.authorType !== 'contact' || points.length >= TREND_WINDOW - 1) continue;
    const point = storedSentimentPoint(m.metadata.sentiment);
    if (point)
      points.push({
        label: point.label,
        polarity: point.polarity,
        anger: point.anger,
        regulatorThreat: point.regulatorThreat,
        repeatedComplaint: point.repeatedComplaint,
      });
  }
  return { sentiment: points.reverse(), fallbackStreak, recent };
}

/** Tags and priority a flow's built-in actions set; saved with the turn. */
function applyConversationEffects(conv: Conversation, effects: readonly FlowEffect[]): Conversation {
  let out = conv;
  for (const e of effects) {
    if (e.kind === 'add_tag' && !out.tags.includes(e.tag)) out = { ...out, tags: [...out.tags, e.tag].slice(0, 50) };
    if (e.kind === 'set_priority') out = { ...out, priority: e.priority };
  }
  return out;
}

/** Contact attributes a flow set (set_contact_attribute). */
async function applyContactEffects(ctx: UseCaseContext, contact: Contact, effects: readonly FlowEffect[]) {
  const set = effects.filter((e) => e.kind === 'set_contact_attribute');
  if (set.length === 0) return;
  const attributes = { ...contact.attributes };
  for (const e of set) attributes[e.name] = e.value;
  await ctx.store.contacts.update({ ...contact, attributes, updatedAt: ctx.clock.now().toISOString() });
}

async function findPrevious(ctx: UseCaseContext, input: InboundMessageInput): Promise<InboundMessageResult | null> {
  if (!input.clientMessageId) return null;
  const authorType: AuthorType = 'contact';
  const existing = await ctx.store.messages.findByClientId(input.conversationId, authorType, input.clientMessageId);
  if (!existing || existing.workspaceId !== input.workspace.id) return null;
  const conv = await ctx.store.conversations.findById(input.workspace.id, input.conversationId);
  if (!conv) throw notFound('conversation', input.conversationId);
  const replies = await ctx.store.messages.findReplies(conv.id, existing.id);
  return { message: existing, replies, conversation: conv, turn: null, duplicate: true };
}

const RANK = { low: 0, normal: 1, high: 2, urgent: 3 } as const;
const higher = (a: keyof typeof RANK, b: keyof typeof RANK) => (RANK[b] > RANK[a] ? b : a);
