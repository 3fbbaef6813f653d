import type { UseCaseContext } from '../usecases/context.js';
import { reloadKnowledge } from '../usecases/reload-knowledge.js';

/** When embedding failed, the workspace's vectors are retried after this long. */
export const VECTOR_RETRY_MS = 30_000;

/**
 * Keeps the in-memory index in step with the database: a knowledge change rebuilds that workspace.
 * One rebuild runs per workspace at a time; changes arriving meanwhile share a single follow-up
 * rebuild, so a burst of edits costs two rebuilds, never one per edit, and an older rebuild can never
 * install its result over a newer one. Whoever published a change waits until it is searchable.
 */
export function subscribeKnowledgeSync(ctx: UseCaseContext, opts: { vectorRetryMs?: number } = {}) {
  const retries = new Map<string, NodeJS.Timeout>();
  // Per workspace: the rebuild running now, and the one queued behind it (shared by all who wait).
  const state = new Map<string, { queued: { promise: Promise<void>; resolve: () => void } | null }>();

  const run = async (workspaceId: string) => {
    try {
      const { entries, vectors } = await reloadKnowledge(ctx, workspaceId);
      const embedded = vectors.get(workspaceId);
      ctx.log.info({ workspaceId, entries, ...(embedded ? { vectors: embedded.embedded, embeddedNow: embedded.created } : {}) }, 'knowledge index rebuilt');
      clearTimeout(retries.get(workspaceId));
      retries.delete(workspaceId);
      if (embedded?.error) {
        // Texts without a vector are found by BM25 meanwhile; a later attempt fills them in.
        const timer = setTimeout(() => {
          retries.delete(workspaceId);
          void rebuild(workspaceId);
        }, opts.vectorRetryMs ?? VECTOR_RETRY_MS);
        timer.unref();
        retries.set(workspaceId, timer);
      }
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

  const unsubscribe = ctx.bus.subscribe(async (event) => {
    if (event.type === 'knowledge.changed') await rebuild(event.workspaceId);
  });
  return {
    /** Rebuilds a workspace now (coalesced with any rebuild in progress); resolves when it is searchable. */
    rebuild,
    stop() {
      unsubscribe();
      for (const t of retries.values()) clearTimeout(t);
      retries.clear();
    },
  };
}
