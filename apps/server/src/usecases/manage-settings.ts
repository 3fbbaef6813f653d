import type { UsageReport, WorkspaceSettingsPatch, WorkspaceSettingsView } from '@kefu/protocol';
import type { WorkspaceSettings } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { effectiveSettings } from '../engine/effective-settings.js';
import { validateBusinessHours } from '../routing/business-hours.js';
import type { UseCaseContext } from './context.js';

const MERGED = new Set(['assistant', 'guardrails', 'entities', 'sla', 'widget', 'csat']);

/** The workspace's settings, with defaults filled in and the language model's state. */
export async function getSettings(ctx: UseCaseContext, workspaceId: string): Promise<WorkspaceSettingsView> {
  const ws = await ctx.store.workspaces.findById(workspaceId);
  if (!ws) throw notFound('workspace', workspaceId);
  return view(ctx, ws.settings);
}

/**
 * Changes settings: given fields replace the stored ones (`assistant`, `guardrails`, `entities`, `sla`, `widget`, `csat` merge
 * key by key), `null` restores the default. Order-number patterns are compiled first: a pattern that
 * is not a valid regular expression is refused, naming it.
 */
export async function updateSettings(ctx: UseCaseContext, workspaceId: string, patch: WorkspaceSettingsPatch): Promise<WorkspaceSettingsView> {
  const ws = await ctx.store.workspaces.findById(workspaceId);
  if (!ws) throw notFound('workspace', workspaceId);
  const next: Record<string, unknown> = { ...ws.settings };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else if (MERGED.has(key)) next[key] = { ...((next[key] as object | undefined) ?? {}), ...(value as object) };
    else next[key] = value;
  }
  const settings = next as WorkspaceSettings;
  (settings.entities?.orderPatterns ?? []).forEach((p, i) => {
    try {
      new RegExp(p.pattern, 'u');
    } catch (err) {
      throw new DomainError('VALIDATION_FAILED', `entities.orderPatterns[${i}].pattern is not a valid regular expression`, {
        field: `body.entities.orderPatterns.${i}.pattern`,
        reason: (err as Error).message,
      });
    }
  });
  if (settings.businessHours) {
    const checked = validateBusinessHours(settings.businessHours);
    if (!checked.ok) {
      const errors = checked.problems.map((p) => ({ field: `body.businessHours${p.path ? `.${p.path}` : ''}`, code: 'VALIDATION_FAILED', message: p.message }));
      throw new DomainError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
    }
  }
  await ctx.store.workspaces.updateSettings(workspaceId, settings);
  await ctx.bus.publish([{ type: 'workspace.changed', workspaceId }]);
  return view(ctx, settings);
}

function view(ctx: UseCaseContext, settings: WorkspaceSettings): WorkspaceSettingsView {
  const llm = ctx.llm;
  return {
    settings,
    effective: effectiveSettings(settings),
    llm: { configured: Boolean(llm), model: llm?.model.model ?? null, circuit: llm?.circuit?.() ?? null },
  };
}

const DAY_MS = 86_400_000;

/** Token use and cost by day, model and purpose; prices per million tokens from LLM_PRICE_INPUT / LLM_PRICE_OUTPUT. */
export async function usageReport(ctx: UseCaseContext, workspaceId: string, q: { from?: string | undefined; to?: string | undefined }): Promise<UsageReport> {
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const to = q.to ?? today;
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  if (from > to) throw new DomainError('VALIDATION_FAILED', 'from is after to', { field: 'query.from' });
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) > 366 * DAY_MS)
    throw new DomainError('VALIDATION_FAILED', 'the range is longer than a year', { field: 'query.from' });
  const price = { input: ctx.config.LLM_PRICE_INPUT, output: ctx.config.LLM_PRICE_OUTPUT, currency: ctx.config.LLM_PRICE_CURRENCY };
  const rows = (await ctx.store.usage.list(workspaceId, from, to)).map(({ workspaceId: _w, ...r }) => ({
    ...r,
    cost: round6((r.inputTokens * price.input + r.outputTokens * price.output) / 1e6),
  }));
  const totals = rows.reduce(
    (t, r) => ({
      calls: t.calls + r.calls,
      failures: t.failures + r.failures,
      inputTokens: t.inputTokens + r.inputTokens,
      outputTokens: t.outputTokens + r.outputTokens,
      cost: round6(t.cost + r.cost),
    }),
    { calls: 0, failures: 0, inputTokens: 0, outputTokens: 0, cost: 0 },
  );
  return { from, to, currency: price.currency, rows, totals };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
