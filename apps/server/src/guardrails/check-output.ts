/**
 * Workspace output rules, checked on the bot's answer before it is sent (the output side).
 *
 * - Forbidden words: matched case-, width- and script-insensitively (帳號, 账号 and 帐号 are one word;
 *   NFKC, lower case and Traditional → Simplified folding via `normalizeText` / `foldForAnalysis`).
 *   Latin words match whole words only ("ass" is not in "pass"); Chinese words match anywhere, also
 *   when spaced or punctuated apart (傻 逼, 傻.逼).
 * - Refund promises (on unless `forbidPromises: false`): guarantees of a refund or compensation
 *   (我们保证全额退款, 一定赔偿, "we guarantee a full refund", "refunds are guaranteed") and
 *   commitments to a full or multiple refund (我们会为您全额退款, "we will issue a full refund").
 *   Negated or hedged sentences ("we cannot guarantee a refund", 无法保证退款, "I promise to look into
 *   your refund") and neutral policy statements (订单签收7天内可申请退款) pass.
 * - Refunds over the limit (`refundLimit.maxAmount`): a sentence that commits to refunding or
 *   compensating an amount (I will refund you ¥5000, 我们会退您5000元, "a refund of $800 has been
 *   issued") above the limit. Thresholds in policy sentences ("refunds over $500 need approval",
 *   超过500元的退款需人工审核) are not commitments. Amounts are compared as numbers; when the
 *   workspace names a currency, an amount explicitly in another one (US$, HK$, USD…) cannot be compared
 *   and is flagged (元, 块 and a bare $ count as the workspace's own: they are also Hong Kong and
 *   Taiwan dollars).
 * - System prompt leaks: any run of at least `leakMinChars` (default 40) columns of the given system
 *   prompt appearing in the answer (a Chinese character counts two; compared folded, so re-spacing,
 *   case and script changes do not hide it), and answers that announce it ("my system prompt is: …", 我的提示词如下). Keep long
 *   policy text the bot may quote out of `systemPrompt`, or raise `leakMinChars`.
 */
import { extractEntities } from '../nlu/extract-entities.js';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';

export interface OutputRules {
  /** Words and phrases the bot must never say (any script, any case). */
  forbiddenWords?: readonly string[];
  /** The most the bot may commit to refund or compensate in one sentence. */
  refundLimit?: { maxAmount?: number; currency?: string };
  /** Flag guarantees of refunds or compensation (default true). */
  forbidPromises?: boolean;
  /** The system prompt the answer must not reproduce. */
  systemPrompt?: string;
  /** Shortest run of the system prompt that counts as a leak (default 40 characters). */
  leakMinChars?: number;
}

export type OutputViolationKind = 'forbidden_word' | 'refund_promise' | 'refund_over_limit' | 'system_prompt_leak';

export interface OutputViolation {
  kind: OutputViolationKind;
  /** What was found: the forbidden word as configured, the promising sentence, the leaked run. */
  text: string;
}

export interface OutputCheck {
  ok: boolean;
  violations: OutputViolation[];
}

/** Checks an answer against the workspace's output rules. Never throws; an empty answer is ok. */
export function checkOutput(text: string, rules: OutputRules = {}): OutputCheck {
  if (typeof text !== 'string' || text.trim() === '') return { ok: true, violations: [] };
  const violations: OutputViolation[] = [
    ...findForbiddenWords(text, rules.forbiddenWords ?? []),
    ...(rules.forbidPromises === false ? [] : findRefundPromises(text)),
    ...(rules.refundLimit?.maxAmount !== undefined ? findRefundsOverLimit(text, rules.refundLimit) : []),
    ...(rules.systemPrompt ? findSystemPromptLeaks(text, rules.systemPrompt, rules.leakMinChars) : []),
  ];
  return { ok: violations.length === 0, violations };
}

// --- forbidden words --------------------------------------------------------------------------------

const fold = (s: string) => foldForAnalysis(normalizeText(s));
const HAN = /\p{Script=Han}/u;
const NOISE = /[\s\p{P}\p{S}]+/gu;

/** The configured words that occur in `text`, one violation per word. */
export function findForbiddenWords(text: string, words: readonly string[]): OutputViolation[] {
  if (words.length === 0) return [];
  const folded = fold(text);
  const compact = folded.replace(NOISE, '');
  const out: OutputViolation[] = [];
  for (const word of words) {
    if (typeof word !== 'string') continue;
    const w = fold(word);
    if (!w) continue;
    let hit: boolean;
    if (HAN.test(w)) {
      const wc = w.replace(NOISE, '');
      hit = folded.includes(w) || (wc !== '' && compact.includes(wc));
    } else {
      const body = escapeRegExp(w).replace(/ /g, '\\s+');
      hit = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u').test(folded);
    }
    if (hit) out.push({ kind: 'forbidden_word', text: word });
  }
  return out;
}

// --- refund promises ----------------------------------------------------------------------------------

const ZH_REFUND = '(?:全额退款|退全款|退款|退钱|退还|退回|退给|返还|赔偿|补偿|赔付|理赔|报销|赔)';
const EN_REFUND = '(?:full refunds?|refund(?:s|ed)?|compensat\\w*|reimburs\\w*|(?:your )?money back|pay you back)';

const PROMISES: RegExp[] = [
  new RegExp(`(?:保证|担保|承诺|一定|肯定|绝对|必定|必然|百分百|百分之百|100%|包您|包你)[^。！？!?\\n，,；;]{0,12}?${ZH_REFUND}`, 'g'),
  /(?:会|将|一定|马上|立即|立刻|这就|现在就)(?:为|给|帮)?(?:您|你)?(?:办理)?(?:全额退款|退全款|全额赔偿|双倍赔偿|三倍赔偿|十倍赔偿|双倍退款|加倍赔偿)/g,
  new RegExp(
    `\\b(?:guarantee[sd]?|promise[sd]?|assure you|certainly|definitely|absolutely|100%|for sure|surely|without (?:a )?doubt)\\b[^.!?\\n]{0,40}?\\b${EN_REFUND}`,
    'g',
  ),
  new RegExp(`\\b${EN_REFUND}\\s+(?:is|are|will be)\\s+(?:100%\\s+|fully\\s+|absolutely\\s+)?guaranteed\\b`, 'g'),
  /\b(?:i|we)(?:'ll| will| am going to| are going to|'m going to|'re going to)\s+(?:definitely\s+|certainly\s+|now\s+)?(?:give you|issue|process|send you|provide)\s+(?:you\s+)?(?:a\s+)?(?:full|double|complete|100%)\s+(?:refund|compensation|reimbursement)/g,
];
/** Words that make a sentence a denial, a hedge or a policy statement rather than a promise. */
const NOT_A_PROMISE =
  /不|没|无法|未必|难以|申请|符合|如果|若|政策|规定|以内|之内|工作日|天内|小时内|到账|原路|处理|跟进|核实|反馈|查询|核查|审核|催|协助|联系|\b(?:not|no|never|cannot|can't|won't|unable|couldn't|don't|isn't|aren't|if|request|apply|eligible|may|might|policy|within|look into|check|escalate|forward|review|follow up|investigate|submit|pass|handle|help|assist)\b|n't\b/;
/** What follows the refund word: "your refund request", 退款申请 are about handling a request. */
const ABOUT_A_REQUEST = /^\s*(?:申请|进度|流程|事宜|request|application|status|process|claim)/;

/** A negation just before the promise word: 不能保证, 无法保证, "we cannot guarantee", "not 100%". */
const NEGATED_BEFORE = /(?:不|没|无法|未必|难以)[^,，。]{0,3}$|\b(?:not|no|never|can't|cannot|won't|unable to|couldn't|don't|isn't|aren't)\s+(?:\w+\s+)?$/;

/** Sentences that guarantee a refund or compensation. */
export function findRefundPromises(text: string): OutputViolation[] {
  const out: OutputViolation[] = [];
  for (const sentence of sentences(text)) {
    const f = fold(sentence);
    for (const re of PROMISES) {
      let promised = false;
      for (const m of f.matchAll(re)) {
        const before = f.slice(Math.max(0, m.index - 16), m.index);
        const after = f.slice(m.index + m[0].length, m.index + m[0].length + 12);
        if (NOT_A_PROMISE.test(m[0]) || NEGATED_BEFORE.test(before) || ABOUT_A_REQUEST.test(after)) continue;
        promised = true;
        break;
      }
      if (promised) {
        out.push({ kind: 'refund_promise', text: sentence.trim() });
        break;
      }
    }
  }
  return out;
}

// --- refund amounts -------------------------------------------------------------------------------------

const REFUND_CONTEXT =
  /退款|退还|退回|退给|退您|退你|退钱|退全款|退差价|返还|返现|赔偿|补偿|赔付|理赔|赔给|赔您|赔你|报销|补贴|\b(?:refund\w*|reimburs\w*|compensat\w*|money back|pay you back|cash ?back|payout|credit(?:ed)? (?:to )?(?:you|your))\b/;
const COMMITMENT =
  /(?:我们|我|本店|我司)(?:会|将|可以|能|已|已经|马上|立即|立刻|这就|现在就|直接)|(?:会|将|已|已经|马上|立即|立刻|这就|直接)(?:为|给|帮|向)?(?:您|你)|(?:给|为|帮|向)(?:您|你)(?:办理|安排|退|赔|补|申请|发放)|(?:退还|退回|退|赔|补偿|返还)(?:给)?(?:您|你)|将(?:在|于)?.{0,10}(?:到账|退回|返还)|已(?:经)?.{0,6}(?:退回|退还|到账|返还|退款|办理|发放|打款)|\b(?:i|we)(?:'ll| will| shall| can| am going to| are going to|'m going to|'re going to| have| 've| would)\b|\b(?:has|have) been (?:issued|approved|processed|refunded|credited|sent|initiated)\b|\bwill be (?:issued|refunded|credited|sent|processed|paid|returned)\b|\byou(?:'ll| will) (?:get|receive)\b|\bhere(?:'s| is)\b|\b(?:issuing|refunding|sending|crediting)\b/;
/** An amount that is a threshold ("over $500", 超过500元, 500元以上) is policy, not a commitment. */
const THRESHOLD_BEFORE =
  /(?:超过|超出|高于|大于|低于|小于|不超过|不高于|最高|最多|上限|至多|满|over|above|more than|exceeding|exceeds|up to|less than|under|below|at most|maximum(?: of)?|max)\s*$/i;
const THRESHOLD_AFTER = /^\s*(?:以上|以下|以内|之内|或以上|或以下|封顶|or more|or less|and above|and below|maximum|max)/i;
const BARE_AMOUNT = [
  /(?:退|賠|赔|补偿|補償|返还|返還)(?:给|給|还|還)?(?:您|你)\s*(\d[\d,]*(?:\.\d+)?)(?![\d.]|\s*(?:天|个|%|件|小时|日|分钟|工作日|元|块|塊|圆|圓))/g,
  /\b(?:refund|reimburse|compensate|pay)\s+(?:you\s+)?(?:back\s+)?(\d[\d,]*(?:\.\d+)?)(?![\d.]|\s*(?:days?|%|items?|hours?|business|working|dollars?|yuan|usd|rmb|cny|hkd|twd))/gi,
];
/** 元, 块 and a bare $ are also the Hong Kong and Taiwan dollars: read as the workspace's currency. */
const AMBIGUOUS_CURRENCY = /[元块塊圆圓]|yuan|(?<![A-Za-z])\$/i;

/** Sentences that commit to refunding or compensating more than `limit.maxAmount`. */
export function findRefundsOverLimit(text: string, limit: { maxAmount?: number; currency?: string }): OutputViolation[] {
  const max = limit.maxAmount;
  if (max === undefined || !Number.isFinite(max)) return [];
  const currency = limit.currency?.toUpperCase();
  const out: OutputViolation[] = [];
  for (const sentence of sentences(text)) {
    const f = fold(sentence);
    if (!REFUND_CONTEXT.test(f) || !COMMITMENT.test(f)) continue;
    const amounts: { amount: number; currency?: string; surface: string; start: number; end: number }[] = [];
    for (const e of extractEntities(sentence)) {
      if (e.type !== 'amount') continue;
      const v = e.value as { amount: number; currency: string };
      amounts.push({ amount: v.amount, currency: v.currency, surface: e.text, start: e.start, end: e.end });
    }
    for (const re of BARE_AMOUNT) {
      for (const m of sentence.matchAll(re)) {
        const start = m.index + m[0].length - m[1]!.length;
        if (amounts.some((a) => start < a.end && a.start < start + m[1]!.length)) continue;
        amounts.push({ amount: Number(m[1]!.replace(/,/g, '')), surface: m[1]!, start, end: start + m[1]!.length });
      }
    }
    const over = amounts.some((a) => {
      if (THRESHOLD_BEFORE.test(sentence.slice(Math.max(0, a.start - 12), a.start)) || THRESHOLD_AFTER.test(sentence.slice(a.end, a.end + 8))) return false;
      const foreign = currency && a.currency && a.currency !== currency && !AMBIGUOUS_CURRENCY.test(a.surface);
      return foreign || a.amount > max;
    });
    if (over) out.push({ kind: 'refund_over_limit', text: sentence.trim() });
  }
  return out;
}

// --- system prompt leaks ------------------------------------------------------------------------------

const LEAK_ANNOUNCED = [
  /\b(?:my|the) (?:system prompt|initial instructions|system instructions|hidden instructions|instructions i was given|original instructions)\s+(?:is|are|says|reads|was|were)\s*(?::|"|“|as follows)/,
  /我的(?:系统)?(?:提示词|系统指令|初始指令|系统设定|系统提示)(?:是\s*[:："“「]|如下)/,
];

/**
 * Runs of the system prompt reproduced in `text`, compared folded. A run counts from `minChars`
 * columns, a Chinese (or other wide) character counting two: twenty 汉字 say as much as forty letters.
 */
export function findSystemPromptLeaks(text: string, systemPrompt: string, minChars = 40): OutputViolation[] {
  const out: OutputViolation[] = [];
  const o = fold(text);
  for (const re of LEAK_ANNOUNCED) {
    const m = re.exec(o);
    if (m) out.push({ kind: 'system_prompt_leak', text: m[0] });
  }
  const min = Math.max(8, Math.floor(minChars));
  const window = Math.ceil(min / 2);
  const p = fold(systemPrompt ?? '');
  if (p.length < window || o.length < window) return out;
  // Long enough, and not a shared run of separators or digits (----, 0000), which says nothing.
  const accept = (run: string) => columns(run) >= min && columns(run.replace(/[^\p{L}]/gu, '')) >= min / 2;
  for (const run of sharedRuns(o, p, window, accept)) out.push({ kind: 'system_prompt_leak', text: run.length > 200 ? `${run.slice(0, 200)}…` : run });
  return out;
}

const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/g;

/** Display width: wide (CJK) characters count two. */
function columns(s: string): number {
  return s.length + (s.match(WIDE)?.length ?? 0);
}

const BASE = 0x01000193;

/**
 * Maximal runs of `a`, at least `n` characters long and accepted by `accept`, that also occur in `b`
 * (Rabin–Karp over 32-bit rolling hashes, verified on every hit): linear in both lengths.
 */
function sharedRuns(a: string, b: string, n: number, accept: (run: string) => boolean): string[] {
  let pow = 1;
  for (let i = 1; i < n; i++) pow = Math.imul(pow, BASE);
  const hashOf = (s: string, from: number) => {
    let h = 0;
    for (let i = from; i < from + n; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
    return h;
  };
  const roll = (h: number, out: number, inc: number) => (Math.imul((h - Math.imul(out, pow)) | 0, BASE) + inc) | 0;
  const windows = new Map<number, number[]>();
  for (let j = 0, h = hashOf(b, 0); ; j++) {
    const list = windows.get(h);
    if (!list) windows.set(h, [j]);
    else if (list.length < 64) list.push(j);
    if (j + n >= b.length) break;
    h = roll(h, b.charCodeAt(j), b.charCodeAt(j + n));
  }
  const runs: string[] = [];
  let i = 0;
  let h = hashOf(a, 0);
  while (i + n <= a.length) {
    let len = 0;
    for (const j of windows.get(h) ?? []) {
      if (a.slice(i, i + n) !== b.slice(j, j + n)) continue;
      let k = n;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      len = Math.max(len, k);
    }
    const run = len > 0 ? a.slice(i, i + len).trim() : '';
    if (run && accept(run)) {
      runs.push(run);
      i += len;
      if (i + n <= a.length) h = hashOf(a, i);
      continue;
    }
    if (i + n >= a.length) break;
    h = roll(h, a.charCodeAt(i), a.charCodeAt(i + n));
    i++;
  }
  return runs;
}

// --- helpers ------------------------------------------------------------------------------------------

/** Sentences of an answer: split at sentence ends and line breaks, not at decimal points. */
function sentences(text: string): string[] {
  return text.split(/(?<=[。！？!?；;\n])|(?<=\.)(?!\d)/).filter((s) => s.trim() !== '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
