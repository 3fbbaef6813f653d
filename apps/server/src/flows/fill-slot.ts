import type { FlowStep } from '@kefu/protocol';
import type { Entity } from '../nlu/extract-entities.js';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';
import { phraseMatcher } from '../text/phrase-matcher.js';
import { allTexts } from './localize-text.js';

export type AskSpec = Extract<FlowStep, { ask: unknown }>['ask'];

/** What the customer's answer gives the slot, or that it does not fit. */
export type SlotFill = { fits: true; value: unknown } | { fits: false };

const NO_FIT: SlotFill = { fits: false };

/**
 * Reads a slot's value from the customer's answer, by the slot's type:
 * - `entity`: the first entity of that type found in the message (`lookup:<list>` names a lookup list);
 * - `regex`: the first match of the pattern in the message;
 * - `choice`: a choice whose value, label (any language) or synonym the answer names, or its number (1, 2…);
 * - `number`: a number in the message, within min/max;
 * - `yes_no`: yes or no, in Chinese or English;
 * - `text`: the answer itself, within minLength/maxLength (default 1–500 characters).
 */
export function fillSlot(ask: AskSpec, text: string, entities: readonly Entity[]): SlotFill {
  const answer = normalizeText(text);
  if (!answer) return NO_FIT;
  switch (ask.type) {
    case 'entity':
      return entitySlot(ask, entities);
    case 'regex': {
      const m = new RegExp(ask.pattern ?? '', 'u').exec(answer);
      return m ? { fits: true, value: m[0] } : NO_FIT;
    }
    case 'choice':
      return matchChoice(ask, answer);
    case 'number': {
      const amount = entities.find((x) => x.type === 'amount')?.value as { amount?: number } | undefined;
      const n = amount?.amount ?? Number(/-?\d+(?:\.\d+)?/.exec(answer.replace(/,/g, ''))?.[0] ?? Number.NaN);
      if (!Number.isFinite(n)) return NO_FIT;
      if ((ask.min !== undefined && n < ask.min) || (ask.max !== undefined && n > ask.max)) return NO_FIT;
      return { fits: true, value: n };
    }
    case 'yes_no':
      return yesNo(answer);
    default: {
      const len = [...answer].length;
      if (len < (ask.minLength ?? 1) || len > (ask.maxLength ?? 500)) return NO_FIT;
      return { fits: true, value: answer };
    }
  }
}

/** An `entity` slot's value from the entities of a message (`lookup:<list>` names a lookup list). */
export function entitySlot(ask: AskSpec, entities: readonly Entity[]): SlotFill {
  if (ask.type !== 'entity') return NO_FIT;
  const [type, list] = (ask.entity ?? '').split(':');
  const e = entities.find((x) => x.type === type && (!list || x.name === list));
  return e ? { fits: true, value: e.value ?? e.text } : NO_FIT;
}

function matchChoice(ask: AskSpec, answer: string): SlotFill {
  const choices = ask.choices ?? [];
  const folded = foldForAnalysis(answer).replace(/[\s。.!！?？,，]+$/u, '');
  const index = /^(\d{1,2})$/.exec(folded);
  if (index) {
    const c = choices[Number(index[1]) - 1];
    return c ? { fits: true, value: c.value } : NO_FIT;
  }
  // Exact names first, then names inside a longer answer ("质量问题，耳机坏了"); two different choices named → unclear.
  const names = (c: (typeof choices)[number]) => [c.value, ...allTexts(c.label), ...(c.synonyms ?? [])].map((s) => foldForAnalysis(normalizeText(s)));
  const exact = choices.filter((c) => names(c).includes(folded));
  if (exact.length === 1) return { fits: true, value: exact[0]!.value };
  const inside = choices.filter((c) => names(c).some((n) => n.length > 0 && phraseMatcher(n)(folded)));
  return inside.length === 1 ? { fits: true, value: inside[0]!.value } : NO_FIT;
}

const YES = new Set([
  '是',
  '是的',
  '对',
  '对的',
  '好',
  '好的',
  '可以',
  '确认',
  '确定',
  '嗯',
  '行',
  '没错',
  '要',
  'yes',
  'y',
  'yeah',
  'yep',
  'sure',
  'ok',
  'okay',
  'correct',
  'confirm',
  'right',
]);
const NO = new Set(['不', '不是', '否', '不对', '不要', '不用', '不用了', '不行', '没有', '错了', 'no', 'n', 'nope', 'not really', 'wrong', "don't"]);

function yesNo(answer: string): SlotFill {
  const a = foldForAnalysis(answer).replace(/[\s。.!！?？,，~]+$/u, '');
  if (YES.has(a)) return { fits: true, value: true };
  if (NO.has(a)) return { fits: true, value: false };
  // A longer answer that starts with a clear yes or no: "好的，就这样", "no, that's wrong".
  const head = /^([\p{Script=Han}]{1,2}|[a-z]+)(?=[\s,，。.!！])/u.exec(a)?.[1];
  if (head && YES.has(head)) return { fits: true, value: true };
  if (head && NO.has(head)) return { fits: true, value: false };
  return NO_FIT;
}

/** Phrases that end the flow: the customer no longer wants to go on. */
const CANCEL = /^(?:取消|算了|不办了|不弄了|不退了|不查了|退出|不需要了|先不了|cancel|stop|quit|never ?mind|forget it)(?:吧|了|啦)?[\s。.!！]*$/u;
export const isCancel = (text: string) => CANCEL.test(foldForAnalysis(normalizeText(text)));
