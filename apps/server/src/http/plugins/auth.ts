import type { Role } from '@kefu/protocol';
import type { FastifyRequest } from 'fastify';
import { type VisitorClaims, verifyVisitorToken } from '../../adapters/auth/secrets.js';
import type { Workspace } from '../../domain/entities.js';
import { DomainError } from '../../domain/errors.js';
import { authenticate } from '../../usecases/authenticate.js';
import type { Principal, UseCaseContext } from '../../usecases/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    visitor?: VisitorClaims & { workspace: Workspace };
  }
}

const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim() || null;
  return null;
}

/** onRequest hook (before body parsing and validation): a member session or API key of at least `minRole`; the workspace comes from the token. */
export function requireRole(ctx: UseCaseContext, minRole: Role) {
  return async (req: FastifyRequest) => {
    const token = bearerToken(req);
    if (!token) throw new DomainError('AUTH_REQUIRED', 'send Authorization: Bearer <session token or API key>');
    const principal = await authenticate(ctx, token);
    if (!principal) throw new DomainError('AUTH_INVALID_TOKEN', 'the token is unknown, expired or revoked');
    if (RANK[principal.role] < RANK[minRole]) throw new DomainError('AUTH_FORBIDDEN', `this needs the ${minRole} role or higher`);
    req.principal = principal;
  };
}

/**
 * onRequest hook for the visitor API: a visitor token whose conversation is the one in the URL. A token for
 * another conversation answers 404, as if the conversation did not exist.
 */
export function requireVisitor(ctx: UseCaseContext) {
  return async (req: FastifyRequest) => {
    const token = bearerToken(req);
    if (!token) throw new DomainError('AUTH_REQUIRED', 'send Authorization: Bearer <visitor token>');
    const claims = verifyVisitorToken(token, ctx.config.appSecret, ctx.clock.now().getTime());
    if (!claims) throw new DomainError('AUTH_INVALID_TOKEN', 'the visitor token is invalid or expired');
    const id = (req.params as { id?: string }).id;
    if (id !== undefined && id !== claims.conversationId) throw new DomainError('CONVERSATION_NOT_FOUND', 'conversation not found', { id });
    const workspace = await cachedWorkspace(ctx, claims.workspaceId);
    if (!workspace) throw new DomainError('AUTH_INVALID_TOKEN', 'the visitor token is invalid or expired');
    req.visitor = { ...claims, workspace };
  };
}

const WORKSPACE_TTL_MS = 5_000;
const workspaceCache = new Map<string, { at: number; workspace: Workspace | null }>();

/**
 * Every visitor message needs its workspace (settings such as the answer threshold). A few seconds of
 * caching saves a query per message; a changed setting applies within WORKSPACE_TTL_MS.
 */
/** Drops a workspace from the cache: its settings changed (on this instance or another). */
export function forgetCachedWorkspace(id: string) {
  workspaceCache.delete(id);
}

async function cachedWorkspace(ctx: UseCaseContext, id: string): Promise<Workspace | null> {
  const now = Date.now();
  const hit = workspaceCache.get(id);
  if (hit && now - hit.at < WORKSPACE_TTL_MS) return hit.workspace;
  const workspace = await ctx.store.workspaces.findById(id);
  if (workspaceCache.size > 10_000) workspaceCache.clear();
  workspaceCache.set(id, { at: now, workspace });
  return workspace;
}

export async function workspaceFromWidgetKey(ctx: UseCaseContext, req: FastifyRequest): Promise<Workspace> {
  const header = req.headers['x-kefu-widget-key'];
  const key = (Array.isArray(header) ? header[0] : header) ?? (req.query as { key?: string } | undefined)?.key;
  if (!key) throw new DomainError('WIDGET_KEY_INVALID', 'send the widget key in the X-Kefu-Widget-Key header');
  const ws = await ctx.store.workspaces.findByWidgetKey(key);
  if (!ws) throw new DomainError('WIDGET_KEY_INVALID', 'the widget key is not valid');
  return ws;
}
