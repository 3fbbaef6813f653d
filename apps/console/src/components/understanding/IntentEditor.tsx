import type { FieldError, Intent } from '@kefu/protocol';
import { type ReactNode, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { intentsApi } from '../../api/intents';
import { useI18n } from '../../i18n/i18n';
import { fieldErrorsByPath } from '../../lib/faq-form';
import { formatFull, formatRelative } from '../../lib/format';
import {
  ACTION_KINDS,
  type ActionKind,
  bodyFromIntentForm,
  checkIntentForm,
  emptyIntentForm,
  formFromIntent,
  type IntentCheck,
  type IntentForm,
  intentFormSignature,
  MAX_TAG_CHARS,
} from '../../lib/intent-form';
import { MAX_DESCRIPTION_CHARS, MAX_EXAMPLES, MAX_NAME_CHARS, MIN_EXAMPLES, OUT_OF_SCOPE, parseExamples } from '../../lib/intents';
import { followLink, navigateTo, setNavigationGuard, understandingHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useFaqTitles } from '../../state/use-faq-titles';
import { saveShortcutHandler, useFocusFirstInvalid, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { useIntentRuns } from '../../state/use-intent-runs';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { SaveBar } from '../SaveBar';
import { FaqPicker } from './FaqPicker';
import { IntentActionLabel } from './IntentActionLabel';
import { noteDeleted } from './intent-notes';

type Outcome = 'created' | 'saved';

// A create moves to the new intent's address; the saved intent and the outcome ride along.
const handOver = new Map<string, { intent: Intent; outcome: Outcome }>();

/** Paths the form shows beside a field; server errors on other paths go in the notice. */
const PLACED = /^(name|description|examples(\.\d+)?|action(\.(faqId|tag))?)$/;

export function IntentEditorScreen({ intentId, canEdit }: { intentId: string; canEdit: boolean }) {
  return intentId === 'new' ? <NewIntent canEdit={canEdit} /> : <ExistingIntent key={intentId} id={intentId} canEdit={canEdit} />;
}

function BackLink() {
  const t = useI18n().t;
  return (
    <a className="kb-back" href={understandingHref('intents')} onClick={followLink}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M10 3.5 5.5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {t('nlu.editor.back')}
    </a>
  );
}

function Tips() {
  const t = useI18n().t;
  return (
    <aside className="faq-screen-side">
      <section className="kb-card kb-tips">
        <h2 className="kb-card-title">{t('nlu.tips.title')}</h2>
        <ul>
          <li>{t('nlu.tips.examples', { min: MIN_EXAMPLES })}</li>
          <li>{t('nlu.tips.languages')}</li>
          <li>{t('nlu.tips.oos')}</li>
          <li>{t('nlu.tips.train')}</li>
        </ul>
      </section>
    </aside>
  );
}

const noop = () => {};

function NewIntent({ canEdit }: { canEdit: boolean }) {
  const t = useI18n().t;
  useEffect(() => {
    document.title = `${t('nlu.editor.newTitle')} · ${t('nlu.title')}`;
  }, [t]);
  return (
    <div className="faq-screen">
      <header className="faq-screen-head">
        <BackLink />
        <h1 className="kb-title">{t('nlu.editor.newTitle')}</h1>
      </header>
      <div className="faq-screen-cols">
        <div className="faq-screen-main">
          {canEdit ? (
            <IntentFormView
              intent={null}
              onSaved={(intent) => {
                handOver.set(intent.id, { intent, outcome: 'created' });
                navigateTo(understandingHref('intents', { intentId: intent.id }), { replace: true, force: true });
              }}
              onDirtyChange={noop}
            />
          ) : (
            <p className="notice notice-info">{t('nlu.readOnly')}</p>
          )}
        </div>
        <Tips />
      </div>
    </div>
  );
}

function ExistingIntent({ id, canEdit }: { id: string; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [handed] = useState(() => handOver.get(id));
  const loaded = useLoad((signal) => intentsApi.get(api, id, signal), [api, id]);
  const [outcome, setOutcome] = useState<Outcome | null>(handed?.outcome ?? null);
  const current = loaded.data ?? handed?.intent ?? null;
  const { setData } = loaded;

  useEffect(() => {
    handOver.delete(id);
  }, [id]);

  useEffect(() => {
    if (current) document.title = `${current.name} · ${t('nlu.title')}`;
  }, [current, t]);

  const onSaved = useCallback(
    (i: Intent) => {
      setData(i);
      setOutcome('saved');
    },
    [setData],
  );

  if (!current) {
    return (
      <div className="faq-screen">
        <header className="faq-screen-head">
          <BackLink />
        </header>
        {loaded.error ? <ErrorNotice error={loaded.error} /> : <p className="kb-empty">{t('nlu.editor.loading')}</p>}
      </div>
    );
  }

  return (
    <div className="faq-screen" data-intent-id={current.id}>
      <header className="faq-screen-head">
        <BackLink />
        <div className="faq-screen-title">
          <h1 className="kb-title" data-testid="intent-title">
            {current.name}
          </h1>
          <div className="faq-screen-meta">
            <span className="badge badge-muted">{t('nlu.examples.count', { count: current.examples.length })}</span>
            <span className="muted">
              <time dateTime={current.updatedAt} title={formatFull(current.updatedAt, locale)}>
                {t('kb.editor.updated', { time: formatRelative(current.updatedAt, locale) })}
              </time>
            </span>
          </div>
        </div>
        {current.examples[0] && (
          <a className="btn btn-small" href={understandingHref('try', { query: { q: current.examples[0] } })} onClick={followLink}>
            {t('nlu.editor.tryIt')}
          </a>
        )}
      </header>

      {outcome && <OutcomeNotice outcome={outcome} canEdit={canEdit} onDismiss={() => setOutcome(null)} />}
      {loaded.error ? <ErrorNotice error={loaded.error} compact /> : null}

      <div className="faq-screen-cols">
        <div className="faq-screen-main">
          {canEdit ? (
            <IntentFormView key={`${current.id}:${current.updatedAt}`} intent={current} onSaved={onSaved} onDirtyChange={noop} />
          ) : (
            <IntentReadView intent={current} />
          )}
        </div>
        <Tips />
      </div>
    </div>
  );
}

/** After a save: the examples are stored, and the model learns them at the next training run. */
function OutcomeNotice({ outcome, canEdit, onDismiss }: { outcome: Outcome; canEdit: boolean; onDismiss(): void }) {
  const t = useI18n().t;
  const runs = useIntentRuns();
  const train = async () => {
    if (await runs.train()) navigateTo(understandingHref('training'));
  };
  return (
    <div className="notice notice-success" role="status" data-testid="intent-outcome">
      <div className="notice-body">
        <strong className="notice-message">{t(outcome === 'created' ? 'nlu.editor.created' : 'nlu.editor.saved')}</strong>
        <span>{t('nlu.editor.trainHint')}</span>
        <span className="notice-actions">
          {canEdit && (
            <button type="button" className="btn btn-small btn-primary" onClick={() => void train()} disabled={runs.starting || runs.active !== null}>
              {runs.starting ? t('nlu.training.starting') : t('nlu.model.trainNow')}
            </button>
          )}
          <a className="notice-link" href={understandingHref('training')} onClick={followLink}>
            {t('nlu.model.seeTraining')}
          </a>
        </span>
        {runs.trainError ? <ErrorNotice error={runs.trainError} compact onDismiss={runs.clearTrainError} /> : null}
      </div>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
        ×
      </button>
    </div>
  );
}

function IntentReadView({ intent }: { intent: Intent }) {
  const t = useI18n().t;
  const titles = useFaqTitles(intent.action?.kind === 'faq' ? [intent.action.faqId] : []);
  return (
    <div className="kb-card faq-read" data-testid="intent-read">
      <p className="notice notice-info">{t('nlu.readOnly')}</p>
      <dl className="faq-read-facts">
        <div>
          <dt>{t('nlu.field.description')}</dt>
          <dd>{intent.description || '—'}</dd>
        </div>
        <div>
          <dt>{t('nlu.field.action')}</dt>
          <dd>
            <IntentActionLabel action={intent.action} faqTitle={intent.action?.kind === 'faq' ? titles.get(intent.action.faqId) : undefined} />
          </dd>
        </div>
      </dl>
      <h2 className="kb-card-title">
        {t('nlu.field.examples')} <span className="muted small">({intent.examples.length})</span>
      </h2>
      <ol className="intent-examples-read">
        {intent.examples.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ol>
    </div>
  );
}

interface FormProps {
  intent: Intent | null;
  onSaved(intent: Intent): void;
  onDirtyChange(dirty: boolean): void;
}

function IntentFormView({ intent, onSaved, onDirtyChange }: FormProps) {
  const { t, has } = useI18n();
  const { api } = useSignedIn();
  const [baseline] = useState(() => (intent ? formFromIntent(intent) : emptyIntentForm()));
  const [form, setForm] = useState<IntentForm>(baseline);
  const [faqQuestion, setFaqQuestion] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Map<string, FieldError[]>>(new Map());
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const base = useId();
  const id = (name: string) => `${base}-${name}`;
  const titles = useFaqTitles(form.faqId ? [form.faqId] : []);
  const chosenQuestion = faqQuestion ?? (form.faqId ? (titles.get(form.faqId) ?? null) : null);

  const dirty = useMemo(() => intentFormSignature(form) !== intentFormSignature(baseline), [form, baseline]);
  const checks = useMemo(() => (submitted ? checkIntentForm(form) : new Map<string, IntentCheck>()), [submitted, form]);
  const parsed = useMemo(() => parseExamples(form.examples), [form.examples]);
  const isOos = form.name.trim() === OUT_OF_SCOPE;

  useUnsavedChangesGuard(dirty, onDirtyChange);
  // After a failed save, take the person to the first field that needs them.
  const focusFirstInvalid = useFocusFirstInvalid(formRef);

  const update = <K extends keyof IntentForm>(key: K, value: IntentForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    const prefix = key === 'faqId' || key === 'tag' ? `action.${key}` : key === 'action' ? 'action' : key;
    if ([...serverErrors.keys()].some((p) => p === prefix || p.startsWith(`${prefix}.`))) {
      setServerErrors((m) => new Map([...m].filter(([p]) => p !== prefix && !p.startsWith(`${prefix}.`))));
    }
  };

  const messages = (path: string): string[] => {
    const out: string[] = [];
    const check = checks.get(path);
    if (check) out.push(t(`nlu.check.${check}`, { max: MAX_NAME_CHARS, lines: parsed.tooLong.join(t('kb.listSeparator')), limit: MAX_EXAMPLES }));
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
    if (checkIntentForm(form).size > 0) {
      focusFirstInvalid();
      return;
    }
    setSaving(true);
    setError(null);
    setServerErrors(new Map());
    const body = bodyFromIntentForm(form);
    try {
      const saved = intent ? await intentsApi.update(api, intent.id, body) : await intentsApi.create(api, body);
      // The saved intent becomes the baseline: no guard may stop the move to the new address.
      setNavigationGuard(null);
      onSaved(saved);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const byPath = fieldErrorsByPath(err.errors);
        // A taken name is reported as a conflict with the field named; show it beside the name.
        if (err.code === 'INTENT_NAME_TAKEN' && !byPath.has('name'))
          byPath.set('name', [{ field: 'body.name', code: err.code, message: err.detail ?? err.code } as FieldError]);
        setServerErrors(byPath);
      }
      focusFirstInvalid();
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

  const remove = async () => {
    if (!intent) return;
    setSaving(true);
    setError(null);
    try {
      await intentsApi.remove(api, intent.id);
      noteDeleted(intent.name);
      navigateTo(understandingHref('intents'), { force: true });
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  const onKeyDown = saveShortcutHandler(save);

  const unplaced = [...serverErrors.entries()].filter(([p]) => !PLACED.test(p)).flatMap(([, list]) => list);
  const count = parsed.examples.length;
  const thin = count < MIN_EXAMPLES && !isOos;
  const exampleMessages = [...messages('examples'), ...[...serverErrors.keys()].filter((p) => /^examples\.\d+$/.test(p)).flatMap((p) => messages(p))];

  return (
    <form
      ref={formRef}
      className="faq-form intent-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={onKeyDown}
      aria-busy={saving}
      data-testid="intent-form"
    >
      {error ? <ErrorNotice error={error} fields={unplaced} onDismiss={() => setError(null)} /> : null}

      <section className="kb-card" aria-labelledby={id('about')}>
        <h2 id={id('about')} className="kb-card-title">
          {t('nlu.editor.about')}
        </h2>
        <Field id={id('name')} label={t('nlu.field.name')} required messages={messages('name')} hint={t('nlu.field.nameHint')}>
          <input
            id={id('name')}
            className="kb-input kb-mono"
            value={form.name}
            maxLength={MAX_NAME_CHARS + 20}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => update('name', e.target.value)}
            aria-invalid={invalid('name') || undefined}
            aria-describedby={`${id('name')}-hint${invalid('name') ? ` ${id('name')}-msg` : ''}`}
            placeholder="order_status"
            data-testid="intent-name"
          />
        </Field>
        <Field id={id('description')} label={t('nlu.field.description')} messages={messages('description')}>
          <input
            id={id('description')}
            className="kb-input"
            value={form.description}
            maxLength={MAX_DESCRIPTION_CHARS + 20}
            onChange={(e) => update('description', e.target.value)}
            aria-invalid={invalid('description') || undefined}
            placeholder={t('nlu.field.descriptionPlaceholder')}
            data-testid="intent-description"
          />
        </Field>
      </section>

      <section className="kb-card" aria-labelledby={id('ex-title')}>
        <div className="kb-card-head">
          <h2 id={id('ex-title')} className="kb-card-title">
            <label htmlFor={id('examples')}>{t('nlu.field.examples')}</label>
          </h2>
          <span className={`intent-count${thin ? ' is-thin' : ''}`} data-testid="intent-example-count" aria-live="polite">
            {t('nlu.examples.count', { count })}
          </span>
        </div>
        <textarea
          id={id('examples')}
          className="kb-input intent-examples"
          rows={12}
          value={form.examples}
          onChange={(e) => update('examples', e.target.value)}
          aria-invalid={exampleMessages.length > 0 || undefined}
          aria-describedby={`${id('examples')}-hint ${id('examples')}-msg`}
          placeholder={t('nlu.field.examplesPlaceholder')}
          spellCheck={false}
          data-testid="intent-examples"
        />
        <p className="field-hint" id={`${id('examples')}-hint`}>
          {t('nlu.field.examplesHint')}
          {parsed.duplicates > 0 && ` ${t('nlu.examples.duplicates', { count: parsed.duplicates })}`}
        </p>
        <div id={`${id('examples')}-msg`}>
          {thin && (
            <p className="field-warn" data-testid="intent-thin-warning">
              {t('nlu.examples.fewWarning', { min: MIN_EXAMPLES, more: MIN_EXAMPLES - count })}
            </p>
          )}
          <FieldMessages messages={exampleMessages} />
        </div>
      </section>

      <section className="kb-card" aria-labelledby={id('action-title')}>
        <h2 id={id('action-title')} className="kb-card-title">
          {t('nlu.field.action')}
        </h2>
        {isOos ? (
          <p className="field-hint">{t('nlu.action.oos')}</p>
        ) : (
          <ActionFields
            idBase={id('action')}
            form={form}
            update={update}
            messages={messages}
            chosenQuestion={chosenQuestion}
            onFaq={(faqId, question) => {
              setFaqQuestion(question);
              update('faqId', faqId);
            }}
          />
        )}
      </section>

      <SaveBar
        dirty={dirty}
        saving={saving}
        existing={intent !== null}
        saveLabel={intent ? t('kb.editor.save') : t('nlu.editor.create')}
        saveTestId="intent-save"
        onDiscard={discard}
        destroy={
          intent
            ? {
                label: t('kb.delete'),
                question: t('nlu.intents.deleteConfirm', { name: intent.name, count: intent.examples.length }),
                testId: 'intent-delete',
                run: remove,
              }
            : undefined
        }
      />
    </form>
  );
}

function ActionFields(props: {
  idBase: string;
  form: IntentForm;
  update<K extends keyof IntentForm>(key: K, value: IntentForm[K]): void;
  messages(path: string): string[];
  chosenQuestion: string | null;
  onFaq(id: string, question: string): void;
}) {
  const t = useI18n().t;
  const { form, idBase } = props;
  // A flow set by the API stays selectable so that saving does not drop it.
  const kinds: readonly ActionKind[] = form.flowId ? [...ACTION_KINDS, 'flow'] : ACTION_KINDS;
  const faqMessages = props.messages('action.faqId');
  const tagMessages = props.messages('action.tag');
  return (
    <div className="intent-action-fields">
      <fieldset className="kb-field" data-testid="intent-action">
        <legend className="sr-only">{t('nlu.field.action')}</legend>
        <div className="action-choices">
          {kinds.map((k) => (
            <label key={k} className={`action-choice${form.action === k ? ' is-active' : ''}`} data-kind={k}>
              <input type="radio" name={`${idBase}-kind`} value={k} checked={form.action === k} onChange={() => props.update('action', k)} />
              <span className="action-choice-label">{t(`nlu.action.${k}`)}</span>
              <span className="action-choice-hint">{t(`nlu.action.hint.${k}`, { id: form.flowId })}</span>
            </label>
          ))}
        </div>
        <FieldMessages messages={props.messages('action')} />
      </fieldset>
      {form.action === 'faq' && (
        <div className={`kb-field${faqMessages.length ? ' is-invalid' : ''}`}>
          <FaqPicker
            faqId={form.faqId}
            question={props.chosenQuestion}
            onChange={props.onFaq}
            invalid={faqMessages.length > 0}
            describedBy={faqMessages.length ? `${idBase}-faq-msg` : undefined}
          />
          <FieldMessages id={`${idBase}-faq-msg`} messages={faqMessages} />
        </div>
      )}
      {form.action === 'tag' && (
        <Field id={`${idBase}-tag`} label={t('nlu.field.tag')} messages={tagMessages}>
          <input
            id={`${idBase}-tag`}
            className="kb-input"
            value={form.tag}
            maxLength={MAX_TAG_CHARS + 10}
            onChange={(e) => props.update('tag', e.target.value)}
            aria-invalid={tagMessages.length > 0 || undefined}
            placeholder={t('nlu.field.tagPlaceholder')}
            data-testid="intent-tag"
          />
        </Field>
      )}
    </div>
  );
}

function Field(props: { id: string; label: string; required?: boolean; messages: string[]; hint?: string; children: ReactNode }) {
  const t = useI18n().t;
  return (
    <div className={`kb-field${props.messages.length ? ' is-invalid' : ''}`}>
      <label htmlFor={props.id}>
        {props.label}
        {props.required && (
          <span className="kb-required" title={t('kb.required')}>
            *
          </span>
        )}
      </label>
      {props.children}
      {props.hint && (
        <span className="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
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
