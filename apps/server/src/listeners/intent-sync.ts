import type { UseCaseContext } from '../usecases/context.js';
import { loadIntents } from '../usecases/train-intents.js';

/** Every instance reloads a workspace's intents (and a newly trained model) when they change. */
export function subscribeIntentSync(ctx: UseCaseContext) {
  return ctx.bus.subscribe(async (event) => {
    if (event.type !== 'intents.changed') return;
    try {
      await loadIntents(ctx, event.workspaceId);
    } catch (err) {
      ctx.log.error({ err, workspaceId: event.workspaceId }, 'intents reload failed');
    }
  });
}
