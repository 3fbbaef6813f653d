import { hashPassword, newSecret } from '../adapters/auth/secrets.js';
import type { Member, Workspace, WorkspaceSettings } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface CreateWorkspaceInput {
  slug: string;
  name: string;
  settings?: WorkspaceSettings;
  owner?: { email: string; name: string; password: string };
}

/** A workspace with its widget key and, optionally, its first owner. */
export async function createWorkspace(ctx: UseCaseContext, input: CreateWorkspaceInput): Promise<{ workspace: Workspace; owner: Member | null }> {
  if (!SLUG_RE.test(input.slug)) {
    throw new DomainError('WORKSPACE_SLUG_INVALID', 'slug must be 1-64 lower-case letters, digits or hyphens', { field: 'slug' });
  }
  if (await ctx.store.workspaces.findBySlug(input.slug)) {
    throw new DomainError('WORKSPACE_SLUG_TAKEN', `a workspace named ${input.slug} already exists`, { field: 'slug' });
  }
  const now = ctx.clock.now().toISOString();
  const workspace: Workspace = {
    id: ctx.ids.next(),
    slug: input.slug,
    name: input.name,
    widgetKey: newSecret('kfw_'),
    settings: input.settings ?? {},
    createdAt: now,
  };
  const owner: Member | null = input.owner
    ? {
        id: ctx.ids.next(),
        workspaceId: workspace.id,
        email: input.owner.email.toLowerCase(),
        name: input.owner.name,
        role: 'owner',
        passwordHash: await hashPassword(input.owner.password),
        disabled: false,
        createdAt: now,
      }
    : null;
  await ctx.store.transaction(async (tx) => {
    await tx.workspaces.create(workspace);
    if (owner) await tx.members.create(owner);
  });
  ctx.knowledge.load(workspace.id, []);
  return { workspace, owner };
}
