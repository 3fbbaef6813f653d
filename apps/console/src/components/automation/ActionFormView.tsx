import type { FieldError } from '@kefu/protocol';
import { useId, useMemo, useRef, useState } from 'react';
import { type Action, actionsApi } from '../../api/automation';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import {
  ACTION_LIMITS,
  type ActionCheck,
  type ActionForm,
  actionFormSignature,
  bodyFromActionForm,
  checkActionForm,
  emptyActionForm,
  formFromAction,
  HTTP_METHODS,
  type HttpMethod,
  type Row,
} from '../../lib/action-form';
import { fieldErrorsByPath } from '../../lib/faq-form';
import { automationHref, navigateTo, setNavigationGuard } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { saveShortcutHandler, useFocusFirstInvalid, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { ErrorNotice } from '../ErrorNotice';
import { Field, FieldMessages } from '../FormField';
import { SaveBar } from '../SaveBar';
import { Switch } from '../Switch';
import { deletedAction } from './automation-notes';
import { KeyValueRows } from './KeyValueRows';
import { SecretRows } from './SecretRows';

/** Paths shown beside a field or row; server errors on other paths go in the notice. */
const PLACED = /^(key|description|config\.(method|url|body|timeoutMs|retries|maxResponseBytes|idempotency|headers(\..+)?|response(\..+)?)|secrets(\..+)?)$/;
const noop = () => {};

export function ActionFormView({
  action,
  onSaved,
  onDirtyChange = noop,
}: {
  action: Action | null;
  onSaved(a: Action): void;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const { t, has } = useI18n();
  const { api } = useSignedIn();
  const [baseline] = useState(() => (action ? formFromAction(action) : emptyActionForm()));
  const [form, setForm] = useState<ActionForm>(baseline);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Map<string, FieldError[]>>(new Map());
  const formRef = useRef<HTMLFormElement>(null);
  const base = useId();
  const id = (name: string) => `${base}-${name}`;

  const dirty = useMemo(() => actionFormSignature(form) !== actionFormSignature(baseline), [form, baseline]);
  const checks = useMemo(() => (submitted ? checkActionForm(form) : new Map<string, ActionCheck>()), [submitted, form]);
  useUnsavedChangesGuard(dirty, onDirtyChange);
  const focusFirstInvalid = useFocusFirstInvalid(formRef);

  const update = <K extends keyof ActionForm>(key: K, value: ActionForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    const prefix = key === 'key' || key === 'description' ? key : key === 'secrets' ? 'secrets' : `config.${key}`;
    if ([...serverErrors.keys()].some((p) => p === prefix || p.startsWith(`${prefix}.`))) {
      setServerErrors((m) => new Map([...m].filter(([p]) => p !== prefix && !p.startsWith(`${prefix}.`))));
    }
  };

  const messages = (path: string): string[] => {
    const out: string[] = [];
    const check = checks.get(path);
    if (check) out.push(t(`actions.check.${check}`, { min: ACTION_LIMITS.minTimeoutMs, max: ACTION_LIMITS.maxTimeoutMs, retries: ACTION_LIMITS.maxRetries }));
    for (const e of serverErrors.get(path) ?? []) {
      const key = `error.${e.code}`;
      out.push(has(key) && e.code !== 'VALIDATION_FAILED' && e.code !== 'ACTION_INVALID' ? t(key) : e.message);
    }
    return out;
  };
  const rowMessages = (prefix: string) => (r: Row) => messages(`${prefix}.${r.key.trim() || r.id}`);

  const save = async () => {
    if (saving) return;
    setSubmitted(true);
    if (checkActionForm(form).size > 0) {
      focusFirstInvalid();
      return;
    }
    setSaving(true);
    setError(null);
    setServerErrors(new Map());
    try {
      const body = bodyFromActionForm(form);
      const saved = action ? await actionsApi.update(api, action.id, body) : await actionsApi.create(api, body);
      setNavigationGuard(null);
      onSaved(saved);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setServerErrors(fieldErrorsByPath(err.errors));
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
    if (!action) return;
    setSaving(true);
    setError(null);
    try {
      await actionsApi.remove(api, action.id);
      deletedAction.set(action.key);
      setNavigationGuard(null);
      navigateTo(automationHref('actions'), { force: true });
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  const unplaced = [...serverErrors.entries()].filter(([p]) => !PLACED.test(p)).flatMap(([, list]) => list);
  const isGet = form.method === 'GET';

  return (
    <form
      ref={formRef}
      className="faq-form action-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={saveShortcutHandler(save)}
      aria-busy={saving}
      data-testid="action-form"
    >
      {error ? <ErrorNotice error={error} fields={unplaced} onDismiss={() => setError(null)} /> : null}

      <section className="kb-card" aria-labelledby={id('about')}>
        <h2 id={id('about')} className="kb-card-title">
          {t('actions.section.about')}
        </h2>
        <div className="kb-grid">
          <Field id={id('key')} label={t('actions.field.key')} required messages={messages('key')} hint={t('actions.field.keyHint')}>
            <input
              id={id('key')}
              className="kb-input kb-mono"
              value={form.key}
              maxLength={80}
              onChange={(e) => update('key', e.target.value)}
              aria-invalid={messages('key').length > 0 || undefined}
              placeholder="get_order"
              spellCheck={false}
              autoComplete="off"
              data-testid="action-key"
            />
          </Field>
          <Field id={id('description')} label={t('actions.field.description')} messages={messages('description')}>
            <input
              id={id('description')}
              className="kb-input"
              value={form.description}
              maxLength={500}
              onChange={(e) => update('description', e.target.value)}
              placeholder={t('actions.field.descriptionPlaceholder')}
              data-testid="action-description"
            />
          </Field>
        </div>
      </section>

      <section className="kb-card" aria-labelledby={id('request')}>
        <h2 id={id('request')} className="kb-card-title">
          {t('actions.section.request')}
        </h2>
        <div className="kb-grid action-request-row">
          <Field id={id('method')} label={t('actions.field.method')} messages={messages('config.method')}>
            <select
              id={id('method')}
              className="kb-input"
              value={form.method}
              onChange={(e) => update('method', e.target.value as HttpMethod)}
              data-testid="action-method"
            >
              {HTTP_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('url')} label={t('actions.field.url')} required messages={messages('config.url')} hint={t('actions.field.urlHint')}>
            <input
              id={id('url')}
              className="kb-input kb-mono"
              value={form.url}
              maxLength={2048}
              onChange={(e) => update('url', e.target.value)}
              aria-invalid={messages('config.url').length > 0 || undefined}
              placeholder="https://erp.example.com/orders/{{args.order_no}}"
              spellCheck={false}
              autoComplete="off"
              data-testid="action-url"
            />
          </Field>
        </div>
        <div className="kb-field action-headers">
          <span className="kb-field-label">{t('actions.field.headers')}</span>
          <KeyValueRows
            rows={form.headers}
            onChange={(rows) => update('headers', rows)}
            keyLabel={t('actions.field.headerName')}
            valueLabel={t('actions.field.headerValue')}
            keyPlaceholder="Authorization"
            valuePlaceholder="Bearer {{secrets.API_TOKEN}}"
            joiner=":"
            addLabel={t('actions.field.addHeader')}
            removeLabel={(name) => t('actions.field.removeRow', { name })}
            messagesFor={rowMessages('config.headers')}
            testId="action-headers"
          />
          <FieldMessages messages={messages('config.headers')} />
        </div>
        <Field
          id={id('body')}
          label={t('actions.field.body')}
          messages={messages('config.body')}
          hint={isGet ? t('actions.field.bodyGet') : t('actions.field.bodyHint')}
        >
          <textarea
            id={id('body')}
            className="kb-input kb-mono action-body"
            rows={form.body ? Math.min(14, form.body.split('\n').length + 1) : 3}
            value={form.body}
            onChange={(e) => update('body', e.target.value)}
            aria-invalid={messages('config.body').length > 0 || undefined}
            placeholder={'{ "reason": "{{args.reason}}", "amount": "{{args.amount}}" }'}
            spellCheck={false}
            data-testid="action-body"
          />
        </Field>
        <div className="kb-field">
          <Switch
            checked={form.idempotency}
            onChange={(on) => update('idempotency', on)}
            label={t('actions.field.idempotency')}
            hint={t('actions.field.idempotencyHint')}
          />
        </div>
      </section>

      <section className="kb-card" aria-labelledby={id('response')}>
        <h2 id={id('response')} className="kb-card-title">
          {t('actions.section.response')}
        </h2>
        <p className="field-hint">{t('actions.field.responseHint')}</p>
        <KeyValueRows
          rows={form.response}
          onChange={(rows) => update('response', rows)}
          keyLabel={t('actions.field.slot')}
          valueLabel={t('actions.field.path')}
          keyPlaceholder="order_status"
          valuePlaceholder="data.status"
          joiner="←"
          addLabel={t('actions.field.addMapping')}
          removeLabel={(name) => t('actions.field.removeRow', { name })}
          messagesFor={rowMessages('config.response')}
          testId="action-response"
        />
        <FieldMessages messages={messages('config.response')} />
      </section>

      <section className="kb-card" aria-labelledby={id('limits')}>
        <h2 id={id('limits')} className="kb-card-title">
          {t('actions.section.limits')}
        </h2>
        <div className="kb-grid action-limits">
          <NumberField
            id={id('timeout')}
            label={t('actions.field.timeoutMs')}
            value={form.timeoutMs}
            onChange={(v) => update('timeoutMs', v)}
            placeholder={String(ACTION_LIMITS.defaultTimeoutMs)}
            messages={messages('config.timeoutMs')}
            unit="ms"
          />
          <NumberField
            id={id('retries')}
            label={t('actions.field.retries')}
            value={form.retries}
            onChange={(v) => update('retries', v)}
            placeholder={String(ACTION_LIMITS.defaultRetries)}
            messages={messages('config.retries')}
            hint={t('actions.field.retriesHint')}
          />
          <NumberField
            id={id('bytes')}
            label={t('actions.field.maxResponseBytes')}
            value={form.maxResponseBytes}
            onChange={(v) => update('maxResponseBytes', v)}
            placeholder="1048576"
            messages={messages('config.maxResponseBytes')}
            unit="B"
          />
        </div>
      </section>

      <section className="kb-card" aria-labelledby={id('secrets')}>
        <h2 id={id('secrets')} className="kb-card-title">
          {t('actions.section.secrets')}
        </h2>
        <p className="field-hint">{t('actions.secrets.hint')}</p>
        <SecretRows rows={form.secrets} onChange={(rows) => update('secrets', rows)} messagesFor={(s) => messages(`secrets.${s.name.trim() || s.id}`)} />
      </section>

      <section className="kb-card" aria-labelledby={id('model')}>
        <h2 id={id('model')} className="kb-card-title">
          {t('actions.section.model')}
        </h2>
        <Switch
          checked={form.llmTool}
          onChange={(on) => update('llmTool', on)}
          label={t('actions.field.llmTool')}
          hint={t('actions.field.llmToolHint')}
          testId="action-llm-tool"
        />
      </section>

      <SaveBar
        dirty={dirty}
        saving={saving}
        existing={action !== null}
        saveLabel={action ? t('kb.editor.save') : t('actions.create')}
        saveTestId="action-save"
        onDiscard={discard}
        destroy={
          action ? { label: t('kb.delete'), question: t('actions.deleteConfirm', { key: action.key }), testId: 'action-delete', run: remove } : undefined
        }
      />
    </form>
  );
}

function NumberField(props: {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
  placeholder: string;
  messages: string[];
  unit?: string;
  hint?: string;
}) {
  return (
    <Field id={props.id} label={props.label} messages={props.messages} hint={props.hint}>
      <span className="input-unit">
        <input
          id={props.id}
          className="kb-input kb-mono"
          inputMode="numeric"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder={props.placeholder}
          aria-invalid={props.messages.length > 0 || undefined}
        />
        {props.unit && <span className="input-unit-label">{props.unit}</span>}
      </span>
    </Field>
  );
}
