/** A workspace's Chatwoot agent bot: where Chatwoot is, which inbox kefu answers, and the secrets (encrypted). */
export interface ChatwootIntegration {
  workspaceId: string;
  baseUrl: string;
  accountId: number;
  inboxId: number;
  /** `encryptSecret` of the access token kefu sends as `api_access_token`. */
  apiAccessToken: string;
  /** `encryptSecret` of the agent bot's signing secret, when the admin gave one. */
  webhookSecret: string | null;
  /** `encryptSecret` of the token in the webhook URL (shown to admins again). */
  webhookToken: string;
  /** sha256 of that token: how a delivery finds its workspace. */
  webhookTokenHash: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}
