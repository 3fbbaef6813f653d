import type { FieldError, Locale, WorkspaceSettingsPatch, WorkspaceSettingsView } from '@kefu/protocol';

/**
 * The bot settings form: built from what the bot uses (`effective`, defaults filled in), checked as
 * the server checks, and sent as a patch of only what changed, so that saving one field never pins
 * every other one to today's default. Paths are the server's field paths without `body.`.
 */

export const ANSWER_MODES = ['off', 'auto', 'always'] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number];
export const GREETING_LOCALES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];

export const SETTINGS_LIMITS = {
  persona: 2000,
  instructions: 4000,
  greeting: 500,
  forbiddenWord: 100,
  forbiddenWords: 500,
  maxStreak: 20,
  currency: 8,
  maxRefund: 1e9,
} as const;

export interface SettingsForm {
  answers: AnswerMode;
  persona: string;
  instructions: string;
  tools: boolean;
  rewriteQueries: boolean;
  summaries: boolean;
  answerThreshold: number;
  intentThreshold: number;
  angerThreshold: number;
  fallbackStreakHandoff: string;
  negativeStreakHandoff: string;
  handoffOnRegulatorThreat: boolean;
  clarify: boolean;
  llmSentiment: boolean;
  redactPii: boolean;
  forbiddenWords: string[];
  forbidPromises: boolean;
  refundLimitOn: boolean;
  refundMax: string;
  refundCurrency: string;
  greeting: Record<Locale, string>;
  timeZone: string;
}

export type SettingsCheck = 'streak' | 'amount' | 'tooLong' | 'timeZone' | 'required';

export function formFromSettings(view: Pick<WorkspaceSettingsView, 'effective'>): SettingsForm {
  const e = view.effective as Record<string, unknown>;
  const a = obj(e.assistant);
  const g = obj(e.guardrails);
  const greeting = obj(e.greeting);
  const refund = g.refundLimit && typeof g.refundLimit === 'object' ? (g.refundLimit as { maxAmount?: unknown; currency?: unknown }) : null;
  return {
    answers: ANSWER_MODES.find((m) => m === a.answers) ?? 'auto',
    persona: str(a.persona),
    instructions: str(a.instructions),
    tools: bool(a.tools, true),
    rewriteQueries: bool(a.rewriteQueries, true),
    summaries: bool(a.summaries, true),
    answerThreshold: ratio(e.answerThreshold, 0.35),
    intentThreshold: ratio(e.intentThreshold, 0.7),
    angerThreshold: ratio(e.angerThreshold, 0.6),
    fallbackStreakHandoff: String(typeof e.fallbackStreakHandoff === 'number' ? e.fallbackStreakHandoff : 2),
    negativeStreakHandoff: String(typeof e.negativeStreakHandoff === 'number' ? e.negativeStreakHandoff : 3),
    handoffOnRegulatorThreat: bool(e.handoffOnRegulatorThreat, true),
    clarify: bool(e.clarify, true),
    llmSentiment: bool(e.llmSentiment, true),
    redactPii: bool(g.redactPii, true),
    forbiddenWords: Array.isArray(g.forbiddenWords) ? g.forbiddenWords.filter((w): w is string => typeof w === 'string') : [],
    forbidPromises: bool(g.forbidPromises, true),
    refundLimitOn: refund !== null,
    refundMax: refund && typeof refund.maxAmount === 'number' ? String(refund.maxAmount) : '',
    refundCurrency: refund ? str(refund.currency) : '',
    greeting: { 'zh-CN': str(greeting['zh-CN']), 'zh-TW': str(greeting['zh-TW']), en: str(greeting.en) },
    timeZone: str(e.timeZone) || 'Asia/Shanghai',
  };
}

export const settingsFormSignature = (f: SettingsForm) => JSON.stringify(f);

/** What the server would refuse, by path; empty when the form can be saved. */
export function checkSettingsForm(f: SettingsForm, validTimeZone: (tz: string) => boolean = isTimeZone): Map<string, SettingsCheck> {
  const out = new Map<string, SettingsCheck>();
  if (f.persona.trim().length > SETTINGS_LIMITS.persona) out.set('assistant.persona', 'tooLong');
  if (f.instructions.trim().length > SETTINGS_LIMITS.instructions) out.set('assistant.instructions', 'tooLong');
  for (const key of ['fallbackStreakHandoff', 'negativeStreakHandoff'] as const) {
    const n = streak(f[key]);
    if (n === null) out.set(key, 'streak');
  }
  if (f.forbiddenWords.some((w) => w.trim().length > SETTINGS_LIMITS.forbiddenWord)) out.set('guardrails.forbiddenWords', 'tooLong');
  if (f.refundLimitOn) {
    const max = amount(f.refundMax);
    if (max === null) out.set('guardrails.refundLimit.maxAmount', f.refundMax.trim() ? 'amount' : 'required');
    if (f.refundCurrency.trim().length > SETTINGS_LIMITS.currency) out.set('guardrails.refundLimit.currency', 'tooLong');
  }
  for (const l of GREETING_LOCALES) if (f.greeting[l].trim().length > SETTINGS_LIMITS.greeting) out.set(`greeting.${l}`, 'tooLong');
  if (!f.timeZone.trim()) out.set('timeZone', 'required');
  else if (!validTimeZone(f.timeZone.trim())) out.set('timeZone', 'timeZone');
  return out;
}

/** The patch for what changed from `baseline`; empty when nothing did. Call when `checkSettingsForm` found nothing. */
export function patchFromSettingsForm(f: SettingsForm, baseline: SettingsForm): WorkspaceSettingsPatch {
  const patch: WorkspaceSettingsPatch = {};
  const changed = <K extends keyof SettingsForm>(k: K) => JSON.stringify(f[k]) !== JSON.stringify(baseline[k]);

  const assistant: NonNullable<WorkspaceSettingsPatch['assistant']> = {};
  if (changed('answers')) assistant.answers = f.answers;
  if (changed('persona')) assistant.persona = f.persona.trim();
  if (changed('instructions')) assistant.instructions = f.instructions.trim();
  if (changed('tools')) assistant.tools = f.tools;
  if (changed('rewriteQueries')) assistant.rewriteQueries = f.rewriteQueries;
  if (changed('summaries')) assistant.summaries = f.summaries;
  if (Object.keys(assistant).length) patch.assistant = assistant;

  for (const k of ['answerThreshold', 'intentThreshold', 'angerThreshold'] as const) if (changed(k)) patch[k] = f[k];
  for (const k of ['fallbackStreakHandoff', 'negativeStreakHandoff'] as const) if (changed(k)) patch[k] = streak(f[k]) ?? 0;
  for (const k of ['handoffOnRegulatorThreat', 'clarify', 'llmSentiment'] as const) if (changed(k)) patch[k] = f[k];

  const guardrails: NonNullable<WorkspaceSettingsPatch['guardrails']> = {};
  if (changed('redactPii')) guardrails.redactPii = f.redactPii;
  if (changed('forbiddenWords')) guardrails.forbiddenWords = f.forbiddenWords.map((w) => w.trim()).filter(Boolean);
  if (changed('forbidPromises')) guardrails.forbidPromises = f.forbidPromises;
  if (changed('refundLimitOn') || (f.refundLimitOn && (changed('refundMax') || changed('refundCurrency')))) {
    const currency = f.refundCurrency.trim();
    guardrails.refundLimit = f.refundLimitOn ? { maxAmount: amount(f.refundMax) ?? 0, ...(currency ? { currency } : {}) } : null;
  }
  if (Object.keys(guardrails).length) patch.guardrails = guardrails;

  if (changed('greeting')) {
    const entries = GREETING_LOCALES.map((l) => [l, f.greeting[l].trim()] as const).filter(([, v]) => v);
    // No text in any language: back to the built-in greeting.
    patch.greeting = entries.length ? Object.fromEntries(entries) : null;
  }
  if (changed('timeZone')) patch.timeZone = f.timeZone.trim();
  return patch;
}

/**
 * Where a server field error belongs in the form: `body.guardrails.forbiddenWords.3` → the forbidden
 * words, `body.assistant` (the whole object refused) → `assistant`.
 */
export function settingsErrorPath(field: string): string {
  return field
    .replace(/^body\.?/, '')
    .replace(/^(guardrails\.forbiddenWords)\.\d+$/, '$1')
    .replace(/^(guardrails\.refundLimit)$/, '$1.maxAmount');
}

function streak(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,2}$/.test(t)) return null;
  const n = Number(t);
  return n <= SETTINGS_LIMITS.maxStreak ? n : null;
}

function amount(text: string): number | null {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return n <= SETTINGS_LIMITS.maxRefund ? n : null;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
const ratio = (v: unknown, fallback: number) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : fallback);

/** A settings tab's server errors, grouped by the form path each belongs to. */
export function errorsByPath(errors: readonly FieldError[], pathOf: (field: string) => string): Map<string, FieldError[]> {
  const byPath = new Map<string, FieldError[]>();
  for (const e of errors) {
    const path = pathOf(e.field);
    byPath.set(path, [...(byPath.get(path) ?? []), e]);
  }
  return byPath;
}

/** The server errors left once the fields under `cleared` were edited. */
export function withoutPaths(errors: ReadonlyMap<string, FieldError[]>, cleared: readonly string[]): Map<string, FieldError[]> {
  return new Map([...errors].filter(([p]) => !cleared.some((k) => p === k || p.startsWith(`${k}.`))));
}
