import type { UseCaseContext } from '../usecases/context.js';
import { loadFlows } from '../usecases/manage-flows.js';

/** Every instance reloads a workspace's flows when they (or the actions they call) change. */
export function subscribeFlowSync(ctx: UseCaseContext) {
  return ctx.bus.subscribe(async (event) => {
    if (event.type !== 'flows.changed') return;
    try {
      await loadFlows(ctx, event.workspaceId);
    } catch (err) {
      ctx.log.error({ err, workspaceId: event.workspaceId }, 'flows reload failed');
    }
  });
}
