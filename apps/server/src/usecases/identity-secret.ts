import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decryptSecret, encryptSecret } from '../adapters/auth/secrets.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

/**
 * The workspace's identity-verification secret, created on first use. The customer's site signs a user id
 * with it (`hex(HMAC-SHA256(secret, id))`) so the widget may show that user's earlier conversations.
 */
export async function getIdentitySecret(ctx: UseCaseContext, workspaceId: string): Promise<string> {
  const sealed = await ctx.store.workspaces.identitySecret(workspaceId);
  if (sealed) return decryptSecret(sealed, ctx.config.appSecret);
  if (!(await ctx.store.workspaces.findById(workspaceId))) throw notFound('workspace', workspaceId);
  // Two first uses may race: only one secret is stored, and both read that one back.
  await ctx.store.workspaces.setIdentitySecret(workspaceId, encryptSecret(newIdentitySecret(), ctx.config.appSecret), true);
  return decryptSecret((await ctx.store.workspaces.identitySecret(workspaceId))!, ctx.config.appSecret);
}

/** Replaces the secret: hashes made with the old one stop verifying at once. */
export async function rotateIdentitySecret(ctx: UseCaseContext, workspaceId: string): Promise<string> {
  if (!(await ctx.store.workspaces.findById(workspaceId))) throw notFound('workspace', workspaceId);
  const secret = newIdentitySecret();
  await ctx.store.workspaces.setIdentitySecret(workspaceId, encryptSecret(secret, ctx.config.appSecret));
  return secret;
}

/** Throws IDENTITY_INVALID unless `hash` is the hex HMAC-SHA256 of `externalId` with the workspace's secret. */
export async function verifyIdentity(ctx: UseCaseContext, workspaceId: string, externalId: string | undefined, hash: string): Promise<string> {
  if (!externalId) throw new DomainError('IDENTITY_INVALID', 'an identity hash needs contact.externalId', { field: 'contact.externalId' });
  const expected = identityHash(await getIdentitySecret(ctx, workspaceId), externalId);
  const given = Buffer.from(hash.toLowerCase(), 'utf8');
  const want = Buffer.from(expected, 'utf8');
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new DomainError('IDENTITY_INVALID', 'the identity hash does not match contact.externalId', { field: 'contact.hash' });
  }
  return externalId;
}

export const identityHash = (secret: string, externalId: string) => createHmac('sha256', secret).update(externalId, 'utf8').digest('hex');

const newIdentitySecret = () => `kfi_${randomBytes(32).toString('base64url')}`;
