import type { Translate } from '../i18n.js';
import { element as el } from './element.js';

export type PreChatKey = 'name' | 'email' | 'phone';
export interface PreChatField {
  key: PreChatKey;
  required: boolean;
}
export type PreChatValues = Partial<Record<PreChatKey, string>>;

export interface PreChatFormOptions {
  t: Translate;
  fields: readonly PreChatField[];
  /** The workspace's line above the form, in the visitor's language. */
  intro: string | null;
  submit(values: PreChatValues): Promise<void>;
}

export interface PreChatForm {
  element: HTMLElement;
  relabel(t: Translate): void;
  focus(): void;
}

/** The same rules the server applies (StartConversationBody), so a refusal is caught at the field. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()-]{3,32}$/;

/** The first problem with a value, as a message key; null when it is fine. */
export function preChatProblem(
  field: PreChatField,
  raw: string,
): 'prechat.required' | 'prechat.invalidEmail' | 'prechat.invalidPhone' | 'prechat.tooLong' | null {
  const value = raw.trim();
  if (!value) return field.required ? 'prechat.required' : null;
  if (field.key === 'email') return value.length > 254 || !EMAIL.test(value) ? 'prechat.invalidEmail' : null;
  if (field.key === 'phone') return PHONE.test(value) ? null : 'prechat.invalidPhone';
  return value.length > 200 ? 'prechat.tooLong' : null;
}

const INPUT: Record<PreChatKey, { type: string; autocomplete: string; inputMode?: string }> = {
  name: { type: 'text', autocomplete: 'name' },
  email: { type: 'email', autocomplete: 'email', inputMode: 'email' },
  phone: { type: 'tel', autocomplete: 'tel', inputMode: 'tel' },
};

/**
 * Details asked before the first message, when the workspace wants them: labelled inputs with the
 * browser's autofill hints, errors at the field (announced, and linked with aria-describedby), and the
 * conversation starts only once they pass.
 */
export function createPreChatForm(doc: Document, options: PreChatFormOptions): PreChatForm {
  let t = options.t;
  let busy = false;
  const uid = `kf-pre-${Math.random().toString(36).slice(2, 8)}`;
  const form = el(doc, 'form', { className: 'kf-prechat', noValidate: true, 'data-testid': 'prechat' });
  const intro = el(doc, 'p', { className: 'kf-prechat__intro' });
  const rows = options.fields.map((field) => {
    const id = `${uid}-${field.key}`;
    const spec = INPUT[field.key];
    const input = el(doc, 'input', {
      id,
      name: field.key,
      type: spec.type,
      autocomplete: spec.autocomplete,
      required: field.required,
      className: 'kf-prechat__input',
      'aria-describedby': `${id}-error`,
      'data-testid': `prechat-${field.key}`,
    });
    if (spec.inputMode) input.inputMode = spec.inputMode;
    const label = el(doc, 'label', { htmlFor: id, className: 'kf-prechat__label' });
    const error = el(doc, 'p', { id: `${id}-error`, className: 'kf-prechat__error', hidden: true });
    input.addEventListener('input', () => {
      if (!error.hidden) check(row);
    });
    const row = { field, input, label, error };
    form.append(el(doc, 'div', { className: 'kf-prechat__row' }, [label, input, error]));
    return row;
  });
  const failure = el(doc, 'p', { className: 'kf-prechat__error', role: 'alert', hidden: true });
  const submit = el(doc, 'button', { type: 'submit', className: 'kf-prechat__submit', 'data-testid': 'prechat-submit' });
  form.prepend(intro);
  form.append(failure, submit);

  function check(row: (typeof rows)[number]): boolean {
    const problem = preChatProblem(row.field, row.input.value);
    row.error.textContent = problem ? t(problem) : '';
    row.error.hidden = !problem;
    row.input.setAttribute('aria-invalid', String(Boolean(problem)));
    return !problem;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    const bad = rows.filter((r) => !check(r));
    if (bad.length) {
      bad[0]!.input.focus();
      return;
    }
    const values: PreChatValues = {};
    for (const r of rows) if (r.input.value.trim()) values[r.field.key] = r.input.value.trim();
    busy = true;
    failure.hidden = true;
    render();
    options
      .submit(values)
      .catch((err: unknown) => {
        failure.textContent = err instanceof Error && err.message ? err.message : t('prechat.failed');
        failure.hidden = false;
      })
      .finally(() => {
        busy = false;
        render();
      });
  });

  function render() {
    intro.textContent = options.intro?.trim() || t('prechat.intro');
    for (const r of rows) {
      r.label.textContent = `${t(`prechat.${r.field.key}`)}${r.field.required ? ' *' : ` ${t('prechat.optional')}`}`;
      if (!r.error.hidden) check(r);
    }
    submit.textContent = busy ? t('prechat.starting') : t('prechat.submit');
    submit.disabled = busy;
  }
  render();

  return {
    element: form,
    relabel(next) {
      t = next;
      render();
    },
    focus() {
      rows[0]?.input.focus();
    },
  };
}
