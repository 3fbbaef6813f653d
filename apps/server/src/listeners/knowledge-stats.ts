import type { UseCaseContext } from '../usecases/context.js';

const FLUSH_MS = 5_000;

/**
 * Counts how often each FAQ entry answers a customer. Counting happens off the hot path: the bot's
 * answers are tallied in memory and written every few seconds (and at shutdown) in one go.
 */
export function subscribeKnowledgeStats(ctx: UseCaseContext) {
  // workspace → entry → hits since the last flush
  let pending = new Map<string, Map<string, { hits: number; helpful: number; notHelpful: number; lastHitAt: string | null }>>();
  const unsubscribe = ctx.bus.subscribe((event) => {
    if (event.type !== 'message.created' || event.message.authorType !== 'bot' || event.message.metadata.kind !== 'answer') return;
    const source = event.message.parts.find((p) => p.type === 'sources');
    const cited = source?.type === 'sources' ? source.sources[0] : undefined;
    // Only FAQ entries have counters; document passages are counted with their documents later.
    const entryId = cited && cited.kind !== 'chunk' ? cited.id : undefined;
    if (!entryId) return;
    let ws = pending.get(event.workspaceId);
    if (!ws) pending.set(event.workspaceId, (ws = new Map()));
    const c = ws.get(entryId) ?? { hits: 0, helpful: 0, notHelpful: 0, lastHitAt: null };
    c.hits++;
    c.lastHitAt = event.message.createdAt;
    ws.set(entryId, c);
  });

  const flush = async () => {
    const batch = pending;
    pending = new Map();
    for (const [workspaceId, counts] of batch) {
      try {
        await ctx.store.quality.addCounts(workspaceId, counts);
      } catch (err) {
        // An entry deleted meanwhile (foreign key) or a busy database: counts are statistics, not records.
        ctx.log.warn({ err, workspaceId }, 'answer counts not saved');
      }
    }
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      unsubscribe();
      await flush();
    },
  };
}
