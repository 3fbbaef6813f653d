import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HandoffContext, MessagePart } from '@kefu/protocol';
import { decryptSecret, sha256 } from '../adapters/auth/secrets.js';
import { ChatwootApi, type ChatwootApiOptions, type ChatwootMessage } from '../adapters/chatwoot/chatwoot-api.js';
import type { ChatwootIntegration } from '../domain/chatwoot-integration.js';
import { openThread, runThreadTurn, summarizeTurn, type TurnSummary } from './channel-threads.js';
import type { UseCaseContext } from './context.js';

// kefu as a Chatwoot agent bot. Chatwoot posts every event of the bot's inboxes to its `outgoing_url`;
// the customer's messages are answered through Chatwoot's messages API, and a hand-off posts kefu's
// context as a private note and sets the conversation `open`, which puts it in front of agents.

/** A `message_created` delivery, as Chatwoot's `Message#webhook_data` shapes it (the fields kefu reads). */
export interface ChatwootMessageEvent {
  messageId: string;
  content: string;
  /** `incoming` (the customer), `outgoing` (agents and bots), `activity`, `template`. */
  messageType: string;
  private: boolean;
  accountId: number;
  conversationId: number;
  /** `pending` while a bot has it, `open` once agents do. Absent in some older payloads. */
  conversationStatus: string | null;
  inboxId: number | null;
  sender: { id: string | null; name: string | null; email: string | null; type: string | null };
}

/**
 * A `message_updated` delivery of an options message (`content_type: input_select`, as kefu sends quick
 * replies): Chatwoot's widget answers a pick by updating that message with
 * `content_attributes.submitted_values: [{title, value}]`, not by a new message. Any later update of
 * the message (read receipts…) carries the same values again.
 */
export interface ChatwootSelectionEvent {
  /** The options message's id. */
  messageId: string;
  contentType: string | null;
  private: boolean;
  accountId: number;
  conversationId: number;
  conversationStatus: string | null;
  inboxId: number | null;
  /** What the customer picked: the items' `value` (else `title`), in order. */
  submitted: string[];
  /** The conversation's contact (`conversation.meta.sender`): the update's own sender is whoever sent the options. */
  contact: { id: string | null; name: string | null; email: string | null };
}

export type ChatwootDecision =
  | {
      kind: 'ignored';
      reason: 'disabled' | 'not_incoming' | 'private' | 'other_account' | 'other_inbox' | 'not_pending' | 'empty' | 'not_submitted';
    }
  | { kind: 'duplicate' }
  | { kind: 'accepted'; answer: () => Promise<void> };

/** The integration a webhook token belongs to; null when unknown or disabled (the caller says 404 either way). */
export async function findChatwootByToken(ctx: UseCaseContext, token: string): Promise<ChatwootIntegration | null> {
  if (!token || token.length > 200) return null;
  const i = await ctx.store.chatwootIntegrations.findByTokenHash(sha256(token));
  return i?.enabled ? i : null;
}

/** Chatwoot 4.13+ signs deliveries: `X-Chatwoot-Signature: sha256=HMAC-SHA256(secret, "<X-Chatwoot-Timestamp>.<body>")`. */
export function verifyChatwootSignature(
  ctx: UseCaseContext,
  i: ChatwootIntegration,
  raw: string,
  headers: { signature?: string | undefined; timestamp?: string | undefined },
): 'ok' | 'unsigned_ok' | 'invalid' {
  if (!i.webhookSecret) return 'unsigned_ok';
  let secret: string;
  try {
    secret = decryptSecret(i.webhookSecret, ctx.config.appSecret);
  } catch {
    ctx.log.error({ workspaceId: i.workspaceId }, 'chatwoot signing secret cannot be decrypted (APP_SECRET changed?)');
    return 'invalid';
  }
  const ts = headers.timestamp ?? '';
  const given = (headers.signature ?? '').replace(/^sha256=/, '');
  if (!/^\d{1,12}$/.test(ts) || !/^[0-9a-f]{64}$/i.test(given)) return 'invalid';
  // A captured delivery replayed later is refused: the timestamp is inside the signed text.
  if (Math.abs(ctx.clock.now().getTime() / 1000 - Number(ts)) > SIGNATURE_TOLERANCE_S) return 'invalid';
  const expected = createHmac('sha256', secret).update(`${ts}.${raw}`).digest();
  const got = Buffer.from(given, 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected) ? 'ok' : 'invalid';
}

const SIGNATURE_TOLERANCE_S = 300;

/**
 * What to do with a customer's message: ignored (outgoing, private notes, other inboxes, conversations
 * agents already have), a redelivery of one already taken on, or accepted, with the work to do after the
 * webhook was answered. The message id is claimed here, before answering, so a redelivery arriving while
 * the first is still being answered is not answered again.
 */
export async function acceptChatwootMessage(
  ctx: UseCaseContext,
  i: ChatwootIntegration,
  e: ChatwootMessageEvent,
  opts: ChatwootApiOptions = {},
): Promise<ChatwootDecision> {
  if (!i.enabled) return { kind: 'ignored', reason: 'disabled' };
  if (e.messageType !== 'incoming') return { kind: 'ignored', reason: 'not_incoming' };
  if (e.private) return { kind: 'ignored', reason: 'private' };
  const outside = outsideBot(i, e);
  if (outside) return outside;
  const text = e.content.trim();
  if (!text) return { kind: 'ignored', reason: 'empty' };
  if (!(await ctx.store.chatwootIntegrations.claimMessage(i.workspaceId, e.messageId, ctx.clock.now().toISOString()))) return { kind: 'duplicate' };
  return { kind: 'accepted', answer: () => answerChatwootMessage(ctx, i, { ...e, content: text }, opts) };
}

/**
 * The customer's pick of an options message, taken as their answer: the picked item's value goes
 * through the turn as if they had typed it. Updates that carry no pick (status changes, edits, other
 * content types) are ignored; the pick is claimed under its own key (`<message id>:submitted`), so the
 * same values arriving again with a later update of the message are answered once.
 */
export async function acceptChatwootSelection(
  ctx: UseCaseContext,
  i: ChatwootIntegration,
  e: ChatwootSelectionEvent,
  opts: ChatwootApiOptions = {},
): Promise<ChatwootDecision> {
  if (!i.enabled) return { kind: 'ignored', reason: 'disabled' };
  if (e.contentType !== 'input_select' || e.submitted.length === 0) return { kind: 'ignored', reason: 'not_submitted' };
  if (e.private) return { kind: 'ignored', reason: 'private' };
  const outside = outsideBot(i, e);
  if (outside) return outside;
  const text = e.submitted[0]!.trim();
  if (!text) return { kind: 'ignored', reason: 'empty' };
  const messageId = `${e.messageId}:submitted`;
  if (!(await ctx.store.chatwootIntegrations.claimMessage(i.workspaceId, messageId, ctx.clock.now().toISOString()))) return { kind: 'duplicate' };
  const answer: ChatwootMessageEvent = {
    messageId,
    content: text,
    messageType: 'incoming',
    private: false,
    accountId: e.accountId,
    conversationId: e.conversationId,
    conversationStatus: e.conversationStatus,
    inboxId: e.inboxId,
    sender: { ...e.contact, type: 'contact' },
  };
  return { kind: 'accepted', answer: () => answerChatwootMessage(ctx, i, answer, opts) };
}

/** Deliveries that are not the bot's to answer: another account or inbox, or a conversation agents have. */
function outsideBot(
  i: ChatwootIntegration,
  e: { accountId: number; inboxId: number | null; conversationStatus: string | null },
): Extract<ChatwootDecision, { kind: 'ignored' }> | null {
  if (e.accountId !== i.accountId) return { kind: 'ignored', reason: 'other_account' };
  if (e.inboxId !== null && e.inboxId !== i.inboxId) return { kind: 'ignored', reason: 'other_inbox' };
  // Agents have it (they opened it, or kefu handed it over): the bot keeps out of their conversation.
  if (e.conversationStatus !== null && e.conversationStatus !== 'pending') return { kind: 'ignored', reason: 'not_pending' };
  return null;
}

/** Runs the turn and posts its outcome into the Chatwoot conversation. Failures are logged, never thrown. */
export async function answerChatwootMessage(ctx: UseCaseContext, i: ChatwootIntegration, e: ChatwootMessageEvent, opts: ChatwootApiOptions = {}) {
  const log = ctx.log.child({ workspaceId: i.workspaceId, chatwootConversation: e.conversationId, chatwootMessage: e.messageId });
  try {
    const workspace = await ctx.store.workspaces.findById(i.workspaceId);
    if (!workspace) return;
    let apiAccessToken: string;
    try {
      apiAccessToken = decryptSecret(i.apiAccessToken, ctx.config.appSecret);
    } catch {
      log.error('chatwoot access token cannot be decrypted (APP_SECRET changed?); save it again');
      return;
    }
    const api = new ChatwootApi({ baseUrl: i.baseUrl, accountId: i.accountId, apiAccessToken }, opts);
    const { conversation } = await openThread(ctx, {
      workspace,
      channel: 'chatwoot',
      externalId: `${e.accountId}:${e.conversationId}`,
      contact: {
        ...(e.sender.id ? { externalId: `chatwoot:${e.accountId}:${e.sender.id}` } : {}),
        ...(e.sender.name ? { name: e.sender.name.slice(0, 200) } : {}),
        ...(e.sender.email ? { email: e.sender.email.slice(0, 320) } : {}),
      },
    });
    const result = await runThreadTurn(ctx, workspace, conversation.id, e.content, { clientMessageId: `chatwoot:${e.messageId}`.slice(0, 100) });
    const summary = summarizeTurn(result);
    const post = async (what: string, m: ChatwootMessage) => {
      const r = await api.postMessage(e.conversationId, m);
      if (!r.ok) log.error({ status: r.status, error: r.error, attempts: r.attempts, what }, 'chatwoot message not posted');
      return r.ok;
    };
    for (const reply of summary.replies) for (const m of chatwootMessages(reply)) await post('reply', m);
    if (summary.handoff) {
      // This turn handed off: agents get kefu's context first. Otherwise kefu had handed off before and
      // Chatwoot still says pending (the status change failed): only the status is set again.
      if (summary.decision === 'handoff') {
        const stored = await ctx.store.conversations.findById(workspace.id, conversation.id);
        await post('note', { content: handoffNote(summary, stored?.handoff ?? null, stored?.language ?? null), message_type: 'outgoing', private: true });
      }
      const r = await api.toggleStatus(e.conversationId, 'open');
      if (r.ok) log.info({ reason: summary.handoff.reason }, 'chatwoot conversation handed to agents');
      else log.error({ status: r.status, error: r.error, attempts: r.attempts }, 'chatwoot conversation not opened for agents');
    }
  } catch (err) {
    log.error({ err }, 'chatwoot message not answered');
  }
}

/**
 * One kefu reply as Chatwoot messages: the text, with quick replies and buttons as an `input_select`
 * (Chatwoot's options message; each item's value is its title, so a pick comes back as the title —
 * as a `message_updated` with `submitted_values` from Chatwoot's widget, or as a typed message from
 * channels that show the options as text); link buttons and cards become text lines, attachments their
 * URL. Sources are not sent.
 */
export function chatwootMessages(reply: Pick<TurnSummary['replies'][number], 'text' | 'parts'>): ChatwootMessage[] {
  const lines: string[] = reply.text.trim() ? [reply.text] : [];
  const items: { title: string; value: string }[] = [];
  const option = (label: string) => {
    if (items.length < 10 && !items.some((x) => x.title === label)) items.push({ title: label.slice(0, 80), value: label.slice(0, 80) });
  };
  for (const p of reply.parts as MessagePart[]) {
    if (p.type === 'quick_replies') for (const o of p.options) option(o.label);
    else if (p.type === 'buttons' || p.type === 'card') {
      if (p.type === 'card') {
        lines.push([p.title, p.text].filter(Boolean).join('\n'));
        if (p.url) lines.push(p.url);
        if (p.imageUrl) lines.push(p.imageUrl);
      }
      for (const b of p.buttons ?? []) {
        if (b.url && !b.value) lines.push(`${b.label}: ${b.url}`);
        else option(b.label);
      }
    } else if (p.type === 'attachment') lines.push(`${p.name}: ${p.url}`);
  }
  const content = lines.filter(Boolean).join('\n\n');
  if (!content && items.length === 0) return [];
  if (items.length === 0) return [{ content, message_type: 'outgoing', private: false }];
  return [{ content: content || '…', message_type: 'outgoing', private: false, content_type: 'input_select', content_attributes: { items } }];
}

const NOTE_TEXT = {
  'zh-CN': { title: 'kefu 转人工', reason: '原因', summary: '摘要', intents: '意图', customer: '客户最近的消息', none: '无' },
  'zh-TW': { title: 'kefu 轉人工', reason: '原因', summary: '摘要', intents: '意圖', customer: '客戶最近的訊息', none: '無' },
  en: { title: 'kefu hand-off', reason: 'Reason', summary: 'Summary', intents: 'Intents', customer: "Customer's last messages", none: 'none' },
} as const;

/** The private note agents read in Chatwoot: why kefu handed off, the summary and the intents it saw. */
export function handoffNote(summary: TurnSummary, context: HandoffContext | null, language: string | null): string {
  const t = NOTE_TEXT[language === 'zh-Hans' ? 'zh-CN' : language === 'zh-Hant' ? 'zh-TW' : language === 'en' ? 'en' : 'zh-CN'];
  const intents = context?.intents.length ? context.intents.map((x) => `${x.name} (${Math.round(x.probability * 100)}%)`).join(', ') : t.none;
  const lines = [
    `[${t.title}]`,
    `${t.reason}: ${context?.trigger ?? summary.handoff?.reason ?? t.none}`,
    `${t.summary}: ${context?.summary ?? t.none}`,
    `${t.intents}: ${intents}`,
  ];
  if (context?.customerMessages.length) lines.push(`${t.customer}:`, ...context.customerMessages.map((m) => `- ${m}`));
  return lines.join('\n');
}
