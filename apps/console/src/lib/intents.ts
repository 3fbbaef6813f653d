import type { Analysis, Intent, IntentModelRun, Locale } from '@kefu/protocol';
import type { IntentFileFormat } from '../api/intents';

/** Fewer examples than this and the model rarely picks the intent (the server warns at training too). */
export const MIN_EXAMPLES = 5;
export const MAX_EXAMPLES = 2000;
export const MAX_EXAMPLE_CHARS = 500;
export const MAX_NAME_CHARS = 80;
export const MAX_DESCRIPTION_CHARS = 500;
/** The intent whose examples teach the model what is out of scope; it never has an action. */
export const OUT_OF_SCOPE = 'oos';

// Letters (which include CJK), digits and _ - . / — the server's rule (packages/protocol/src/intents.ts).
const NAME_RE = /^[\p{L}\p{N}_\-./]+$/u;

export type NameCheck = 'required' | 'tooLong' | 'pattern';

export function checkIntentName(raw: string): NameCheck | null {
  const name = raw.trim();
  if (!name) return 'required';
  if ([...name].length > MAX_NAME_CHARS) return 'tooLong';
  return NAME_RE.test(name) ? null : 'pattern';
}

export interface ParsedExamples {
  /** Trimmed, blank lines dropped, repeats (ignoring case) dropped: what the server will store. */
  examples: string[];
  duplicates: number;
  /** 1-based line numbers of examples longer than the limit. */
  tooLong: number[];
}

/** One example per line, compared as the server compares them (trimmed, case folded). */
export function parseExamples(text: string): ParsedExamples {
  const seen = new Set<string>();
  const examples: string[] = [];
  const tooLong: number[] = [];
  let duplicates = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (line.length > MAX_EXAMPLE_CHARS) tooLong.push(i + 1);
    const key = line.toLowerCase();
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    examples.push(line);
  });
  return { examples, duplicates, tooLong };
}

/** The format of an intent file, from its name, else from its first lines; null when it cannot tell. */
export function detectIntentFormat(name: string, content: string): IntentFileFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  const text = content.replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/).find((l) => l.trim() && !l.trim().startsWith('#'));
  if (!first) return null;
  if (first.trim().startsWith('{')) return 'jsonl';
  if (/^(version|nlu|intents)\s*:/m.test(text)) return 'yaml';
  if (first.includes(',')) return 'csv';
  return null;
}

export interface HeldOutReport {
  examples: number;
  accuracy: number;
  ece: number;
  perIntent: { intent: string; examples: number; correct: number; confusedWith: { intent: string; count: number }[] }[];
}

export interface RunWarning {
  intent: string;
  examples: number;
  message: string;
}

/** A run's `report`, read defensively (the protocol types it as an open record). */
export interface RunReport {
  intents: number;
  examples: number;
  warnings: RunWarning[];
  c: number | null;
  temperature: number | null;
  features: number | null;
  heldOut: HeldOutReport | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function runReport(run: Pick<IntentModelRun, 'report'>): RunReport {
  const r = run.report ?? {};
  const warnings = Array.isArray(r.warnings)
    ? r.warnings.flatMap((w) => {
        const o = obj(w);
        return o && typeof o.intent === 'string'
          ? [{ intent: o.intent, examples: num(o.examples) ?? 0, message: typeof o.message === 'string' ? o.message : '' }]
          : [];
      })
    : [];
  const h = obj(r.heldOut);
  const heldOut: HeldOutReport | null =
    h && num(h.accuracy) !== null
      ? {
          examples: num(h.examples) ?? 0,
          accuracy: num(h.accuracy) ?? 0,
          ece: num(h.ece) ?? 0,
          perIntent: (Array.isArray(h.perIntent) ? h.perIntent : []).flatMap((p) => {
            const o = obj(p);
            if (!o || typeof o.intent !== 'string') return [];
            const confusedWith = (Array.isArray(o.confusedWith) ? o.confusedWith : []).flatMap((c) => {
              const x = obj(c);
              return x && typeof x.intent === 'string' && num(x.count) ? [{ intent: x.intent, count: num(x.count) ?? 0 }] : [];
            });
            return [{ intent: o.intent, examples: num(o.examples) ?? 0, correct: num(o.correct) ?? 0, confusedWith }];
          }),
        }
      : null;
  return {
    intents: num(r.intents) ?? 0,
    examples: num(r.examples) ?? 0,
    warnings,
    c: num(r.c),
    temperature: num(r.temperature),
    features: num(r.features),
    heldOut,
  };
}

export interface ConfusionRow {
  intent: string;
  examples: number;
  correct: number;
  /** correct / examples; 1 for an intent without held-out examples. */
  accuracy: number;
  mistakes: number;
  /** What its examples were taken for, most often first, with the share of the intent's examples. */
  confusedWith: { intent: string; count: number; share: number }[];
}

/** The held-out evaluation per intent, worst first: lowest accuracy, then most mistakes, then by name. */
export function confusionRows(heldOut: HeldOutReport): ConfusionRow[] {
  return heldOut.perIntent
    .map((p) => {
      const examples = Math.max(0, p.examples);
      const correct = Math.min(examples, Math.max(0, p.correct));
      return {
        intent: p.intent,
        examples,
        correct,
        accuracy: examples > 0 ? correct / examples : 1,
        mistakes: examples - correct,
        confusedWith: [...p.confusedWith]
          .filter((c) => c.count > 0)
          .sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent))
          .map((c) => ({ ...c, share: examples > 0 ? c.count / examples : 0 })),
      };
    })
    .sort((a, b) => a.accuracy - b.accuracy || b.mistakes - a.mistakes || a.intent.localeCompare(b.intent));
}

export type ModelState =
  /** No intent has examples: nothing to train. */
  | { kind: 'empty' }
  /** Intents with examples but no model serving. */
  | { kind: 'untrained' }
  /** A model serves, but intents were edited, added or removed after its run started. */
  | { kind: 'stale'; serving: IntentModelRun; changed: string[]; examplesThen: number; examplesNow: number }
  | { kind: 'current'; serving: IntentModelRun };

/**
 * Whether the serving model was trained on the intents as they are now. A run takes its examples when
 * it starts, so an intent saved after `createdAt`, or different totals than the run's report, mean
 * the model has not seen the current examples.
 */
export function modelState(intents: readonly Intent[], runs: readonly IntentModelRun[]): ModelState {
  const trainable = intents.filter((i) => i.examples.length > 0);
  const serving = runs.find((r) => r.serving && r.status === 'ready') ?? null;
  if (!serving) return trainable.length ? { kind: 'untrained' } : { kind: 'empty' };
  const since = Date.parse(serving.createdAt);
  const changed = intents.filter((i) => Date.parse(i.updatedAt) > since).map((i) => i.name);
  const report = runReport(serving);
  const examplesNow = trainable.reduce((n, i) => n + i.examples.length, 0);
  if (changed.length > 0 || report.examples !== examplesNow || report.intents !== trainable.length) {
    return { kind: 'stale', serving, changed, examplesThen: report.examples, examplesNow };
  }
  return { kind: 'current', serving };
}

/** The later of two views of the same run: a frame and a poll answer may arrive in either order. */
export function newerRun(prev: IntentModelRun | undefined, next: IntentModelRun): IntentModelRun {
  if (!prev || prev.id !== next.id) return next;
  if (prev.status !== 'training') return { ...prev, serving: next.serving };
  if (next.status !== 'training' || next.progress >= prev.progress) return next;
  return prev;
}

/** Puts a run into the list (newest first); a run that starts serving takes the flag from the others. */
export function mergeRun(runs: readonly IntentModelRun[], next: IntentModelRun): IntentModelRun[] {
  const i = runs.findIndex((r) => r.id === next.id);
  const merged = newerRun(runs[i], next);
  const list = i >= 0 ? runs.map((r, j) => (j === i ? merged : r)) : [merged, ...runs];
  const out = merged.serving ? list.map((r) => (r.id === merged.id || !r.serving ? r : { ...r, serving: false })) : list;
  return out.sort((a, b) => b.version - a.version);
}

// As the server's normalizeText: invisible characters dropped, controls made spaces.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

export interface NormalizedMessage {
  /** What the server analyses: NFKC, invisible characters dropped, whitespace runs collapsed, trimmed. */
  text: string;
  /** For each UTF-16 unit of `text`: where the character it came from starts and ends in the original. */
  from: number[];
  to: number[];
}

/**
 * Normalises a message as the server does (normalizeText), remembering where each character came from,
 * so that entity offsets (which refer to the normalised text) can be shown over what was typed.
 */
export function normalizeWithMap(original: string): NormalizedMessage {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let space = -1;
  let at = 0;
  for (const ch of original) {
    const start = at;
    at += ch.length;
    for (const c of ch.normalize('NFKC')) {
      if (INVISIBLE.test(c)) continue;
      if (/\s/.test(c) || CONTROL.test(c)) {
        if (text.length > 0 && space < 0) space = start;
        continue;
      }
      if (space >= 0) {
        text += ' ';
        from.push(space);
        to.push(space + 1);
        space = -1;
      }
      text += c;
      for (let k = 0; k < c.length; k++) {
        from.push(start);
        to.push(at);
      }
    }
  }
  return { text, from, to };
}

export const normalizeMessage = (text: string) => normalizeWithMap(text).text;

export type AnalysisEntity = Analysis['entities'][number];

export interface TextSegment {
  text: string;
  start: number;
  /** Index into the entities, or null for plain text. */
  entity: number | null;
}

/**
 * Splits the message into plain text and entity spans for highlighting. Offsets are trusted when they
 * point at the entity's text; otherwise its text is looked up (the server may have removed invisible
 * characters). Overlapping or missing spans are left out of the text (they are still listed).
 */
export function entitySegments(text: string, entities: readonly AnalysisEntity[]): TextSegment[] {
  const spans: { start: number; end: number; entity: number }[] = [];
  const order = entities.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || b.e.end - a.e.end);
  let cursor = 0;
  for (const { e, i } of order) {
    if (!e.text) continue;
    let start: number;
    if (text.slice(e.start, e.end) === e.text) start = e.start;
    else {
      // Characters the server removed make its offsets smaller than ours, never larger.
      start = text.indexOf(e.text, Math.max(cursor, e.start));
      if (start < 0) start = text.indexOf(e.text, cursor);
    }
    if (start < cursor) continue;
    spans.push({ start, end: start + e.text.length, entity: i });
    cursor = start + e.text.length;
  }
  const out: TextSegment[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start > at) out.push({ text: text.slice(at, s.start), start: at, entity: null });
    out.push({ text: text.slice(s.start, s.end), start: s.start, entity: s.entity });
    at = s.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), start: at, entity: null });
  return out;
}

/**
 * The message as typed, split into plain text and entity spans: entities are placed on the normalised
 * text the server analysed (entitySegments), then mapped back to the characters the customer typed.
 */
export function highlightSegments(original: string, entities: readonly AnalysisEntity[]): TextSegment[] {
  const norm = normalizeWithMap(original);
  const out: TextSegment[] = [];
  let at = 0;
  for (const seg of entitySegments(norm.text, entities)) {
    if (seg.entity === null || seg.text.length === 0) continue;
    const start = norm.from[seg.start]!;
    const end = norm.to[seg.start + seg.text.length - 1]!;
    if (start < at) continue;
    if (start > at) out.push({ text: original.slice(at, start), start: at, entity: null });
    out.push({ text: original.slice(start, end), start, entity: seg.entity });
    at = end;
  }
  if (at < original.length) out.push({ text: original.slice(at), start: at, entity: null });
  return out;
}

/** An entity's normalised value in words: 2026-05-01 09:00, ¥25.00, +8613812345678… */
export function formatEntityValue(value: unknown, locale: Locale): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  const o = obj(value);
  if (!o) return JSON.stringify(value);
  if (typeof o.amount === 'number' && typeof o.currency === 'string') {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: o.currency }).format(o.amount);
    } catch {
      return `${o.amount} ${o.currency}`;
    }
  }
  if (typeof o.e164 === 'string') return o.e164;
  if (typeof o.date === 'string') {
    const when = (x: Record<string, unknown>) => [x.date, x.time].filter((s) => typeof s === 'string').join(' ');
    const end = obj(o.end);
    return end ? `${when(o)} – ${when(end)}` : when(o);
  }
  if (typeof o.value === 'string') return o.value;
  return JSON.stringify(value);
}

/** Case-insensitive search over an intent's name, description and examples. */
export function matchesIntent(intent: Intent, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return intent.name.toLowerCase().includes(q) || intent.description.toLowerCase().includes(q) || intent.examples.some((e) => e.toLowerCase().includes(q));
}
