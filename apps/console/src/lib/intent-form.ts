import type { Intent, IntentAction, IntentBody } from '@kefu/protocol';
import { checkIntentName, MAX_DESCRIPTION_CHARS, MAX_EXAMPLES, OUT_OF_SCOPE, parseExamples } from './intents';

export type ActionKind = 'none' | 'faq' | 'handoff' | 'tag' | 'flow';
/** Flows are not built yet: an intent that has one keeps it, but it is not offered for new ones. */
export const ACTION_KINDS: readonly ActionKind[] = ['none', 'faq', 'handoff', 'tag'];
export const MAX_TAG_CHARS = 50;

/** The editor's state: examples as the text of the box, one per line; every action's field kept while switching. */
export interface IntentForm {
  name: string;
  description: string;
  examples: string;
  action: ActionKind;
  faqId: string;
  tag: string;
  flowId: string;
}

export type IntentCheck =
  | 'required'
  | 'pattern'
  | 'tooLong'
  | 'descriptionTooLong'
  | 'exampleTooLong'
  | 'tooManyExamples'
  | 'faqRequired'
  | 'tagRequired'
  | 'tagTooLong';

export const emptyIntentForm = (): IntentForm => ({ name: '', description: '', examples: '', action: 'none', faqId: '', tag: '', flowId: '' });

export function formFromIntent(i: Intent): IntentForm {
  const a = i.action;
  return {
    name: i.name,
    description: i.description,
    examples: i.examples.join('\n'),
    action: a ? a.kind : 'none',
    faqId: a?.kind === 'faq' ? a.faqId : '',
    tag: a?.kind === 'tag' ? a.tag : '',
    flowId: a?.kind === 'flow' ? a.flowId : '',
  };
}

function actionOf(f: IntentForm): IntentAction | null {
  if (f.name.trim() === OUT_OF_SCOPE) return null;
  switch (f.action) {
    case 'faq':
      return { kind: 'faq', faqId: f.faqId };
    case 'handoff':
      return { kind: 'handoff' };
    case 'tag':
      return { kind: 'tag', tag: f.tag.trim() };
    case 'flow':
      return { kind: 'flow', flowId: f.flowId };
    default:
      return null;
  }
}

/** What is sent: trimmed, examples one per line without repeats, the chosen action or null. */
export function bodyFromIntentForm(f: IntentForm): IntentBody {
  return { name: f.name.trim(), description: f.description.trim(), examples: parseExamples(f.examples).examples, action: actionOf(f) };
}

/** Problems the server would report, found before sending, by field path (as the server names them). */
export function checkIntentForm(f: IntentForm): Map<string, IntentCheck> {
  const out = new Map<string, IntentCheck>();
  const name = checkIntentName(f.name);
  if (name) out.set('name', name);
  if (f.description.trim().length > MAX_DESCRIPTION_CHARS) out.set('description', 'descriptionTooLong');
  const ex = parseExamples(f.examples);
  if (ex.tooLong.length) out.set('examples', 'exampleTooLong');
  else if (ex.examples.length > MAX_EXAMPLES) out.set('examples', 'tooManyExamples');
  if (f.name.trim() !== OUT_OF_SCOPE) {
    if (f.action === 'faq' && !f.faqId) out.set('action.faqId', 'faqRequired');
    if (f.action === 'tag' && !f.tag.trim()) out.set('action.tag', 'tagRequired');
    else if (f.action === 'tag' && [...f.tag.trim()].length > MAX_TAG_CHARS) out.set('action.tag', 'tagTooLong');
  }
  return out;
}

/** Equal for two forms that would save the same intent (used for "unsaved changes"). */
export const intentFormSignature = (f: IntentForm) => JSON.stringify(bodyFromIntentForm(f));
