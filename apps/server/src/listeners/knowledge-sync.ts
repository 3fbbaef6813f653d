import type { UseCaseContext } from '../usecases/context.js';
import { reloadKnowledge } from '../usecases/reload-knowledge.js';

/** Keeps the in-memory index in step with the database: a knowledge change rebuilds that workspace. */
export function subscribeKnowledgeSync(ctx: UseCaseContext) {
  return ctx.bus.subscribe(async (event) => {
    if (event.type !== 'knowledge.changed') return;
    const entries = await reloadKnowledge(ctx, event.workspaceId);
    ctx.log.info({ workspaceId: event.workspaceId, entries }, 'knowledge index rebuilt');
  });
}
