import * as chrono from 'chrono-node';
import { LRUCache } from 'lru-cache';
import { foldForAnalysis } from '../text/normalize-text.js';

export type EntityType = 'email' | 'phone' | 'id_card' | 'bank_card' | 'amount' | 'datetime' | 'order_number' | 'lookup';

export interface Entity {
  type: EntityType;
  /** The span as the customer wrote it: text.slice(start, end). */
  text: string;
  start: number;
  end: number;
  /** Normalised: E.164 phone, upper-case ID, { amount, currency }, { date, time? }, a lookup's canonical value… */
  value: unknown;
  /** 0..1: how sure the extractor is that this span is this entity. */
  confidence: number;
  /** For `order_number` and `lookup`: which workspace pattern or list matched. */
  name?: string;
}

/** Workspace-defined extractors. */
export interface EntityConfig {
  /** Order-number shapes, e.g. { name: 'order', pattern: 'YD\\d{13}' }. Matched case-insensitively. */
  orderPatterns?: readonly { name: string; pattern: string }[];
  /** Lists of known things, each value with its synonyms: products, cities, plans. */
  lookups?: readonly { name: string; entries: readonly { value: string; synonyms?: readonly string[] }[] }[];
  /** Reference time for relative dates (明天, next Friday) and the workspace's time zone. */
  now?: Date;
  timeZone?: string;
}

/**
 * Extracts the entities of a message: contact details, identity and card numbers (validated by their
 * checksums), amounts with currency, dates and times (relative ones resolved against `now` in the
 * workspace's time zone), order numbers by workspace pattern and workspace lookup lists. Overlapping
 * candidates are resolved in favour of the more confident, then the longer.
 */
export function extractEntities(message: string, config: EntityConfig = {}): Entity[] {
  const text = message.slice(0, MAX_CHARS);
  // Full-width ASCII (１３８, ＠) folded one character for one, so offsets stay those of the message.
  // Runs of 25 digits or more are no phone, card, ID or order number (the longest is 19), and the
  // number patterns backtrack on them (4,000 digits took 60 ms): they are blanked, keeping offsets.
  const folded = foldWidth(text).replace(/\d{25,}/g, (m) => ' '.repeat(m.length));
  const found: Entity[] = [
    ...emails(text, folded),
    ...phones(text, folded),
    ...idCards(text, folded),
    ...bankCards(text, folded),
    ...amounts(text, folded),
    ...datetimes(text, folded, config),
    ...orderNumbers(text, folded, config),
    ...lookups(text, folded, config),
  ];
  return resolveOverlaps(found);
}

const MAX_CHARS = 4000;

// --- contact details ------------------------------------------------------------------------------

function emails(text: string, folded: string): Entity[] {
  const out: Entity[] = [];
  for (const m of folded.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g)) {
    out.push(entity('email', text, m.index, m[0].length, m[0].toLowerCase(), 0.99));
  }
  return out;
}

/** Digits not glued to other digits (or letters, for codes like GX199). */
const NB = '(?<![0-9A-Za-z])';
const NA = '(?![0-9A-Za-z])';
const SEP = '[ -]?';

function phones(text: string, folded: string): Entity[] {
  const out: Entity[] = [];
  const digits = (s: string) => s.replace(/\D/g, '');
  const add = (m: RegExpMatchArray, e164: string, confidence: number, kind: string) =>
    out.push(entity('phone', text, m.index!, m[0].length, { e164, kind }, confidence));
  // Mainland mobile: 1[3-9] and nine more digits, optionally +86, grouped 3-4-4.
  for (const m of folded.matchAll(new RegExp(`${NB}(?:\\+?86${SEP})?1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4}${NA}`, 'g'))) {
    const d = digits(m[0]).replace(/^86(?=1\d{10}$)/, '');
    add(m, `+86${d}`, 0.95, 'mobile');
  }
  // Mainland landline: 0 + 2–3 digit area code, 7–8 digits (010-12345678, (0755) 8888 6666).
  for (const m of folded.matchAll(new RegExp(`${NB}(?:\\+?86${SEP})?\\(?0[1-9]\\d{1,2}\\)?${SEP}\\d{3,4}${SEP}\\d{4}${NA}`, 'g'))) {
    const d = digits(m[0]).replace(/^86/, '').replace(/^0/, '');
    if (d.length >= 9 && d.length <= 11) add(m, `+86${d}`, 0.85, 'landline');
  }
  // Hong Kong: eight digits from 2–9, with +852 (without the prefix eight digits are too ambiguous).
  for (const m of folded.matchAll(new RegExp(`${NB}\\+?852${SEP}[2-9]\\d{3}${SEP}\\d{4}${NA}`, 'g'))) add(m, `+852${digits(m[0]).slice(3)}`, 0.95, 'hk');
  // Taiwan mobile: 09xx-xxx-xxx or +886 9xx xxx xxx.
  for (const m of folded.matchAll(new RegExp(`${NB}(?:\\+?886${SEP}9|09)\\d{2}${SEP}\\d{3}${SEP}\\d{3}${NA}`, 'g'))) {
    const d = digits(m[0]);
    add(m, `+886${d.startsWith('886') ? d.slice(3) : d.slice(1)}`, 0.9, 'tw');
  }
  // Any other international number in E.164 form.
  for (const m of folded.matchAll(new RegExp(`${NB}\\+[1-9]\\d{7,14}${NA}`, 'g'))) add(m, m[0], 0.8, 'e164');
  return out;
}

// --- identity and card numbers --------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A mainland resident ID: 18 characters, a real birth date, and the ISO 7064 check character. */
export function isValidChineseId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return false;
  const y = Number(id.slice(6, 10));
  const mo = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function idCards(text: string, folded: string): Entity[] {
  const out: Entity[] = [];
  for (const m of folded.matchAll(new RegExp(`${NB}\\d{17}[\\dXx]${NA}`, 'g'))) {
    const id = m[0].toUpperCase();
    if (isValidChineseId(id)) out.push(entity('id_card', text, m.index, m[0].length, id, 0.99));
  }
  return out;
}

/** The Luhn check every payment card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function bankCards(text: string, folded: string): Entity[] {
  const out: Entity[] = [];
  // 13–19 digits, possibly in groups of four separated by spaces or dashes.
  for (const m of folded.matchAll(new RegExp(`${NB}\\d{4}(?:[ -]?\\d{4}){2,3}(?:[ -]?\\d{1,3})?${NA}|${NB}\\d{13,19}${NA}`, 'g'))) {
    const d = m[0].replace(/\D/g, '');
    if (d.length < 13 || d.length > 19 || !luhnValid(d) || isValidChineseId(d)) continue;
    // UnionPay (62), Visa (4), Mastercard (51–55, 2221–2720), Amex (34, 37), JCB (35): the card
    // schemes a Chinese or English-speaking customer is likely to type; other Luhn-valid runs count less.
    const known = /^(62|4|5[1-5]|2[2-7]|3[47]|35)/.test(d);
    const cue = /卡号|银行卡|信用卡|卡號|銀行卡|信用卡|card/i.test(text.slice(Math.max(0, m.index - 12), m.index));
    out.push(entity('bank_card', text, m.index, m[0].length, d, known ? (cue ? 0.97 : 0.9) : cue ? 0.8 : 0.6));
  }
  return out;
}

// --- amounts --------------------------------------------------------------------------------------

const ZH_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };

/** 三百五十 → 350, 两千零五 → 2005, 一万二 → 12000, 1.5万 → 15000. NaN when it is not a number. */
export function parseChineseNumber(s: string): number {
  const mixed = /^(\d+(?:\.\d+)?)(万|萬|亿|億)$/.exec(s);
  if (mixed) return Number(mixed[1]) * (mixed[2] === '万' || mixed[2] === '萬' ? 1e4 : 1e8);
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s);
  let total = 0;
  let section = 0;
  let digit = -1;
  let lastUnit = 1;
  for (const ch of s) {
    if (ch in ZH_DIGIT) digit = ZH_DIGIT[ch]!;
    else if (ch in ZH_UNIT) {
      section += (digit < 0 ? 1 : digit) * ZH_UNIT[ch]!;
      lastUnit = ZH_UNIT[ch]!;
      digit = -1;
    } else if (ch === '万' || ch === '萬' || ch === '亿' || ch === '億') {
      const big = ch === '万' || ch === '萬' ? 1e4 : 1e8;
      total = (total + section + Math.max(0, digit)) * big;
      section = 0;
      digit = -1;
      lastUnit = big;
    } else return Number.NaN;
  }
  // 一万二 means 12000: a trailing digit after a unit counts in the next lower unit.
  if (digit >= 0) section += lastUnit >= 10 && s.length > 2 && !/[零〇]/.test(s.slice(-2, -1)) ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

const NUM = '(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?(?:[万萬亿億])?|[零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億]+)';
const CURRENCY_BEFORE: [RegExp, string][] = [
  [/^(?:HK\$|HKD\s?|港币|港幣)$/i, 'HKD'],
  [/^(?:NT\$|NTD\s?|TWD\s?|新台币|新台幣)$/i, 'TWD'],
  [/^(?:US\$|USD\s?|\$)$/i, 'USD'],
  [/^(?:¥|￥|RMB\s?|CNY\s?|人民币|人民幣)$/i, 'CNY'],
];
const CURRENCY_AFTER: [RegExp, string][] = [
  [/^(?:港币|港幣|港元|港纸|HKD)$/i, 'HKD'],
  [/^(?:新台币|新台幣|台币|台幣|NTD|TWD)$/i, 'TWD'],
  [/^(?:美元|美金|USD|dollars?|bucks?)$/i, 'USD'],
  [/^(?:元|块钱|块|塊錢|塊|圆|圓|人民币|人民幣|RMB|CNY|yuan|rmb)$/i, 'CNY'],
];

function amounts(text: string, folded: string): Entity[] {
  const out: Entity[] = [];
  const before = new RegExp(`(HK\\$|NT\\$|US\\$|HKD\\s?|NTD\\s?|TWD\\s?|USD\\s?|RMB\\s?|CNY\\s?|人民币|人民幣|港币|港幣|新台币|新台幣|[¥￥$])\\s?${NUM}`, 'gi');
  for (const m of folded.matchAll(before)) {
    const currency = CURRENCY_BEFORE.find(([re]) => re.test(m[1]!))?.[1];
    const amount = parseChineseNumber(m[2]!.replace(/,/g, ''));
    if (currency && Number.isFinite(amount)) out.push(entity('amount', text, m.index, m[0].length, { amount, currency }, 0.95));
  }
  const after = new RegExp(
    `${NUM}\\s?(港币|港幣|港元|港纸|新台币|新台幣|台币|台幣|美元|美金|块钱|塊錢|元|块|塊|圆|圓|人民币|人民幣|(?:HKD|NTD|TWD|USD|RMB|CNY|dollars?|bucks?|yuan)(?![A-Za-z]))`,
    'gi',
  );
  for (const m of folded.matchAll(after)) {
    // 一元 in "统一元素" or 块 in "一块蛋糕" (a piece): require a digit, or a Chinese number of two or more characters.
    if (!/\d/.test(m[1]!) && m[1]!.length < 2) continue;
    const currency = CURRENCY_AFTER.find(([re]) => re.test(m[2]!))?.[1];
    const amount = parseChineseNumber(m[1]!.replace(/,/g, ''));
    if (currency && Number.isFinite(amount)) out.push(entity('amount', text, m.index, m[0].length, { amount, currency }, /\d/.test(m[1]!) ? 0.95 : 0.85));
  }
  return out;
}

// --- dates and times --------------------------------------------------------------------------------

/** chrono's Chinese parser, taught the relative days and month edges customers use that it lacks. */
const zhParser = (() => {
  const p = chrono.zh.casual.clone();
  const dayOffsets: Record<string, number> = { 大后天: 3, 大後天: 3, 后天: 2, 後天: 2, 前天: -2, 大前天: -3 };
  p.parsers.push({
    pattern: () => /(大后天|大後天|后天|後天|大前天|前天)/,
    extract: (context, match) => {
      const d = shiftDays(context.refDate, dayOffsets[match[1]!]!);
      return { day: d.getDate(), month: d.getMonth() + 1, year: d.getFullYear() };
    },
  });
  p.parsers.push({
    pattern: () => /(下个?月|下個?月|本月|这个?月|這個?月|上个?月|上個?月)?(月底|月末|月初|底|初)/,
    extract: (context, match) => {
      const which = match[1] ?? '';
      const edge = match[2]!;
      if (!which && (edge === '底' || edge === '初')) return null;
      const shift = /下/.test(which) ? 1 : /上/.test(which) ? -1 : 0;
      const ref = context.refDate;
      const end = /底|末/.test(edge);
      const d = end ? new Date(ref.getFullYear(), ref.getMonth() + shift + 1, 0) : new Date(ref.getFullYear(), ref.getMonth() + shift, 1);
      return { day: d.getDate(), month: d.getMonth() + 1, year: d.getFullYear() };
    },
  });
  return p;
})();

function shiftDays(d: Date, n: number) {
  const x = new Date(d);
  x.setDate(x.getDate() + n);
  return x;
}

/**
 * Every date or time chrono and the parsers above can read has a digit or one of these: running two
 * parsers costs about a tenth of a millisecond, so messages without any (most) skip them.
 */
const DATE_CUE =
  /\d|[今明昨前后後天周週星期礼禮拜月号號日点點时時早晚午底初年末半]|\b(?:today|tomorrow|yesterday|tonight|now|noon|midnight|morning|afternoon|evening|night|next|last|this|week|weekend|month|year|day|days|ago|later|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|[a-z]+day|[a-z]+ber|january|february|march|april|june|july|august|end|beginning|am|pm|o'clock)\b/i;

function datetimes(text: string, folded: string, config: EntityConfig): Entity[] {
  if (!DATE_CUE.test(folded)) return [];
  const now = config.now ?? new Date();
  const timezone = offsetMinutes(config.timeZone ?? 'Asia/Shanghai', now);
  const ref = { instant: now, timezone };
  // No date has nine digits in a row, and chrono slows down on digit runs: they are blanked, keeping offsets.
  const dateText = folded.replace(/\d{9,}/g, (m) => ' '.repeat(m.length));
  const results = [...zhParser.parse(dateText, ref, { forwardDate: true }), ...chrono.en.casual.parse(dateText, ref, { forwardDate: true })];
  const out: Entity[] = [];
  for (const r of results) {
    // Bare numbers ("3", "12") are not dates; chrono's guesses on them are noise in a support chat.
    if (/^\d{1,2}$/.test(r.text.trim())) continue;
    const local = (c: chrono.ParsedComponents) => {
      const v = (k: chrono.Component) => c.get(k) ?? 0;
      const date = `${v('year')}-${pad(v('month'))}-${pad(v('day'))}`;
      return c.isCertain('hour') ? { date, time: `${pad(v('hour'))}:${pad(v('minute'))}` } : { date };
    };
    const value = { ...local(r.start), ...(r.end ? { end: local(r.end) } : {}) };
    const certain = r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('hour');
    out.push(entity('datetime', text, r.index, r.text.length, value, certain ? 0.9 : 0.7));
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The zone's UTC offset in minutes at that instant (Asia/Shanghai → 480). */
function offsetMinutes(timeZone: string, at: Date): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  } catch {
    return 480;
  }
}

// --- workspace patterns and lists --------------------------------------------------------------------

function orderNumbers(text: string, folded: string, config: EntityConfig): Entity[] {
  const out: Entity[] = [];
  for (const p of config.orderPatterns ?? []) {
    const re = orderPattern(p.pattern);
    if (!re) continue; // Patterns are validated when saved; a bad one never breaks a turn.
    for (const m of folded.matchAll(re)) if (m[0]) out.push({ ...entity('order_number', text, m.index, m[0].length, m[0].toUpperCase(), 0.95), name: p.name });
  }
  return out;
}

function lookups(text: string, folded: string, config: EntityConfig): Entity[] {
  if (!config.lookups?.length) return [];
  // Traditional folds to Simplified character for character in the common case; when it does not,
  // match on the lower-cased text so offsets stay right.
  const f = foldForAnalysis(folded);
  const haystack = f.length === text.length ? f : folded.toLowerCase();
  const out: Entity[] = [];
  for (const list of config.lookups) {
    for (const e of list.entries) {
      for (const form of [e.value, ...(e.synonyms ?? [])]) {
        const needle = foldedForm(form);
        if (!needle) continue;
        const latin = /^[a-z0-9]/.test(needle);
        for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
          // Latin forms match whole words only (a "pro" inside "problem" is not the Pro plan).
          if (latin && (/[a-z0-9]/.test(haystack[at - 1] ?? '') || /[a-z0-9]/.test(haystack[at + needle.length] ?? ''))) continue;
          out.push({ ...entity('lookup', text, at, needle.length, e.value, form === e.value ? 0.95 : 0.9), name: list.name });
        }
      }
    }
  }
  return out;
}

/** Workspace order patterns compiled once (null: not a valid pattern). */
const orderPatterns = new LRUCache<string, { re: RegExp | null }>({ max: 1000 });
function orderPattern(pattern: string): RegExp | null {
  let c = orderPatterns.get(pattern);
  if (!c) {
    try {
      c = { re: new RegExp(`${NB}(?:${pattern})${NA}`, 'gi') };
    } catch {
      c = { re: null };
    }
    orderPatterns.set(pattern, c);
  }
  return c.re;
}

/** Lookup forms folded once, not on every message (a workspace list can hold thousands). */
const foldedForms = new LRUCache<string, string>({ max: 20_000 });
function foldedForm(form: string): string {
  let f = foldedForms.get(form);
  if (f === undefined) {
    f = foldForAnalysis(form.normalize('NFKC'));
    foldedForms.set(form, f);
  }
  return f;
}

// --- helpers --------------------------------------------------------------------------------------

function entity(type: EntityType, text: string, start: number, length: number, value: unknown, confidence: number): Entity {
  return { type, text: text.slice(start, start + length), start, end: start + length, value, confidence };
}

function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Keeps the best of overlapping candidates: more confident first, then longer, then earlier. */
function resolveOverlaps(found: Entity[]): Entity[] {
  const ranked = [...found].sort((a, b) => b.confidence - a.confidence || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Entity[] = [];
  for (const e of ranked) if (!kept.some((k) => e.start < k.end && k.start < e.end)) kept.push(e);
  return kept.sort((a, b) => a.start - b.start);
}
