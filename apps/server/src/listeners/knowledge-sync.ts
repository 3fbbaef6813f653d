import type { UseCaseContext } from '../usecases/context.js';
import { reloadKnowledge } from '../usecases/reload-knowledge.js';

/**
 * Keeps the in-memory index in step with the database: a knowledge change rebuilds that workspace.
 * One rebuild runs per workspace at a time; changes arriving meanwhile share a single follow-up
 * rebuild, so a burst of edits costs two rebuilds, never one per edit, and an older rebuild can never
 * install its result over a newer one. Whoever published a change waits until it is searchable.
 */
export function subscribeKnowledgeSync(ctx: UseCaseContext) {
  // Per workspace: the rebuild running now, and the one queued behind it (shared by all who wait).
  const state = new Map<string, { queued: { promise: Promise<void>; resolve: () => void } | null }>();

  const run = async (workspaceId: string) => {
    try {
      const entries = await reloadKnowledge(ctx, workspaceId);
      ctx.log.info({ workspaceId, entries }, 'knowledge index rebuilt');
    } catch (err) {
      // The previous index keeps serving; the next change tries again.
      ctx.log.error({ err, workspaceId }, 'knowledge index rebuild failed');
    }
  };

  const start = (workspaceId: string): Promise<void> =>
    run(workspaceId).finally(() => {
      const s = state.get(workspaceId);
      const queued = s?.queued;
      if (!s || !queued) {
        state.delete(workspaceId);
        return;
      }
      s.queued = null;
      void start(workspaceId).then(queued.resolve);
    });

  const rebuild = (workspaceId: string): Promise<void> => {
    const s = state.get(workspaceId);
    if (!s) {
      state.set(workspaceId, { queued: null });
      return start(workspaceId);
    }
    if (!s.queued) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      s.queued = { promise, resolve };
    }
    return s.queued.promise;
  };

  return ctx.bus.subscribe(async (event) => {
    if (event.type === 'knowledge.changed') await rebuild(event.workspaceId);
  });
}
