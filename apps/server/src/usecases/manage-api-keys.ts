import type { CreateApiKeyBody } from '@kefu/protocol';
import { newSecret, sha256 } from '../adapters/auth/secrets.js';
import type { ApiKey } from '../domain/entities.js';
import { notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';

export const listApiKeys = (ctx: UseCaseContext, p: Principal) => ctx.store.apiKeys.list(p.workspaceId);

/** The secret is returned once; only its hash and a short prefix are stored. */
export async function createApiKey(ctx: UseCaseContext, p: Principal, body: CreateApiKeyBody): Promise<{ apiKey: ApiKey; secret: string }> {
  const secret = newSecret('kfk_');
  const apiKey: ApiKey = {
    id: ctx.ids.next(),
    workspaceId: p.workspaceId,
    name: body.name,
    role: body.role,
    prefix: secret.slice(0, 10),
    keyHash: sha256(secret),
    createdAt: ctx.clock.now().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await ctx.store.apiKeys.create(apiKey);
  return { apiKey, secret };
}

export async function revokeApiKey(ctx: UseCaseContext, p: Principal, id: string): Promise<ApiKey> {
  const key = await ctx.store.apiKeys.findById(p.workspaceId, id);
  if (!key) throw notFound('api_key', id);
  if (key.revokedAt) return key;
  const at = ctx.clock.now().toISOString();
  await ctx.store.apiKeys.revoke(p.workspaceId, id, at);
  return { ...key, revokedAt: at };
}
