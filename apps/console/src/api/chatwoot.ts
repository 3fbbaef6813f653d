import type { ChatwootIntegration, ChatwootIntegrationInput } from '@kefu/protocol';
import type { ApiClient } from './client';

/** The Chatwoot agent-bot settings API (docs/channel-chatwoot.md), typed. Every call throws ApiError on non-2xx. */

export type { ChatwootIntegration, ChatwootIntegrationInput };

const path = '/v1/integrations/chatwoot';

export const chatwootApi = {
  /** Throws ApiError `CHATWOOT_NOT_CONFIGURED` (404) while nothing is saved. */
  get: (api: ApiClient, signal?: AbortSignal) => api.get<ChatwootIntegration>(path, undefined, signal),
  /** The access token and signing secret are write-only: leave them out to keep the stored ones; `webhookSecret: null` removes it. */
  save: (api: ApiClient, body: ChatwootIntegrationInput) => api.put<ChatwootIntegration>(path, body),
  /** A new webhook URL; the old one stops working at once. */
  rotateToken: (api: ApiClient) => api.post<ChatwootIntegration>(`${path}/rotate-token`),
  remove: (api: ApiClient) => api.delete<void>(path),
};
