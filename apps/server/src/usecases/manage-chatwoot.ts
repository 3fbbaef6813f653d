import type { ChatwootIntegrationInput } from '@kefu/protocol';
import { decryptSecret, encryptSecret, newSecret, sha256 } from '../adapters/auth/secrets.js';
import type { ChatwootIntegration } from '../domain/chatwoot-integration.js';
import { DomainError } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

// A workspace's Chatwoot agent bot. The access token and the signing secret are encrypted with the app
// secret and never returned; the webhook token (the credential in the URL Chatwoot posts to) is stored
// encrypted to show it again, and hashed to find the workspace from a delivery.

export type ChatwootSettingsInput = Omit<ChatwootIntegrationInput, 'enabled'> & { enabled: boolean };

const notConfigured = () => new DomainError('CHATWOOT_NOT_CONFIGURED', 'Chatwoot is not configured for this workspace', {});

export async function getChatwootIntegration(ctx: UseCaseContext, workspaceId: string): Promise<ChatwootIntegration> {
  const i = await ctx.store.chatwootIntegrations.find(workspaceId);
  if (!i) throw notConfigured();
  return i;
}

export async function saveChatwootIntegration(ctx: UseCaseContext, workspaceId: string, input: ChatwootSettingsInput): Promise<ChatwootIntegration> {
  const existing = await ctx.store.chatwootIntegrations.find(workspaceId);
  if (!existing && !input.apiAccessToken) throw new DomainError('CHATWOOT_INVALID', 'an access token is required', { field: 'body.apiAccessToken' });
  const now = ctx.clock.now().toISOString();
  const token = existing ? null : newWebhookToken();
  const secret = ctx.config.appSecret;
  const saved: ChatwootIntegration = {
    workspaceId,
    // Chatwoot's API paths are appended to it: a trailing slash would double.
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    accountId: input.accountId,
    inboxId: input.inboxId,
    apiAccessToken: input.apiAccessToken ? encryptSecret(input.apiAccessToken, secret) : existing!.apiAccessToken,
    webhookSecret: input.webhookSecret === null ? null : input.webhookSecret ? encryptSecret(input.webhookSecret, secret) : (existing?.webhookSecret ?? null),
    webhookToken: token ? encryptSecret(token, secret) : existing!.webhookToken,
    webhookTokenHash: token ? sha256(token) : existing!.webhookTokenHash,
    enabled: input.enabled,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await ctx.store.chatwootIntegrations.save(saved);
  ctx.log.info({ workspaceId, accountId: saved.accountId, inboxId: saved.inboxId, enabled: saved.enabled }, 'chatwoot integration saved');
  return saved;
}

/** A new webhook URL: the old one stops working at once (paste the new one into Chatwoot). */
export async function rotateChatwootWebhookToken(ctx: UseCaseContext, workspaceId: string): Promise<ChatwootIntegration> {
  const existing = await getChatwootIntegration(ctx, workspaceId);
  const token = newWebhookToken();
  const saved = {
    ...existing,
    webhookToken: encryptSecret(token, ctx.config.appSecret),
    webhookTokenHash: sha256(token),
    updatedAt: ctx.clock.now().toISOString(),
  };
  await ctx.store.chatwootIntegrations.save(saved);
  ctx.log.info({ workspaceId }, 'chatwoot webhook token rotated');
  return saved;
}

export async function deleteChatwootIntegration(ctx: UseCaseContext, workspaceId: string): Promise<void> {
  await getChatwootIntegration(ctx, workspaceId);
  await ctx.store.chatwootIntegrations.delete(workspaceId);
  ctx.log.info({ workspaceId }, 'chatwoot integration deleted');
}

/** The webhook token in the clear, or null when it was encrypted with another APP_SECRET (rotate it). */
export function openWebhookToken(ctx: UseCaseContext, i: ChatwootIntegration): string | null {
  try {
    return decryptSecret(i.webhookToken, ctx.config.appSecret);
  } catch {
    return null;
  }
}

const newWebhookToken = () => newSecret('kfcw_');
