import type { FaqEntry, FieldError } from '@kefu/protocol';
import { type ReactNode, useId, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { knowledgeApi } from '../../api/knowledge';
import { useI18n } from '../../i18n/i18n';
import {
  bodyFromForm,
  type ClientCheck,
  checkForm,
  emptyForm,
  FAQ_AUDIENCES,
  FAQ_LANGUAGES,
  FAQ_STATUSES,
  type FaqForm as FaqFormState,
  fieldErrorsByPath,
  formFromEntry,
  formSignature,
  newVariant,
  normalizeForm,
  type VariantForm,
} from '../../lib/faq-form';
import { useSignedIn } from '../../state/session';
import { saveShortcutHandler, useFocusFirstInvalid, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { ErrorNotice } from '../ErrorNotice';
import { RichText } from '../RichText';
import { SaveBar } from '../SaveBar';
import { ChipInput } from './ChipInput';
import { knownCategories, knownTags } from './FaqList';
import { faqLanguageLabel } from './KnowledgeBadges';

export interface FaqWarning {
  code: string;
  message: string;
  entryId?: string;
}

export type SaveKind = 'created' | 'updated' | 'archived';

interface Props {
  /** The entry as loaded; null for a new one. */
  entry: FaqEntry | null;
  onSaved(entry: FaqEntry, warnings: FaqWarning[], kind: SaveKind): void;
  /** Loads the latest version after a conflict (the form is then rebuilt from it). */
  onReload(): Promise<void>;
  onDirtyChange(dirty: boolean): void;
}

const CHANNELS = ['web', 'api', 'cli'];
const MAX_ANSWER = 20_000;
/** Paths the form shows beside a field; server errors on any other path go in the notice. */
const PLACED =
  /^(externalId|question|similar(\.\d+)?|answer|category|language|status|tags(\.\d+)?|variants(\.\d+(\.(answer|channel|language))?)?|validFrom|validUntil|audience)$/;

/**
 * Create or edit one FAQ entry. The whole content is sent on every save together with the version the
 * form was built from, so a save made on top of someone else's newer save answers 409 instead of
 * silently undoing it.
 */
export function FaqForm({ entry, onSaved, onReload, onDirtyChange }: Props) {
  const { t, has, locale } = useI18n();
  const { api } = useSignedIn();
  const mode = entry ? 'edit' : 'create';
  const [baseline] = useState(() => (entry ? formFromEntry(entry) : emptyForm()));
  const [form, setForm] = useState<FaqFormState>(baseline);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Map<string, FieldError[]>>(new Map());
  const [submitted, setSubmitted] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const base = useId();
  const id = (name: string) => `${base}-${name}`;

  // The question "archive?" takes the focus, on its safe answer.

  const dirty = useMemo(() => formSignature(form) !== formSignature(baseline), [form, baseline]);
  const checks = useMemo(() => (submitted ? checkForm(form) : new Map<string, ClientCheck>()), [submitted, form]);

  useUnsavedChangesGuard(dirty, onDirtyChange);
  // After a failed save, take the person to the first field that needs them.
  const focusFirstInvalid = useFocusFirstInvalid(formRef);

  const update = <K extends keyof FaqFormState>(key: K, value: FaqFormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if ([...serverErrors.keys()].some((p) => p === key || p.startsWith(`${key}.`))) {
      setServerErrors((m) => new Map([...m].filter(([p]) => p !== key && !p.startsWith(`${key}.`))));
    }
  };

  const messages = (path: string): string[] => {
    const out: string[] = [];
    const check = checks.get(path);
    if (check) out.push(t(`kb.check.${check}`));
    for (const e of serverErrors.get(path) ?? []) {
      const key = `error.${e.code}`;
      out.push(has(key) && e.code !== 'VALIDATION_FAILED' ? t(key) : e.message);
    }
    return out;
  };
  const invalid = (path: string) => messages(path).length > 0;

  const save = async () => {
    if (saving) return;
    setSubmitted(true);
    const problems = checkForm(form);
    if (problems.size > 0) {
      focusFirstInvalid();
      return;
    }
    // Save what will be compared afterwards: trimmed, blanks dropped (so server indexes match the rows).
    const normalized = normalizeForm(form);
    setForm(normalized);
    setSaving(true);
    setError(null);
    setConflict(false);
    setServerErrors(new Map());
    try {
      if (entry) {
        const r = await knowledgeApi.updateFaq(api, entry.id, { ...bodyFromForm(normalized, 'edit'), version: entry.version });
        onSaved(r.entry, r.warnings, r.entry.status === 'archived' && entry.status !== 'archived' ? 'archived' : 'updated');
      } else {
        const r = await knowledgeApi.createFaq(api, bodyFromForm(normalized, 'create'));
        onSaved(r.entry, r.warnings, 'created');
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'FAQ_VERSION_CONFLICT') setConflict(true);
      else {
        setError(err);
        if (err instanceof ApiError) setServerErrors(fieldErrorsByPath(err.errors));
        focusFirstInvalid();
      }
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setForm(baseline);
    setServerErrors(new Map());
    setSubmitted(false);
    setError(null);
  };

  const archive = async () => {
    if (!entry) return;
    setSaving(true);
    setError(null);
    try {
      onSaved(await knowledgeApi.archiveFaq(api, entry.id), [], 'archived');
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const reload = async () => {
    setReloading(true);
    try {
      await onReload();
    } finally {
      setReloading(false);
    }
  };

  const onKeyDown = saveShortcutHandler(save);

  const unplaced = [...serverErrors.entries()].filter(([p]) => !PLACED.test(p)).flatMap(([, list]) => list);

  return (
    <form
      ref={formRef}
      className="faq-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={onKeyDown}
      aria-busy={saving}
      data-testid="faq-form"
    >
      {conflict && (
        <div className="notice notice-warn" role="alert" data-code="FAQ_VERSION_CONFLICT">
          <div className="notice-body">
            <strong className="notice-message">{t('kb.conflict.title')}</strong>
            <span>{t('kb.conflict.body', { version: entry?.version ?? 0 })}</span>
            <span className="notice-actions">
              <button type="button" className="btn btn-small" onClick={() => void reload()} disabled={reloading} data-testid="faq-reload">
                {t('kb.conflict.reload')}
              </button>
            </span>
          </div>
        </div>
      )}
      {error ? <ErrorNotice error={error} fields={unplaced} onDismiss={() => setError(null)} /> : null}

      <section className="kb-card" aria-labelledby={id('q-title')}>
        <h2 id={id('q-title')} className="kb-card-title">
          {t('kb.editor.questions')}
        </h2>
        <Field id={id('question')} label={t('kb.field.question')} required messages={messages('question')}>
          <input
            id={id('question')}
            className="kb-input kb-input-lg"
            value={form.question}
            maxLength={1000}
            onChange={(e) => update('question', e.target.value)}
            aria-invalid={invalid('question') || undefined}
            aria-describedby={invalid('question') ? `${id('question')}-msg` : undefined}
            placeholder={t('kb.editor.questionPlaceholder')}
            data-testid="faq-question"
          />
        </Field>
        <SimilarList
          id={id('similar')}
          items={form.similar}
          onChange={(v) => update('similar', v)}
          messages={messages}
          onCheckSimilar={(i) => invalid(`similar.${i}`)}
        />
      </section>

      <section className="kb-card" aria-labelledby={id('a-title')}>
        <h2 id={id('a-title')} className="kb-card-title">
          {t('kb.field.answer')}
          <span className="kb-required" aria-hidden="true">
            *
          </span>
        </h2>
        <AnswerEditor
          id={id('answer')}
          value={form.answer}
          onChange={(v) => update('answer', v)}
          messages={messages('answer')}
          label={t('kb.field.answer')}
          testId="faq-answer"
        />
      </section>

      <section className="kb-card" aria-labelledby={id('s-title')}>
        <h2 id={id('s-title')} className="kb-card-title">
          {t('kb.editor.settings')}
        </h2>
        <div className="kb-grid">
          <Segmented
            legend={t('kb.field.status')}
            name={id('status')}
            value={form.status}
            options={FAQ_STATUSES}
            label={(s) => t(`kb.status.${s}`)}
            hint={t(`kb.statusHint.${form.status}`)}
            onChange={(v) => update('status', v)}
            messages={messages('status')}
            testId="faq-status"
          />
          <Segmented
            legend={t('kb.field.audience')}
            name={id('audience')}
            value={form.audience}
            options={FAQ_AUDIENCES}
            label={(a) => t(`kb.audience.${a}`)}
            hint={t(`kb.audienceHint.${form.audience}`)}
            onChange={(v) => update('audience', v)}
            messages={messages('audience')}
            testId="faq-audience"
          />
          <Field id={id('language')} label={t('kb.field.language')} messages={messages('language')}>
            <select
              id={id('language')}
              className="kb-input"
              value={form.language}
              onChange={(e) => update('language', e.target.value as FaqFormState['language'])}
            >
              <option value="">{mode === 'create' ? t('kb.language.detect') : t('kb.language.unset')}</option>
              {FAQ_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {faqLanguageLabel(l, t)}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('category')} label={t('kb.field.category')} messages={messages('category')}>
            <input
              id={id('category')}
              className="kb-input"
              value={form.category}
              maxLength={100}
              list={id('categories')}
              onChange={(e) => update('category', e.target.value)}
              aria-invalid={invalid('category') || undefined}
            />
            <datalist id={id('categories')}>
              {knownCategories().map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </Field>
          <Field id={id('tags')} label={t('kb.field.tags')} messages={[...messages('tags'), ...form.tags.flatMap((_, i) => messages(`tags.${i}`))]} wide>
            <ChipInput
              value={form.tags}
              onChange={(v) => update('tags', v)}
              label={t('kb.field.tags')}
              placeholder={t('kb.editor.tagsPlaceholder')}
              max={30}
              invalid={invalid('tags')}
              suggestions={knownTags()}
              testId="faq-tags"
            />
          </Field>
          <Field id={id('validFrom')} label={t('kb.field.validFrom')} messages={messages('validFrom')}>
            <input
              id={id('validFrom')}
              className="kb-input"
              type="datetime-local"
              step={60}
              value={form.validFrom}
              onChange={(e) => update('validFrom', e.target.value)}
              aria-invalid={invalid('validFrom') || undefined}
            />
          </Field>
          <Field id={id('validUntil')} label={t('kb.field.validUntil')} messages={messages('validUntil')}>
            <input
              id={id('validUntil')}
              className="kb-input"
              type="datetime-local"
              step={60}
              value={form.validUntil}
              onChange={(e) => update('validUntil', e.target.value)}
              aria-invalid={invalid('validUntil') || undefined}
              data-testid="faq-valid-until"
            />
          </Field>
          <p className="field-hint kb-wide">{t('kb.editor.validHint', { zone: Intl.DateTimeFormat(locale).resolvedOptions().timeZone })}</p>
          <Field id={id('externalId')} label={t('kb.field.externalId')} messages={messages('externalId')} hint={t('kb.editor.externalIdHint')}>
            <input
              id={id('externalId')}
              className="kb-input kb-mono"
              value={form.externalId}
              maxLength={200}
              onChange={(e) => update('externalId', e.target.value)}
              aria-invalid={invalid('externalId') || undefined}
            />
          </Field>
        </div>
      </section>

      <section className="kb-card" aria-labelledby={id('v-title')}>
        <div className="kb-card-head">
          <h2 id={id('v-title')} className="kb-card-title">
            {t('kb.field.variants')}
          </h2>
          <span className="muted small">{t('kb.editor.variantsHint')}</span>
        </div>
        {form.variants.length > 0 && (
          <ol className="variant-rows">
            {form.variants.map((v, i) => (
              <VariantRow
                key={v.key}
                index={i}
                variant={v}
                idBase={id(`variant-${v.key}`)}
                messages={messages}
                onChange={(next) =>
                  update(
                    'variants',
                    form.variants.map((x) => (x.key === v.key ? next : x)),
                  )
                }
                onRemove={() =>
                  update(
                    'variants',
                    form.variants.filter((x) => x.key !== v.key),
                  )
                }
              />
            ))}
          </ol>
        )}
        {messages('variants').map((m) => (
          <p key={m} className="field-error">
            {m}
          </p>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => update('variants', [...form.variants, newVariant()])}
          disabled={form.variants.length >= 20}
        >
          {t('kb.editor.addVariant')}
        </button>
      </section>

      <SaveBar
        dirty={dirty}
        saving={saving}
        existing={mode === 'edit'}
        saveLabel={mode === 'create' ? t('kb.editor.create') : t('kb.editor.save')}
        saveTestId="faq-save"
        onDiscard={discard}
        destroy={
          entry && entry.status !== 'archived'
            ? { label: t('kb.editor.archive'), question: t('kb.editor.archiveConfirm'), testId: 'faq-archive', run: archive }
            : undefined
        }
      />
    </form>
  );
}

function Field(props: { id: string; label: string; required?: boolean; messages: string[]; hint?: string; wide?: boolean; children: ReactNode }) {
  const t = useI18n().t;
  return (
    <div className={`kb-field${props.wide ? ' kb-wide' : ''}${props.messages.length ? ' is-invalid' : ''}`}>
      <label htmlFor={props.id}>
        {props.label}
        {props.required && (
          <span className="kb-required" title={t('kb.required')}>
            *
          </span>
        )}
      </label>
      {props.children}
      {props.hint && <span className="field-hint">{props.hint}</span>}
      <FieldMessages id={`${props.id}-msg`} messages={props.messages} />
    </div>
  );
}

function FieldMessages({ id, messages }: { id?: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {messages.join(' · ')}
    </p>
  );
}

function Segmented<T extends string>(props: {
  legend: string;
  name: string;
  value: T;
  options: readonly T[];
  label(v: T): string;
  hint: string;
  onChange(v: T): void;
  messages: string[];
  testId: string;
}) {
  return (
    <fieldset className={`kb-field kb-segmented-field${props.messages.length ? ' is-invalid' : ''}`} data-testid={props.testId}>
      <legend>{props.legend}</legend>
      <div className="segmented">
        {props.options.map((o) => (
          <label key={o} className={`segment segment-${o}${props.value === o ? ' is-active' : ''}`}>
            <input type="radio" name={props.name} value={o} checked={props.value === o} onChange={() => props.onChange(o)} />
            {props.label(o)}
          </label>
        ))}
      </div>
      <span className="field-hint">{props.hint}</span>
      <FieldMessages messages={props.messages} />
    </fieldset>
  );
}

function SimilarList({
  id,
  items,
  onChange,
  messages,
  onCheckSimilar,
}: {
  id: string;
  items: string[];
  onChange(v: string[]): void;
  messages(path: string): string[];
  onCheckSimilar(i: number): boolean;
}) {
  const t = useI18n().t;
  const [draft, setDraft] = useState('');
  const addInput = useRef<HTMLInputElement>(null);
  const rowInputs = useRef<Array<HTMLInputElement | null>>([]);

  const add = () => {
    const v = draft.trim();
    if (!v) return;
    if (!items.includes(v)) onChange([...items, v]);
    setDraft('');
  };

  return (
    <div className="kb-field similar">
      <label htmlFor={`${id}-add`}>
        {t('kb.field.similar')} <span className="muted small">{t('kb.editor.similarCount', { count: items.length })}</span>
      </label>
      <span className="field-hint">{t('kb.editor.similarHint')}</span>
      {items.length > 0 && (
        <ol className="similar-list" data-testid="faq-similar-list">
          {items.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the index is their identity while typing
            <li key={i} className={`similar-item${onCheckSimilar(i) ? ' is-invalid' : ''}`}>
              <input
                ref={(el) => {
                  rowInputs.current[i] = el;
                }}
                className="kb-input"
                value={s}
                maxLength={1000}
                aria-label={t('kb.editor.similarItem', { n: i + 1 })}
                aria-invalid={onCheckSimilar(i) || undefined}
                onChange={(e) => onChange(items.map((x, j) => (j === i ? e.target.value : x)))}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && !e.nativeEvent.isComposing && e.keyCode !== 229) {
                    e.preventDefault();
                    (rowInputs.current[i + 1] ?? addInput.current)?.focus();
                  }
                }}
              />
              <button
                type="button"
                className="btn-icon"
                onClick={() => {
                  onChange(items.filter((_, j) => j !== i));
                  addInput.current?.focus();
                }}
                aria-label={t('kb.editor.removeSimilar', { text: s || String(i + 1) })}
                title={t('kb.remove')}
              >
                ×
              </button>
              <FieldMessages messages={messages(`similar.${i}`)} />
            </li>
          ))}
        </ol>
      )}
      <div className="similar-add">
        <input
          id={`${id}-add`}
          ref={addInput}
          className="kb-input"
          value={draft}
          maxLength={1000}
          placeholder={t('kb.editor.similarPlaceholder')}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.nativeEvent.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              add();
            }
          }}
          disabled={items.length >= 200}
          data-testid="faq-similar-add"
        />
        <button type="button" className="btn btn-small" onClick={add} disabled={!draft.trim()}>
          {t('kb.add')}
        </button>
      </div>
      <FieldMessages messages={messages('similar')} />
    </div>
  );
}

/** Markdown source beside a live preview drawn with the widget's grammar. */
function AnswerEditor({
  id,
  value,
  onChange,
  messages,
  label,
  testId,
}: {
  id: string;
  value: string;
  onChange(v: string): void;
  messages: string[];
  label: string;
  testId: string;
}) {
  const t = useI18n().t;
  const area = useRef<HTMLTextAreaElement>(null);

  // Toolbar edits go through the textarea's own undo stack where the browser allows it.
  const edit = (fn: (text: string, start: number, end: number) => { text: string; start: number; end: number }) => {
    const el = area.current;
    if (!el) return;
    const r = fn(value, el.selectionStart, el.selectionEnd);
    onChange(r.text);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(r.start, r.end);
    });
  };
  const bold = () =>
    edit((text, s, e) => {
      const inner = text.slice(s, e) || t('kb.editor.boldPlaceholder');
      return { text: `${text.slice(0, s)}**${inner}**${text.slice(e)}`, start: s + 2, end: s + 2 + inner.length };
    });
  const list = (ordered: boolean) =>
    edit((text, s, e) => {
      const lineStart = text.lastIndexOf('\n', s - 1) + 1;
      const block = text.slice(lineStart, e);
      const lines = block.split('\n').map((l, i) => `${ordered ? `${i + 1}. ` : '- '}${l.replace(/^\s*([-*•·]|\d{1,3}[.)、])\s*/, '')}`);
      const out = lines.join('\n');
      return { text: text.slice(0, lineStart) + out + text.slice(e), start: lineStart, end: lineStart + out.length };
    });

  return (
    <div className={`answer-editor${messages.length ? ' is-invalid' : ''}`}>
      <div className="answer-source">
        <div className="answer-toolbar" role="toolbar" aria-label={t('kb.editor.format')}>
          <button type="button" className="btn-icon" onClick={bold} title={t('kb.editor.bold')} aria-label={t('kb.editor.bold')}>
            <b>B</b>
          </button>
          <button type="button" className="btn-icon" onClick={() => list(false)} title={t('kb.editor.bullets')} aria-label={t('kb.editor.bullets')}>
            <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
              <circle cx="3" cy="4" r="1.2" fill="currentColor" />
              <circle cx="3" cy="8" r="1.2" fill="currentColor" />
              <circle cx="3" cy="12" r="1.2" fill="currentColor" />
              <path d="M6.5 4h7M6.5 8h7M6.5 12h7" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
            </svg>
          </button>
          <button type="button" className="btn-icon" onClick={() => list(true)} title={t('kb.editor.numbers')} aria-label={t('kb.editor.numbers')}>
            <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
              <text x="0.5" y="6" fontSize="5.5" fill="currentColor">
                1
              </text>
              <text x="0.5" y="13" fontSize="5.5" fill="currentColor">
                2
              </text>
              <path d="M6.5 4.5h7M6.5 11h7" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
            </svg>
          </button>
          <span className="answer-count muted small">
            {value.length.toLocaleString()} / {MAX_ANSWER.toLocaleString()}
          </span>
        </div>
        <textarea
          id={id}
          ref={area}
          className="kb-input answer-textarea"
          value={value}
          maxLength={MAX_ANSWER}
          rows={9}
          aria-label={label}
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={`${id}-syntax`}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
        <p id={`${id}-syntax`} className="field-hint">
          {t('kb.editor.markdownHint')}
        </p>
        <FieldMessages messages={messages} />
      </div>
      <section className="answer-preview" aria-label={t('kb.editor.preview')}>
        <div className="answer-preview-label">{t('kb.editor.preview')}</div>
        <div className="answer-bubble" data-testid="faq-preview">
          {value.trim() ? <RichText text={value} /> : <p className="muted">{t('kb.editor.previewEmpty')}</p>}
        </div>
      </section>
    </div>
  );
}

function VariantRow({
  index,
  variant,
  idBase,
  messages,
  onChange,
  onRemove,
}: {
  index: number;
  variant: VariantForm;
  idBase: string;
  messages(path: string): string[];
  onChange(v: VariantForm): void;
  onRemove(): void;
}) {
  const t = useI18n().t;
  const rowMessages = messages(`variants.${index}`);
  const answerMessages = messages(`variants.${index}.answer`);
  return (
    <li className={`variant-row${rowMessages.length ? ' is-invalid' : ''}`} data-testid="faq-variant">
      <div className="variant-target">
        <div className="kb-field">
          <label htmlFor={`${idBase}-lang`}>{t('kb.field.language')}</label>
          <select
            id={`${idBase}-lang`}
            className="kb-input"
            value={variant.language}
            onChange={(e) => onChange({ ...variant, language: e.target.value as VariantForm['language'] })}
            aria-invalid={rowMessages.length > 0 || undefined}
          >
            <option value="">{t('kb.variant.anyLanguage')}</option>
            {FAQ_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {faqLanguageLabel(l, t)}
              </option>
            ))}
          </select>
        </div>
        <div className="kb-field">
          <label htmlFor={`${idBase}-channel`}>{t('kb.field.channel')}</label>
          <input
            id={`${idBase}-channel`}
            className="kb-input"
            value={variant.channel}
            maxLength={40}
            list={`${idBase}-channels`}
            placeholder={t('kb.variant.anyChannel')}
            onChange={(e) => onChange({ ...variant, channel: e.target.value })}
            aria-invalid={rowMessages.length > 0 || undefined}
          />
          <datalist id={`${idBase}-channels`}>
            {CHANNELS.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <button type="button" className="btn btn-small btn-ghost variant-remove" onClick={onRemove}>
          {t('kb.remove')}
        </button>
      </div>
      <FieldMessages messages={rowMessages} />
      <div className="kb-field variant-answer">
        <label htmlFor={`${idBase}-answer`}>{t('kb.variant.answer', { n: index + 1 })}</label>
        <textarea
          id={`${idBase}-answer`}
          className="kb-input"
          rows={3}
          maxLength={MAX_ANSWER}
          value={variant.answer}
          onChange={(e) => onChange({ ...variant, answer: e.target.value })}
          aria-invalid={answerMessages.length > 0 || undefined}
        />
        <FieldMessages messages={answerMessages} />
      </div>
    </li>
  );
}
