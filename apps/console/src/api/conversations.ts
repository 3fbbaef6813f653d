import type { Conversation, ConversationStatus, HandoffBody, ReplySuggestions, SnoozeBody, TransferBody } from '@kefu/protocol';
import type { ApiClient } from './client';

/** Ownership and hand-off calls on one conversation (docs/people.md), typed. Every call throws ApiError on non-2xx. */

const path = (id: string) => `/v1/conversations/${encodeURIComponent(id)}`;

export const conversationsApi = {
  /** The caller owns it; 409 CONVERSATION_ASSIGNED_TO_OTHER with `holder` when a colleague does (admins take over). */
  claim: (api: ApiClient, id: string) => api.post<Conversation>(`${path(id)}/claim`),
  /** Back to the bot, explicitly (queued or assigned only). */
  release: (api: ApiClient, id: string) => api.post<Conversation>(`${path(id)}/release`),
  /** Queue it for people with a reason (from the bot; on a queued one, a new reason and priority). */
  handoff: (api: ApiClient, id: string, body: HandoffBody) => api.post<Conversation>(`${path(id)}/handoff`, body),
  /** To a colleague (online or away: 409 AGENT_OFFLINE otherwise) or a team's queue. */
  transfer: (api: ApiClient, id: string, body: TransferBody) => api.post<Conversation>(`${path(id)}/transfer`, body),
  /** Out of the inbox until then (or until the customer writes). */
  snooze: (api: ApiClient, id: string, body: SnoozeBody) => api.post<Conversation>(`${path(id)}/snooze`, body),
  unsnooze: (api: ApiClient, id: string) => api.delete<Conversation>(`${path(id)}/snooze`),
  /** The status menu: queue, resolve, close, reopen to the bot. */
  setStatus: (api: ApiClient, id: string, status: ConversationStatus) => api.patch<Conversation>(path(id), { status }),
  /** Replies for what the customer asked since anyone last answered; nothing is sent. */
  suggestions: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<ReplySuggestions>(`${path(id)}/suggestions`, undefined, signal),
};
