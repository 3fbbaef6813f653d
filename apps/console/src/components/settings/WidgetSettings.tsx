import type { FieldError } from '@kefu/protocol';
import { useId, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { settingsApi, type WorkspaceSettingsView } from '../../api/settings';
import { useI18n, useT } from '../../i18n/i18n';
import { errorsByPath, withoutPaths } from '../../lib/settings-form';
import {
  checkWidgetForm,
  contrastWithWhite,
  isHexColor,
  PRE_CHAT_FIELDS,
  type PreChatAsk,
  patchFromWidgetForm,
  WIDGET_DEFAULTS,
  WIDGET_FIELD_PATHS,
  WIDGET_LIMITS,
  type WidgetCheck,
  type WidgetForm,
  widgetErrorPath,
  widgetFormFromSettings,
  widgetFormSignature,
  widgetPathsOf,
} from '../../lib/widget-form';
import { setNavigationGuard } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { saveShortcutHandler, useFocusFirstInvalid, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { useLoad } from '../../state/use-load';
import { CopyButton } from '../CopyButton';
import { ErrorNotice } from '../ErrorNotice';
import { Field, FieldMessages } from '../FormField';
import { SaveBar } from '../SaveBar';
import { Switch } from '../Switch';
import { ChannelSectionHead } from './ChannelSectionHead';
import { IdentitySecretCard } from './IdentitySecretCard';
import { LocaleTextsField } from './LocaleTextsField';
import { WidgetPreview } from './WidgetPreview';

const PLACED = new Set(WIDGET_FIELD_PATHS);
const ASKS: readonly PreChatAsk[] = ['off', 'optional', 'required'];
const noop = () => {};

/**
 * The web widget (docs/console-channels.md): the tag to paste into a site, its look with a live
 * preview, the pre-chat form, the proactive greeting and the satisfaction survey (saved together,
 * admins only), and, for admins, the identity-verification secret.
 */
export function WidgetSettings({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const loaded = useLoad((signal) => settingsApi.get(api, signal), [api]);
  const [generation, setGeneration] = useState(0);
  const [saved, setSaved] = useState(false);
  const view = loaded.data;

  return (
    <section className="channel-section" aria-labelledby="widget-title" data-testid="widget-settings">
      <ChannelSectionHead id="widget-title" title={t('widget.title')} subtitle={t('widget.subtitle')} />
      <InstallCard widgetKey={session.workspace.widgetKey} />
      {loaded.error ? <ErrorNotice error={loaded.error} onDismiss={() => void loaded.reload()} /> : null}
      {!view && !loaded.error && <p className="kb-empty">{t('settings.loading')}</p>}
      {saved && (
        <div className="notice notice-success" role="status" data-testid="widget-saved">
          <div className="notice-body">
            <strong className="notice-message">{t('settings.saved')}</strong>
            <span>{t('widget.savedHint')}</span>
          </div>
          <button type="button" className="btn-icon" onClick={() => setSaved(false)} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
            ×
          </button>
        </div>
      )}
      {view && (
        <WidgetFormView
          key={generation}
          view={view}
          canEdit={canEdit}
          name={session.workspace.name}
          onEdit={() => setSaved(false)}
          onSaved={(next) => {
            loaded.setData(next);
            setGeneration((g) => g + 1);
            setSaved(true);
          }}
        />
      )}
      {canEdit && <IdentitySecretCard />}
    </section>
  );
}

/** The one line to paste into a site, and how to tell the widget who a signed-in visitor is. */
function InstallCard({ widgetKey }: { widgetKey: string }) {
  const t = useT();
  const id = useId();
  const snippet = `<script src="${window.location.origin}/widget/loader.js" data-widget-key="${widgetKey}" async></script>`;
  const identify = "kefu('identify', { id: user.id, name: user.name, email: user.email, hash });";
  return (
    <section className="kb-card settings-stack" aria-labelledby={`${id}-title`} data-testid="widget-install">
      <h3 id={`${id}-title`} className="kb-card-title">
        {t('widget.install.title')}
      </h3>
      <p className="field-hint">{t('widget.install.hint')}</p>
      <div className="copy-row copy-row-block">
        <pre className="code-block" data-testid="widget-snippet">
          <code>{snippet}</code>
        </pre>
        <CopyButton text={snippet} testId="widget-snippet-copy" />
      </div>
      <p className="field-hint">{t('widget.install.key', { key: widgetKey })}</p>
      <h4 className="kb-subtitle">{t('widget.install.identifyTitle')}</h4>
      <p className="field-hint">{t('widget.install.identifyHint')}</p>
      <pre className="code-block">
        <code>{identify}</code>
      </pre>
    </section>
  );
}

function WidgetFormView({
  view,
  canEdit,
  name,
  onSaved,
  onEdit,
}: {
  view: WorkspaceSettingsView;
  canEdit: boolean;
  name: string;
  onSaved(v: WorkspaceSettingsView): void;
  onEdit(): void;
}) {
  const { t, has } = useI18n();
  const { api } = useSignedIn();
  const id = useId();
  const [baseline] = useState(() => widgetFormFromSettings(view.settings));
  const [form, setForm] = useState<WidgetForm>(baseline);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Map<string, FieldError[]>>(new Map());
  const formRef = useRef<HTMLFormElement>(null);

  const dirty = useMemo(() => widgetFormSignature(form) !== widgetFormSignature(baseline), [form, baseline]);
  const checks = useMemo(() => (submitted ? checkWidgetForm(form) : new Map<string, WidgetCheck>()), [submitted, form]);
  useUnsavedChangesGuard(dirty, noop);
  const focusFirstInvalid = useFocusFirstInvalid(formRef);

  const update = <K extends keyof WidgetForm>(key: K, value: WidgetForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    onEdit();
    const cleared = widgetPathsOf(key);
    if (serverErrors.size) setServerErrors((m) => withoutPaths(m, cleared));
  };

  const messages = (path: string): string[] => {
    const out: string[] = [];
    const check = checks.get(path);
    if (check) out.push(t(`widget.check.${check}`, { max: WIDGET_LIMITS.text, maxDelay: WIDGET_LIMITS.maxDelay }));
    for (const e of serverErrors.get(path) ?? []) {
      const key = `error.${e.code}`;
      out.push(has(key) && e.code !== 'VALIDATION_FAILED' ? t(key) : e.message);
    }
    return out;
  };
  const invalid = (path: string) => messages(path).length > 0 || undefined;

  const save = async () => {
    if (saving || !canEdit) return;
    setSubmitted(true);
    if (checkWidgetForm(form).size > 0) {
      focusFirstInvalid();
      return;
    }
    const patch = patchFromWidgetForm(form, baseline);
    if (Object.keys(patch).length === 0) return;
    setSaving(true);
    setError(null);
    setServerErrors(new Map());
    try {
      const next = await settingsApi.patch(api, patch);
      setNavigationGuard(null);
      onSaved(next);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        setServerErrors(errorsByPath(err.errors, widgetErrorPath));
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

  const unplaced = [...serverErrors.entries()].filter(([p]) => !PLACED.has(p)).flatMap(([, list]) => list);
  const color = form.color.trim();
  const lowContrast = isHexColor(color) && contrastWithWhite(color) < 3;

  return (
    <form
      ref={formRef}
      className="faq-form settings-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={saveShortcutHandler(save)}
      aria-busy={saving}
      data-testid="widget-form"
    >
      {!canEdit && <p className="notice notice-info">{t('widget.readOnly')}</p>}
      {error ? <ErrorNotice error={error} fields={unplaced} onDismiss={() => setError(null)} /> : null}
      <fieldset className="settings-fieldset" disabled={!canEdit}>
        <section className="kb-card settings-stack" aria-labelledby={`${id}-theme`} data-group="theme">
          <h3 id={`${id}-theme`} className="kb-card-title">
            {t('widget.theme.title')}
          </h3>
          <div className="widget-theme">
            <div className="widget-theme-fields settings-stack">
              <Field
                id={`${id}-color`}
                label={t('widget.theme.color')}
                required
                messages={messages('widget.theme.color')}
                hint={t('widget.theme.colorHint', { color: WIDGET_DEFAULTS.color })}
              >
                <div className="color-row">
                  <input
                    type="color"
                    className="color-swatch"
                    value={isHexColor(color) ? color.toLowerCase() : WIDGET_DEFAULTS.color}
                    onChange={(e) => update('color', e.target.value)}
                    aria-label={t('widget.theme.colorPicker')}
                    data-testid="widget-color-picker"
                  />
                  <input
                    id={`${id}-color`}
                    className="kb-input kb-mono"
                    value={form.color}
                    maxLength={20}
                    spellCheck={false}
                    autoComplete="off"
                    onChange={(e) => update('color', e.target.value)}
                    aria-invalid={invalid('widget.theme.color')}
                    aria-describedby={`${id}-color-hint`}
                    data-testid="widget-color"
                  />
                </div>
              </Field>
              {lowContrast && (
                <p className="field-warn" data-testid="widget-contrast-warning">
                  {t('widget.theme.lowContrast')}
                </p>
              )}
              <fieldset className="kb-field" data-testid="widget-position">
                <legend>{t('widget.theme.position')}</legend>
                <div className="segmented">
                  {(['left', 'right'] as const).map((p) => (
                    <label key={p} className={`segment${form.position === p ? ' is-active' : ''}`}>
                      <input type="radio" name={`${id}-position`} value={p} checked={form.position === p} onChange={() => update('position', p)} />
                      {t(`widget.theme.position.${p}`)}
                    </label>
                  ))}
                </div>
                <FieldMessages messages={messages('widget.theme.position')} />
              </fieldset>
              <Field id={`${id}-logo`} label={t('widget.theme.logo')} messages={messages('widget.theme.logoUrl')} hint={t('widget.theme.logoHint')}>
                <input
                  id={`${id}-logo`}
                  className="kb-input"
                  type="url"
                  inputMode="url"
                  value={form.logoUrl}
                  placeholder="https://example.com/logo.png"
                  maxLength={WIDGET_LIMITS.logoUrl + 20}
                  onChange={(e) => update('logoUrl', e.target.value)}
                  aria-invalid={invalid('widget.theme.logoUrl')}
                  aria-describedby={`${id}-logo-hint`}
                  data-testid="widget-logo"
                />
              </Field>
            </div>
            <WidgetPreview form={form} name={name} />
          </div>
        </section>

        <section className="kb-card settings-stack" aria-labelledby={`${id}-prechat`} data-group="preChat">
          <h3 id={`${id}-prechat`} className="kb-card-title">
            {t('widget.preChat.title')}
          </h3>
          <div className="settings-switches">
            <Switch
              checked={form.preChatEnabled}
              onChange={(v) => update('preChatEnabled', v)}
              label={t('widget.preChat.enabled')}
              hint={t('widget.preChat.enabledHint')}
              disabled={!canEdit}
              testId="widget-prechat-enabled"
            />
          </div>
          <fieldset className={`kb-field prechat-fields${messages('widget.preChat.fields').length ? ' is-invalid' : ''}`} data-testid="widget-prechat-fields">
            <legend>{t('widget.preChat.fields')}</legend>
            {PRE_CHAT_FIELDS.map((key) => (
              <div key={key} className="prechat-field" data-field={key}>
                <span className="prechat-field-name" id={`${id}-f-${key}`}>
                  {t(`widget.preChat.field.${key}`)}
                </span>
                <span className="segmented" role="radiogroup" aria-labelledby={`${id}-f-${key}`}>
                  {ASKS.map((ask) => (
                    <label key={ask} className={`segment${form.fields[key] === ask ? ' is-active' : ''}`}>
                      <input
                        type="radio"
                        name={`${id}-f-${key}`}
                        value={ask}
                        checked={form.fields[key] === ask}
                        onChange={() => update('fields', { ...form.fields, [key]: ask })}
                        aria-invalid={invalid('widget.preChat.fields')}
                      />
                      {t(`widget.preChat.ask.${ask}`)}
                    </label>
                  ))}
                </span>
              </div>
            ))}
            <FieldMessages messages={messages('widget.preChat.fields')} />
          </fieldset>
          <LocaleTextsField
            legend={t('widget.preChat.intro')}
            hint={t('widget.preChat.introHint')}
            value={form.preChatIntro}
            onChange={(v) => update('preChatIntro', v)}
            path="widget.preChat.intro"
            messages={messages}
            placeholder={t('widget.preChat.introPlaceholder')}
            testId="widget-prechat-intro"
          />
        </section>

        <section className="kb-card settings-stack" aria-labelledby={`${id}-proactive`} data-group="proactive">
          <h3 id={`${id}-proactive`} className="kb-card-title">
            {t('widget.proactive.title')}
          </h3>
          <div className="settings-switches">
            <Switch
              checked={form.proactiveEnabled}
              onChange={(v) => update('proactiveEnabled', v)}
              label={t('widget.proactive.enabled')}
              hint={t('widget.proactive.enabledHint')}
              disabled={!canEdit}
              testId="widget-proactive-enabled"
            />
          </div>
          <Field
            id={`${id}-delay`}
            label={t('widget.proactive.delay')}
            messages={messages('widget.proactive.delaySeconds')}
            hint={t('widget.proactive.delayHint', { max: WIDGET_LIMITS.maxDelay })}
          >
            <input
              id={`${id}-delay`}
              className="kb-input settings-number"
              type="number"
              inputMode="numeric"
              min={0}
              max={WIDGET_LIMITS.maxDelay}
              step={1}
              value={form.delaySeconds}
              onChange={(e) => update('delaySeconds', e.target.value)}
              aria-invalid={invalid('widget.proactive.delaySeconds')}
              aria-describedby={`${id}-delay-hint`}
              data-testid="widget-proactive-delay"
            />
          </Field>
          <LocaleTextsField
            legend={t('widget.proactive.message')}
            hint={t('widget.proactive.messageHint')}
            value={form.proactiveMessage}
            onChange={(v) => update('proactiveMessage', v)}
            path="widget.proactive.message"
            messages={messages}
            placeholder={t('widget.proactive.messagePlaceholder')}
            testId="widget-proactive-message"
          />
        </section>

        <section className="kb-card settings-stack" aria-labelledby={`${id}-csat`} data-group="csat">
          <h3 id={`${id}-csat`} className="kb-card-title">
            {t('widget.csat.title')}
          </h3>
          <div className="settings-switches">
            <Switch
              checked={form.csatEnabled}
              onChange={(v) => update('csatEnabled', v)}
              label={t('widget.csat.enabled')}
              hint={t('widget.csat.enabledHint')}
              disabled={!canEdit}
              testId="widget-csat-enabled"
            />
          </div>
          <LocaleTextsField
            legend={t('widget.csat.question')}
            hint={t('widget.csat.questionHint')}
            value={form.csatQuestion}
            onChange={(v) => update('csatQuestion', v)}
            path="csat.question"
            messages={messages}
            placeholder={t('widget.csat.questionPlaceholder')}
            testId="widget-csat-question"
          />
        </section>
      </fieldset>
      {canEdit && <SaveBar dirty={dirty} saving={saving} existing saveLabel={t('kb.editor.save')} saveTestId="widget-save" onDiscard={discard} />}
    </form>
  );
}
