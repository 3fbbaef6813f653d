import pino from 'pino';
import { loadConfig } from '../config/load-config.js';
import { type AppDeps, createDeps, LOG_SERIALIZERS, SECRET_PATHS } from '../deps.js';
import type { Workspace } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';

/** CLI commands log to stderr (warnings only unless LOG_LEVEL is set) so stdout stays machine-readable. */
export async function openDeps(): Promise<AppDeps> {
  const config = loadConfig();
  const level = process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn';
  const log = pino({ level, redact: { paths: SECRET_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS }, pino.destination(2));
  return createDeps(config, { log });
}

export async function findWorkspace(deps: AppDeps, slug: string): Promise<Workspace> {
  const ws = await deps.ctx.store.workspaces.findBySlug(slug);
  if (!ws) throw new DomainError('WORKSPACE_NOT_FOUND', `no workspace "${slug}" (create it with: kefu workspace create ${slug})`);
  return ws;
}
