import type { Intent, IntentAction } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { OUT_OF_SCOPE } from '../nlu/intent-model.js';
import type { Principal, UseCaseContext } from './context.js';

// A workspace's intents and their training examples. Edits take effect for actions at once; new or
// changed examples need a training run (train-intents.ts), which the console offers after an edit.

export interface IntentInput {
  name: string;
  description?: string;
  examples: string[];
  action?: IntentAction | null;
}

const changed = (ctx: UseCaseContext, workspaceId: string) => ctx.bus.publish([{ type: 'intents.changed', workspaceId }]);

export const listIntents = (ctx: UseCaseContext, p: Principal) => ctx.store.intents.list(p.workspaceId);

export async function getIntent(ctx: UseCaseContext, p: Principal, id: string): Promise<Intent> {
  const intent = await ctx.store.intents.find(p.workspaceId, id);
  if (!intent) throw notFound('intent', id);
  return intent;
}

export async function saveIntent(ctx: UseCaseContext, p: Principal, input: IntentInput, id?: string): Promise<Intent> {
  const existing = id ? await getIntent(ctx, p, id) : null;
  const clash = await ctx.store.intents.findByName(p.workspaceId, input.name);
  if (clash && clash.id !== id) throw new DomainError('INTENT_NAME_TAKEN', `an intent named ${input.name} exists`, { field: 'body.name', id: clash.id });
  if (input.action?.kind === 'faq' && !(await ctx.store.faqs.findById(p.workspaceId, input.action.faqId))) {
    throw new DomainError('VALIDATION_FAILED', 'the FAQ entry does not exist', { field: 'body.action.faqId' });
  }
  const now = ctx.clock.now().toISOString();
  const intent: Intent = {
    id: existing?.id ?? ctx.ids.next(),
    workspaceId: p.workspaceId,
    name: input.name,
    description: input.description ?? existing?.description ?? '',
    examples: dedupe(input.examples),
    action: input.name === OUT_OF_SCOPE ? null : input.action === undefined ? (existing?.action ?? null) : input.action,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await ctx.store.intents.save(intent);
  await changed(ctx, p.workspaceId);
  return intent;
}

export async function deleteIntent(ctx: UseCaseContext, p: Principal, id: string) {
  if (!(await ctx.store.intents.delete(p.workspaceId, id))) throw notFound('intent', id);
  await changed(ctx, p.workspaceId);
}

/** Creates or updates intents by name, merging examples; returns counts. One bad intent does not stop the rest. */
export async function importIntents(ctx: UseCaseContext, workspaceId: string, items: readonly IntentInput[]) {
  let created = 0;
  let updated = 0;
  for (const item of items) {
    const existing = await ctx.store.intents.findByName(workspaceId, item.name);
    const now = ctx.clock.now().toISOString();
    const intent: Intent = {
      id: existing?.id ?? ctx.ids.next(),
      workspaceId: workspaceId,
      name: item.name,
      description: item.description || existing?.description || '',
      examples: dedupe([...(existing?.examples ?? []), ...item.examples]),
      action: item.action ?? existing?.action ?? null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await ctx.store.intents.save(intent);
    if (existing) updated++;
    else created++;
  }
  if (items.length) await changed(ctx, workspaceId);
  return { created, updated };
}

/** Examples compared after trimming and case folding: "Where is my order?" once. */
function dedupe(examples: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of examples) {
    const t = e.trim();
    const key = t.toLowerCase();
    if (t && !seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}
