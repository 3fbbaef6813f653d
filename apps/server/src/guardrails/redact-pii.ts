/**
 * Reversible redaction of personal data before text leaves the process (to a language model, a log,
 * a third-party service).
 *
 * `redactPii` replaces e-mail addresses, phone numbers, identity numbers, payment card numbers and
 * (after a cue word) passport numbers with placeholders such as `⟦PHONE_1⟧`; a `PiiVault` remembers
 * which placeholder stands for which original so the model's answer and its tool-call arguments can
 * be restored before they reach the customer or an action. Amounts, dates, order numbers and
 * workspace lookups are kept: the bot needs them to answer.
 *
 * - Detection is `extractEntities` (checksummed IDs and cards, mainland / HK / TW / E.164 phones),
 *   run over windows so that texts longer than its limit are covered to the end, plus a few cheap,
 *   precise patterns it lacks: mainland mobiles written with dots or odd grouping, `0086` prefixes,
 *   international numbers with separators, `name [at] example [dot] com`, Taiwan and Hong Kong
 *   identity numbers (checksummed) and passport numbers after 护照 / 護照 / passport.
 * - Placeholders use the mathematical brackets ⟦ ⟧, which customers do not type, name their kind, and
 *   are numbered per kind and vault. The same value (compared normalised: `138 1234 5678` and
 *   `+86 13812345678` are one phone) gets the same placeholder for the vault's lifetime, so use one
 *   vault per conversation (or rebuild it each turn by redacting the history in order).
 * - `restore` tolerates what a model does to a placeholder it echoes: other brackets (`[PHONE_1]`,
 *   `【PHONE_1】`, `[[PHONE_1]]`), changed case and spacing (`⟦ phone 1 ⟧`), or no brackets at all
 *   (`PHONE_1`). Placeholders the vault does not know are left as they are.
 * - A value written in two spellings restores to the first one the vault saw.
 * - The vault never exposes originals except through `restore`/`restoreDeep`; it serialises (JSON,
 *   `util.inspect`) to placeholders and kinds only, so logging it by mistake leaks nothing.
 */
import { type Entity, type EntityConfig, extractEntities } from '../nlu/extract-entities.js';

export type PiiKind = 'email' | 'phone' | 'id_card' | 'bank_card' | 'passport';

/** One piece of personal data found in a text. */
export interface PiiSpan {
  kind: PiiKind;
  start: number;
  end: number;
  /** text.slice(start, end) */
  text: string;
}

export interface RedactOptions {
  /**
   * `extractEntities(text, …)` already computed by the caller for this exact text (the turn pipeline
   * extracts entities anyway). They are trusted for the part of the text the extractor reads; the
   * rest of a long text is still scanned.
   */
  entities?: readonly Entity[];
  /** The workspace's order patterns and lookups, so a value they claim is not taken for personal data. */
  entityConfig?: EntityConfig;
}

export interface Redaction {
  text: string;
  vault: PiiVault;
}

/** Redacts `text` into `vault` (a new one when omitted) and returns both. */
export function redactPii(text: string, vault: PiiVault = new PiiVault(), opts: RedactOptions = {}): Redaction {
  return { text: vault.redact(text, opts), vault };
}

const LABEL: Record<PiiKind, string> = { email: 'EMAIL', phone: 'PHONE', id_card: 'ID_CARD', bank_card: 'BANK_CARD', passport: 'PASSPORT' };
const KIND_OF_LABEL: Record<string, PiiKind> = { EMAIL: 'email', PHONE: 'phone', IDCARD: 'id_card', BANKCARD: 'bank_card', PASSPORT: 'passport' };

/**
 * A placeholder as a model may echo it: any of ⟦ 〚 【 ［ [ [[ around KIND_n (any case, `_`, `-` or
 * spaces inside), or the bare upper-case form PHONE_1 (lower-case bare words are too likely to be prose).
 */
const ECHO_BRACKETED = /(?:[⟦〚【［]|\[\[?)\s*(EMAIL|PHONE|ID[\s_-]?CARD|BANK[\s_-]?CARD|PASSPORT)[\s_-]?(\d{1,6})\s*(?:[⟧〛】］]|\]\]?)/gi;
const ECHO_BARE = /(?<![A-Za-z0-9_])(EMAIL|PHONE|ID_CARD|BANK_CARD|PASSPORT)_(\d{1,6})(?![A-Za-z0-9_])/g;

/** Placeholders ⇄ originals for one conversation. */
export class PiiVault {
  readonly #byKey = new Map<string, string>();
  readonly #original = new Map<string, { kind: PiiKind; text: string }>();
  readonly #counters = new Map<PiiKind, number>();

  /** Replaces every piece of personal data in `text` with its placeholder. */
  redact(text: string, opts: RedactOptions = {}): string {
    if (typeof text !== 'string' || text === '') return text;
    const spans = findPii(text, opts);
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + this.#placeholderFor(s.kind, s.text);
      at = s.end;
    }
    return out + text.slice(at);
  }

  /** Puts the originals back wherever a placeholder of this vault appears (echo variants tolerated). */
  restore(text: string): string {
    if (typeof text !== 'string' || this.#original.size === 0 || text === '') return text;
    const back = (match: string, label: string, n: string) => {
      const kind = KIND_OF_LABEL[label.toUpperCase().replace(/[\s_-]/g, '')];
      const entry = kind && this.#original.get(placeholder(kind, Number(n)));
      return entry ? entry.text : match;
    };
    return text.replace(ECHO_BRACKETED, back).replace(ECHO_BARE, back);
  }

  /**
   * `restore` applied to every string inside plain objects and arrays (tool-call arguments), returning
   * a copy; other values (numbers, dates, class instances) are returned as they are. Cycles are kept.
   */
  restoreDeep<T>(value: T): T {
    return this.#restoreValue(value, new Map()) as T;
  }

  /** How many distinct values the vault holds. */
  get size(): number {
    return this.#original.size;
  }

  /** The placeholders handed out and their kinds, never the values. */
  entries(): { placeholder: string; kind: PiiKind }[] {
    return [...this.#original].map(([p, { kind }]) => ({ placeholder: p, kind }));
  }

  /** Whether `text` still contains a placeholder this vault knows (e.g. an answer nobody restored). */
  hasPlaceholders(text: string): boolean {
    return this.restore(text) !== text;
  }

  toJSON(): { placeholder: string; kind: PiiKind }[] {
    return this.entries();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `PiiVault(${this.entries()
      .map((e) => e.placeholder)
      .join(', ')})`;
  }

  #placeholderFor(kind: PiiKind, original: string): string {
    const key = `${kind}:${normalizeValue(kind, original)}`;
    let p = this.#byKey.get(key);
    if (!p) {
      const n = (this.#counters.get(kind) ?? 0) + 1;
      this.#counters.set(kind, n);
      p = placeholder(kind, n);
      this.#byKey.set(key, p);
      this.#original.set(p, { kind, text: original });
    }
    return p;
  }

  #restoreValue(value: unknown, seen: Map<object, unknown>): unknown {
    if (typeof value === 'string') return this.restore(value);
    if (value === null || typeof value !== 'object') return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const v of value) out.push(this.#restoreValue(v, seen));
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) out[k] = this.#restoreValue(v, seen);
    return out;
  }
}

function placeholder(kind: PiiKind, n: number): string {
  return `⟦${LABEL[kind]}_${n}⟧`;
}

// --- detection --------------------------------------------------------------------------------------

const PII_TYPES = new Set<string>(['email', 'phone', 'id_card', 'bank_card']);
/** What `extractEntities` reads of a message (its MAX_CHARS); longer texts are scanned in windows. */
const WINDOW = 4000;
/** Longer than any piece of personal data, so one cut by a window's end is whole in the next. */
const OVERLAP = 200;

/**
 * The personal data in `text`, sorted and non-overlapping (overlapping finds are merged into one
 * span, so a number two detectors read differently is redacted whole).
 */
export function findPii(text: string, opts: RedactOptions = {}): PiiSpan[] {
  if (typeof text !== 'string' || text === '') return [];
  const config = opts.entityConfig ?? {};
  const found: PiiSpan[] = [];
  const claimed: { start: number; end: number }[] = [];
  const take = (entities: readonly Entity[], offset: number) => {
    for (const e of entities) {
      const start = e.start + offset;
      const end = e.end + offset;
      if (PII_TYPES.has(e.type)) found.push({ kind: e.type as PiiKind, start, end, text: text.slice(start, end) });
      else if (e.type === 'order_number' || e.type === 'lookup') claimed.push({ start, end });
    }
  };
  let from = 0;
  if (opts.entities) {
    take(opts.entities, 0);
    from = text.length > WINDOW ? windowStart(text, WINDOW - OVERLAP) : text.length;
  }
  while (from < text.length) {
    take(extractEntities(text.slice(from, from + WINDOW), config), from);
    if (from + WINDOW >= text.length) break;
    from = windowStart(text, from + WINDOW - OVERLAP);
  }
  // Our own patterns yield to the workspace's order numbers and lookups, which the bot needs.
  for (const s of extraPii(text)) if (!claimed.some((c) => s.start < c.end && c.start < s.end)) found.push(s);
  return mergeOverlaps(found, text);
}

/** A window starts after a separator when one is near, so it does not begin inside a number. */
function windowStart(text: string, nominal: number): number {
  for (let i = nominal; i < Math.min(text.length, nominal + 100); i++) if (/[\s,，。;；、:：()（）]/.test(text[i]!)) return i;
  return nominal;
}

function mergeOverlaps(spans: PiiSpan[], text: string): PiiSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      // The longer find names the merged span's kind.
      const kind = s.end - s.start > last.end - last.start ? s.kind : last.kind;
      const end = Math.max(last.end, s.end);
      out[out.length - 1] = { kind, start: last.start, end, text: text.slice(last.start, end) };
    } else out.push(s);
  }
  return out;
}

const NB = '(?<![0-9A-Za-z])';
const NA = '(?![0-9A-Za-z])';
const SEPS = '[ .\\-\\u00A0]';

const MOBILE = new RegExp(`${NB}(?:(?:\\+|00)${SEPS}?86${SEPS}{0,2}|\\(\\+?86\\)${SEPS}?)?1${SEPS}?[3-9](?:${SEPS}?\\d){9}${NA}`, 'g');
const INTERNATIONAL = new RegExp(`(?<![0-9A-Za-z+])\\+[1-9](?:${SEPS}{0,2}\\(?\\d\\)?){7,14}${NA}`, 'g');
// name [at] example [dot] com, name(at)example.com, name at example dot com. The lookbehind makes a
// match start only where a run of address characters starts, which keeps long runs linear.
const LOCAL = '(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+';
const B_OPEN = '[\\[(（【<]';
const B_CLOSE = '[\\])）】>]';
const DOT = `(?:\\s*\\.\\s*|\\s*${B_OPEN}\\s*dot\\s*${B_CLOSE}\\s*|\\s+dot\\s+)`;
const EMAIL_BRACKETED = new RegExp(
  `${LOCAL}\\s*${B_OPEN}\\s*(?:at|@)\\s*${B_CLOSE}\\s*[A-Za-z0-9-]+(?:${DOT}[A-Za-z0-9-]+)*${DOT}[A-Za-z]{2,}(?![A-Za-z0-9])`,
  'gi',
);
const EMAIL_WORDS = new RegExp(`${LOCAL}\\s+at\\s+[A-Za-z0-9-]+(?:\\s+dot\\s+[A-Za-z0-9-]+)*\\s+dot\\s+[A-Za-z]{2,}(?![A-Za-z0-9])`, 'gi');
const TW_ID = new RegExp(`${NB}[A-Z][1289]\\d{8}${NA}`, 'g');
const HK_ID = new RegExp(`${NB}([A-Z]{1,2})(\\d{6})\\s?(?:[(（]([0-9A])[)）]|([0-9A])${NA})`, 'g');
const HK_ID_CUE = /身份[证證]|HKID|\bID\b/i;
const PASSPORT = /(?:护照|護照|通行证|通行證|passport)\s*(?:号码|號碼|号|號|no\.?|number|#)?\s*(?:是|为|為|:|：|is)?\s*([A-Z]{1,2}\d{7,8})(?![0-9A-Za-z])/gi;

/** Personal data `extractEntities` does not find (or finds only part of). */
function extraPii(text: string): PiiSpan[] {
  const folded = foldWidth(text);
  const out: PiiSpan[] = [];
  const add = (kind: PiiKind, start: number, end: number) => out.push({ kind, start, end, text: text.slice(start, end) });
  for (const m of folded.matchAll(MOBILE)) add('phone', m.index, m.index + m[0].length);
  for (const m of folded.matchAll(INTERNATIONAL)) {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits >= 8 && digits <= 15) add('phone', m.index, m.index + m[0].length);
  }
  for (const m of folded.matchAll(EMAIL_BRACKETED)) add('email', m.index, m.index + m[0].length);
  for (const m of folded.matchAll(EMAIL_WORDS)) add('email', m.index, m.index + m[0].length);
  for (const m of folded.matchAll(TW_ID)) if (isValidTaiwanId(m[0])) add('id_card', m.index, m.index + m[0].length);
  for (const m of folded.matchAll(HK_ID)) {
    const bracketed = m[3] !== undefined;
    const cue = HK_ID_CUE.test(folded.slice(Math.max(0, m.index - 12), m.index));
    if ((bracketed || cue) && isValidHongKongId(m[1]! + m[2]!, (m[3] ?? m[4])!)) add('id_card', m.index, m.index + m[0].length);
  }
  for (const m of folded.matchAll(PASSPORT)) {
    const start = m.index + m[0].length - m[1]!.length;
    add('passport', start, start + m[1]!.length);
  }
  return out;
}

const TW_LETTER = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

/** A Taiwan national ID or resident certificate: letter, 1/2 (or 8/9), eight digits, checksum. */
export function isValidTaiwanId(id: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(id)) return false;
  const code = TW_LETTER.indexOf(id[0]!) + 10;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i < 9; i++) sum += Number(id[i]) * (9 - i);
  sum += Number(id[9]);
  return sum % 10 === 0;
}

/** A Hong Kong identity card number (one or two letters, six digits) and its check character. */
export function isValidHongKongId(body: string, check: string): boolean {
  const m = /^([A-Z]{1,2})(\d{6})$/.exec(body);
  if (!m) return false;
  const letters = m[1]!.length === 1 ? [36, m[1]!.charCodeAt(0) - 55] : [m[1]!.charCodeAt(0) - 55, m[1]!.charCodeAt(1) - 55];
  let sum = letters[0]! * 9 + letters[1]! * 8;
  for (let i = 0; i < 6; i++) sum += Number(m[2]![i]) * (7 - i);
  const c = (11 - (sum % 11)) % 11;
  return check === (c === 10 ? 'A' : String(c));
}

/** The value a span stands for, so two spellings of one number share a placeholder. */
function normalizeValue(kind: PiiKind, original: string): string {
  const s = foldWidth(original);
  switch (kind) {
    case 'email':
      return s
        .toLowerCase()
        .replace(/\s*[[(（【<]\s*(?:at|@)\s*[\])）】>]\s*|\s+at\s+/g, '@')
        .replace(/\s*[[(（【<]\s*dot\s*[\])）】>]\s*|\s+dot\s+|\s*\.\s*/g, '.')
        .replace(/\s+/g, '');
    case 'phone': {
      const digits = s.replace(/\D/g, '');
      const mobile = /^(?:0086|86)?(1[3-9]\d{9})$/.exec(digits);
      if (mobile) return `+86${mobile[1]}`;
      if (/^09\d{8}$/.test(digits)) return `+886${digits.slice(1)}`;
      if (digits.startsWith('00')) return `+${digits.slice(2)}`;
      if (s.trimStart().startsWith('+')) return `+${digits}`;
      if (digits.startsWith('0')) return `+86${digits.slice(1)}`;
      return digits;
    }
    case 'bank_card':
      return s.replace(/\D/g, '');
    default:
      return s.toUpperCase().replace(/[^0-9A-Z]/g, '');
  }
}

/** Full-width ASCII folded one character for one, so offsets stay those of the text. */
function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}
