import type { Intent } from '../../domain/entities.js';
import type { IntentModels, ServingIntentModel } from '../../ports/intent-models.js';

export class InMemoryIntentModels implements IntentModels {
  private readonly models = new Map<string, ServingIntentModel>();
  private readonly byName = new Map<string, Map<string, Intent>>();

  serving(workspaceId: string) {
    return this.models.get(workspaceId) ?? null;
  }
  intents(workspaceId: string): ReadonlyMap<string, Intent> {
    return this.byName.get(workspaceId) ?? new Map();
  }
  install(workspaceId: string, serving: ServingIntentModel) {
    this.models.set(workspaceId, serving);
  }
  setIntents(workspaceId: string, intents: readonly Intent[]) {
    this.byName.set(workspaceId, new Map(intents.map((i) => [i.name, i])));
  }
}
