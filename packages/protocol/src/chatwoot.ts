import { z } from 'zod';

// The Chatwoot agent-bot integration as the console configures it. The access token (and the optional
// signing secret) are write-only: responses only say whether one is set.

const ChatwootId = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be a positive id').max(2_147_483_647, 'is too large');

const Secret = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

/** `PUT /v1/integrations/chatwoot`. Secrets not given keep their value; `webhookSecret: null` removes it. */
export const ChatwootIntegrationInput = z
  .object({
    /** Where Chatwoot runs, e.g. https://chat.example.com (no path: the API paths are added). */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://chat.example.com' }).max(500, 'must be at most 500 characters'),
    accountId: ChatwootId,
    inboxId: ChatwootId,
    /** An agent bot's (or an agent's) access token: sent as `api_access_token` to Chatwoot's API. */
    apiAccessToken: Secret.optional(),
    /** The agent bot's signing secret (Chatwoot 4.13+): when set, every delivery must carry a valid X-Chatwoot-Signature. */
    webhookSecret: Secret.nullable().optional(),
    enabled: z.boolean().default(true),
  })
  .strict();
export type ChatwootIntegrationInput = z.input<typeof ChatwootIntegrationInput>;

export const ChatwootIntegration = z.object({
  baseUrl: z.string(),
  accountId: z.number().int(),
  inboxId: z.number().int(),
  enabled: z.boolean(),
  apiAccessTokenSet: z.boolean(),
  webhookSecretSet: z.boolean(),
  /** Paste into the agent bot's Webhook URL (`outgoing_url`). The token in it is the credential: keep it private. */
  webhookUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChatwootIntegration = z.infer<typeof ChatwootIntegration>;
