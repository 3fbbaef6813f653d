import type { CreateFaqBody, FaqEntry, FieldError } from '@kefu/protocol';

/** The FAQ editor's state, as strings the inputs hold, and its conversion to and from the wire. */

export type FaqStatus = FaqEntry['status'];
export type FaqAudience = FaqEntry['audience'];
export type FaqLanguage = 'zh-CN' | 'zh-TW' | 'en';

export const FAQ_STATUSES: readonly FaqStatus[] = ['published', 'draft', 'archived'];
export const FAQ_AUDIENCES: readonly FaqAudience[] = ['public', 'internal'];
export const FAQ_LANGUAGES: readonly FaqLanguage[] = ['zh-CN', 'zh-TW', 'en'];

export interface VariantForm {
  /** Client-side key for React lists; never sent. */
  key: string;
  language: FaqLanguage | '';
  channel: string;
  answer: string;
}

export interface FaqForm {
  externalId: string;
  question: string;
  similar: string[];
  answer: string;
  category: string;
  language: FaqLanguage | '';
  status: FaqStatus;
  tags: string[];
  variants: VariantForm[];
  /** `datetime-local` values (local time, no zone); empty when not set. */
  validFrom: string;
  validUntil: string;
  audience: FaqAudience;
}

let keySeq = 0;
export const newVariant = (): VariantForm => ({ key: `v${++keySeq}`, language: '', channel: '', answer: '' });

export function emptyForm(): FaqForm {
  return {
    externalId: '',
    question: '',
    similar: [],
    answer: '',
    category: '',
    language: '',
    status: 'published',
    tags: [],
    variants: [],
    validFrom: '',
    validUntil: '',
    audience: 'public',
  };
}

const isLanguage = (v: unknown): v is FaqLanguage => v === 'zh-CN' || v === 'zh-TW' || v === 'en';

export function formFromEntry(e: FaqEntry): FaqForm {
  return {
    externalId: e.externalId ?? '',
    question: e.question,
    similar: [...e.similar],
    answer: e.answer,
    category: e.category ?? '',
    language: isLanguage(e.language) ? e.language : '',
    status: e.status,
    tags: [...e.tags],
    variants: e.variants.map((v) => ({ ...newVariant(), language: v.language ?? '', channel: v.channel ?? '', answer: v.answer })),
    validFrom: isoToLocalInput(e.validFrom),
    validUntil: isoToLocalInput(e.validUntil),
    audience: e.audience,
  };
}

/** Trims, drops empty similar questions and repeats: what will be saved, and what "unsaved" compares. */
export function normalizeForm(f: FaqForm): FaqForm {
  return {
    ...f,
    externalId: f.externalId.trim(),
    question: f.question.trim(),
    similar: unique(f.similar.map((s) => s.trim()).filter(Boolean)),
    category: f.category.trim(),
    tags: unique(f.tags.map((s) => s.trim()).filter(Boolean)),
    variants: f.variants.map((v) => ({ ...v, channel: v.channel.trim() })),
  };
}

/** Content without client keys, for "has this changed" comparisons. */
export function formSignature(f: FaqForm) {
  const n = normalizeForm(f);
  return JSON.stringify({ ...n, variants: n.variants.map(({ key: _k, ...v }) => v) });
}

/**
 * The whole content, always: a PATCH that leaves fields out is not safe to rely on (see the report on
 * UpdateFaqBody defaults), and sending everything makes a save mean "this is the entry now".
 * `language` left empty: omitted on create (the server detects it), null on edit (not set).
 */
export function bodyFromForm(f: FaqForm, mode: 'create' | 'edit'): CreateFaqBody {
  const n = normalizeForm(f);
  return {
    externalId: n.externalId || null,
    question: n.question,
    similar: n.similar,
    answer: n.answer,
    category: n.category || null,
    ...(n.language ? { language: n.language } : mode === 'edit' ? { language: null } : {}),
    status: n.status,
    tags: n.tags,
    variants: n.variants.map((v) => ({ ...(v.language ? { language: v.language } : {}), ...(v.channel ? { channel: v.channel } : {}), answer: v.answer })),
    validFrom: localInputToIso(n.validFrom),
    validUntil: localInputToIso(n.validUntil),
    audience: n.audience,
  };
}

export type ClientCheck = 'required' | 'windowOrder' | 'variantTarget';

/** Checks whose words the console can give in the reader's language; the server checks everything again. */
export function checkForm(f: FaqForm): Map<string, ClientCheck> {
  const out = new Map<string, ClientCheck>();
  const n = normalizeForm(f);
  if (!n.question) out.set('question', 'required');
  if (!n.answer.trim()) out.set('answer', 'required');
  const from = localInputToIso(n.validFrom);
  const until = localInputToIso(n.validUntil);
  if (from && until && from >= until) out.set('validUntil', 'windowOrder');
  n.variants.forEach((v, i) => {
    if (!v.language && !v.channel) out.set(`variants.${i}`, 'variantTarget');
    if (!v.answer.trim()) out.set(`variants.${i}.answer`, 'required');
  });
  return out;
}

/** Server field errors by path inside the body: `body.similar.1` → `similar.1`. */
export function fieldErrorsByPath(errors: readonly FieldError[]): Map<string, FieldError[]> {
  const out = new Map<string, FieldError[]>();
  for (const e of errors) {
    const path = e.field.replace(/^body\.?/, '');
    out.set(path, [...(out.get(path) ?? []), e]);
  }
  return out;
}

/** `2025-06-01T08:00:00.000Z` → `2025-06-01T16:00` in the browser's zone (seconds kept when set). */
export function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  return d.getSeconds() ? `${base}:${p(d.getSeconds())}` : base;
}

/** A `datetime-local` value is local time; the API wants an ISO instant. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function unique(items: string[]) {
  return [...new Set(items)];
}
