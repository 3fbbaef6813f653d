import type { Intent, IntentModelRun } from '../domain/entities.js';
import type { IntentModel } from '../nlu/intent-model.js';

export interface ServingIntentModel {
  run: IntentModelRun;
  model: IntentModel;
}

/** The intent model each workspace serves, and its intents (for their actions). Kept in memory. */
export interface IntentModels {
  serving(workspaceId: string): ServingIntentModel | null;
  intents(workspaceId: string): ReadonlyMap<string, Intent>;
  /** Installs a newly trained model; the previous one served until this call. */
  install(workspaceId: string, serving: ServingIntentModel): void;
  setIntents(workspaceId: string, intents: readonly Intent[]): void;
}
