import type { IntentModelRun } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import { deserializeIntentModel, type IntentExample } from '../nlu/intent-model.js';
import { trainInBackground } from '../nlu/train-in-background.js';
import type { UseCaseContext } from './context.js';

/** Intents with fewer examples than this are trained but flagged: the model will rarely pick them. */
export const MIN_EXAMPLES = 5;

// Progress is written at most this often (each step of a big training run would otherwise be a write).
const PROGRESS_EVERY_MS = 500;

/**
 * Starts training the workspace's intent model in the background and returns the run at once. The
 * model serving now keeps serving until the new one is ready; a run that fails is recorded with its
 * error and changes nothing else. Progress arrives as `intent_model.progressed` events.
 */
export async function startIntentTraining(ctx: UseCaseContext, workspaceId: string): Promise<{ run: IntentModelRun; done: Promise<void> }> {
  const intents = await ctx.store.intents.list(workspaceId);
  const examples: IntentExample[] = intents.flatMap((i) => i.examples.map((text) => ({ text, intent: i.name })));
  const trainable = intents.filter((i) => i.examples.length > 0);
  if (trainable.length < 2) {
    throw new DomainError('INTENT_TRAINING_INVALID', 'at least two intents with examples are needed to train a model', {
      intents: trainable.length,
    });
  }
  const [last] = await ctx.store.intents.listRuns(workspaceId, 1);
  if (last?.status === 'training') throw new DomainError('INTENT_TRAINING_RUNNING', 'a training run is in progress', { id: last.id });

  const warnings = intents
    .filter((i) => i.examples.length < MIN_EXAMPLES)
    .map((i) => ({ intent: i.name, examples: i.examples.length, message: `${i.name} has ${i.examples.length} examples; add at least ${MIN_EXAMPLES}` }));
  const run: IntentModelRun = {
    id: ctx.ids.next(),
    workspaceId: workspaceId,
    version: (last?.version ?? 0) + 1,
    status: 'training',
    progress: 0,
    report: { intents: trainable.length, examples: examples.length, warnings },
    error: null,
    createdAt: ctx.clock.now().toISOString(),
    finishedAt: null,
  };
  await ctx.store.intents.saveRun(run);
  await ctx.bus.publish([{ type: 'intent_model.progressed', workspaceId: workspaceId, run }]);
  return { run, done: finishTraining(ctx, run, examples) };
}

async function finishTraining(ctx: UseCaseContext, run: IntentModelRun, examples: IntentExample[]): Promise<void> {
  let lastWrite = 0;
  const progress = (fraction: number) => {
    const now = Date.now();
    if (now - lastWrite < PROGRESS_EVERY_MS || fraction >= 1) return;
    lastWrite = now;
    const update = { ...run, progress: Math.round(fraction * 100) / 100 };
    void ctx.store.intents
      .saveRun(update)
      .then(() => ctx.bus.publish([{ type: 'intent_model.progressed', workspaceId: run.workspaceId, run: update }]))
      .catch((err) => ctx.log.warn({ err }, 'intent training progress not saved'));
  };
  try {
    const serialized = await trainInBackground(examples, progress);
    const model = deserializeIntentModel(serialized);
    const ready: IntentModelRun = {
      ...run,
      status: 'ready',
      progress: 1,
      report: { ...run.report, c: model.c, temperature: model.temperature, heldOut: model.heldOut, features: model.features.length },
      finishedAt: ctx.clock.now().toISOString(),
    };
    await ctx.store.intents.saveRun(ready, serialized);
    ctx.intentModels.install(run.workspaceId, { run: ready, model });
    ctx.log.info({ workspaceId: run.workspaceId, version: run.version, accuracy: model.heldOut?.accuracy }, 'intent model trained');
    await ctx.bus.publish([
      { type: 'intent_model.progressed', workspaceId: run.workspaceId, run: ready },
      { type: 'intents.changed', workspaceId: run.workspaceId },
    ]);
  } catch (err) {
    const failed: IntentModelRun = {
      ...run,
      status: 'failed',
      error: err instanceof Error ? err.message.slice(0, 500) : String(err),
      finishedAt: ctx.clock.now().toISOString(),
    };
    ctx.log.error({ err, workspaceId: run.workspaceId }, 'intent training failed');
    await ctx.store.intents.saveRun(failed).catch(() => {});
    await ctx.bus.publish([{ type: 'intent_model.progressed', workspaceId: run.workspaceId, run: failed }]);
  }
}

/**
 * Loads what a workspace serves from the database: its intents and its newest ready model. Runs left
 * `training` by a process that stopped are marked failed (`interrupted`) when `atStart` is set.
 */
export async function loadIntents(ctx: UseCaseContext, workspaceId: string, opts: { atStart?: boolean } = {}): Promise<void> {
  const [intents, ready] = await Promise.all([ctx.store.intents.list(workspaceId), ctx.store.intents.latestReady(workspaceId)]);
  ctx.intentModels.setIntents(workspaceId, intents);
  const serving = ctx.intentModels.serving(workspaceId);
  if (ready && serving?.run.id !== ready.run.id) {
    try {
      ctx.intentModels.install(workspaceId, { run: ready.run, model: deserializeIntentModel(ready.model) });
    } catch (err) {
      ctx.log.error({ err, workspaceId, version: ready.run.version }, 'stored intent model unreadable; keeping the previous one');
    }
  }
  if (opts.atStart) {
    for (const r of await ctx.store.intents.listRuns(workspaceId, 5)) {
      if (r.status === 'training') await ctx.store.intents.saveRun({ ...r, status: 'failed', error: 'interrupted', finishedAt: ctx.clock.now().toISOString() });
    }
  }
}
