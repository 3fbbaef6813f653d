import type {
  CannedReply,
  CannedReplyList,
  CreateCannedReplyBody,
  Locale,
  Mention,
  MentionList,
  ReadMentionsBody,
  ReadMentionsResponse,
  RenderedCannedReply,
  UpdateCannedReplyBody,
} from '@kefu/protocol';
import type { ApiClient } from './client';

/** Canned replies and @mentions, typed. Every call throws ApiError on non-2xx. */

export type { CannedReply, Mention, RenderedCannedReply };

export interface CannedReplyQuery {
  q?: string;
  language?: Locale;
  scope?: 'shared' | 'personal';
  limit?: number;
}

export const cannedRepliesApi = {
  list: (api: ApiClient, q: CannedReplyQuery = {}, signal?: AbortSignal) =>
    api.get<CannedReplyList>('/v1/canned-replies', { q: q.q, language: q.language, scope: q.scope, limit: q.limit }, signal),
  create: (api: ApiClient, body: Partial<CreateCannedReplyBody> & Pick<CreateCannedReplyBody, 'shortcut' | 'title' | 'body'>) =>
    api.post<CannedReply>('/v1/canned-replies', body),
  update: (api: ApiClient, id: string, body: UpdateCannedReplyBody) => api.patch<CannedReply>(`/v1/canned-replies/${encodeURIComponent(id)}`, body),
  remove: (api: ApiClient, id: string) => api.delete<void>(`/v1/canned-replies/${encodeURIComponent(id)}`),
  /** Fills the reply's variables for the conversation; nothing is sent. */
  render: (api: ApiClient, id: string, conversationId: string) =>
    api.post<RenderedCannedReply>(`/v1/canned-replies/${encodeURIComponent(id)}/render`, { conversationId }),
};

export const mentionsApi = {
  list: (api: ApiClient, q: { unread?: boolean; limit?: number } = {}, signal?: AbortSignal) =>
    api.get<MentionList>('/v1/me/mentions', { unread: q.unread ? 'true' : undefined, limit: q.limit }, signal),
  read: (api: ApiClient, body: ReadMentionsBody) => api.post<ReadMentionsResponse>('/v1/me/mentions/read', body),
};
