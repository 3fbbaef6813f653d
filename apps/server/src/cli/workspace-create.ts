import { randomBytes } from 'node:crypto';
import { createWorkspace } from '../usecases/create-workspace.js';
import { openDeps } from './open-deps.js';

export async function runWorkspaceCreate(slug: string, opts: { name?: string; ownerEmail?: string }) {
  const deps = await openDeps();
  try {
    const password = opts.ownerEmail ? randomBytes(9).toString('base64url') : null;
    const { workspace, owner } = await createWorkspace(deps.ctx, {
      slug,
      name: opts.name ?? slug,
      ...(opts.ownerEmail && password ? { owner: { email: opts.ownerEmail, name: opts.ownerEmail.split('@')[0] ?? 'owner', password } } : {}),
    });
    process.stdout.write(`workspace ${workspace.slug} created\nwidget key: ${workspace.widgetKey}\n`);
    if (owner) process.stdout.write(`owner: ${owner.email}\npassword: ${password}\n`);
  } finally {
    await deps.close();
  }
}
