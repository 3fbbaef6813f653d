import { Converter } from 'opencc-js';

// Zero-width and bidi control characters that customers paste in without seeing them.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// C0/C1 controls other than tab and newline.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * The text the bot works with: NFKC (full-width ASCII → half-width, compatibility forms folded),
 * invisible and control characters removed, runs of whitespace collapsed. Shown text is kept as sent.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

// Phrase-aware Taiwan → mainland conversion (軟體 → 软件, 簡訊 → 短信), then Hong Kong forms.
const twToCn = Converter({ from: 'twp', to: 'cn' });
const hkToCn = Converter({ from: 'hk', to: 'cn' });

// Variant pairs that both survive conversion (帳戶 → 帐户 but 賬戶 → 账户): fold to one form.
const VARIANTS: Record<string, string> = { 帐: '账', 綫: '线', 麽: '么', 裏: '里' };
const VARIANT_RE = new RegExp(`[${Object.keys(VARIANTS).join('')}]`, 'g');

const HAN = /\p{Script=Han}/u;

/**
 * The form used for matching only: lower-cased, Traditional folded to Simplified, variants folded.
 * Applied to both the knowledge and the query, so 帳單, 账单 and 帐单 meet.
 */
export function foldForAnalysis(normalized: string): string {
  const lower = normalized.toLowerCase();
  if (!HAN.test(lower)) return lower;
  return hkToCn(twToCn(lower)).replace(VARIANT_RE, (c: string) => VARIANTS[c] ?? c);
}
