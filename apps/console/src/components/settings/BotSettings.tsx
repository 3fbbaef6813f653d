import type { FieldError } from '@kefu/protocol';
import { useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { settingsApi, type WorkspaceSettingsView } from '../../api/settings';
import { useI18n } from '../../i18n/i18n';
import {
  checkSettingsForm,
  errorsByPath,
  formFromSettings,
  GREETING_LOCALES,
  patchFromSettingsForm,
  SETTINGS_LIMITS,
  type SettingsCheck,
  type SettingsForm,
  settingsErrorPath,
  settingsFormSignature,
  withoutPaths,
} from '../../lib/settings-form';
import { setNavigationGuard } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { saveShortcutHandler, useFocusFirstInvalid, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SaveBar } from '../SaveBar';
import { AnsweringGroup } from './AnsweringGroup';
import { GreetingGroup } from './GreetingGroup';
import { GuardrailsGroup } from './GuardrailsGroup';
import type { GroupProps } from './group-props';
import { HandoffGroup } from './HandoffGroup';
import { LlmStatusBadge } from './LlmStatusBadge';

/** Paths shown beside a field; server errors on other paths go in the notice. */
const PLACED = new Set([
  'assistant.answers',
  'assistant.persona',
  'assistant.instructions',
  'answerThreshold',
  'intentThreshold',
  'angerThreshold',
  'fallbackStreakHandoff',
  'negativeStreakHandoff',
  'guardrails.forbiddenWords',
  'guardrails.refundLimit.maxAmount',
  'guardrails.refundLimit.currency',
  'timeZone',
  ...GREETING_LOCALES.map((l) => `greeting.${l}`),
]);
const noop = () => {};

/** The workspace's bot settings in four groups; admins save them, everyone else reads them. */
export function BotSettings({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const loaded = useLoad((signal) => settingsApi.get(api, signal), [api]);
  const [generation, setGeneration] = useState(0);
  const [saved, setSaved] = useState(false);
  const view = loaded.data;

  return (
    <section className="kb-page settings-page" aria-labelledby="settings-title">
      <KbPageHead id="settings-title" title={t('settings.bot.title')} subtitle={t('settings.bot.subtitle')}>
        {view && <LlmStatusBadge llm={view.llm} />}
      </KbPageHead>
      {loaded.error ? <ErrorNotice error={loaded.error} onDismiss={() => void loaded.reload()} /> : null}
      {!view && !loaded.error && <p className="kb-empty">{t('settings.loading')}</p>}
      {saved && (
        <div className="notice notice-success" role="status" data-testid="settings-saved">
          <div className="notice-body">
            <strong className="notice-message">{t('settings.saved')}</strong>
            <span>{t('settings.savedHint')}</span>
          </div>
          <button type="button" className="btn-icon" onClick={() => setSaved(false)} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
            ×
          </button>
        </div>
      )}
      {view && (
        <SettingsFormView
          key={generation}
          view={view}
          canEdit={canEdit}
          onEdit={() => setSaved(false)}
          onSaved={(next) => {
            loaded.setData(next);
            setGeneration((g) => g + 1);
            setSaved(true);
          }}
        />
      )}
    </section>
  );
}

function SettingsFormView({
  view,
  canEdit,
  onSaved,
  onEdit,
}: {
  view: WorkspaceSettingsView;
  canEdit: boolean;
  onSaved(v: WorkspaceSettingsView): void;
  onEdit(): void;
}) {
  const { t, has } = useI18n();
  const { api } = useSignedIn();
  const [baseline] = useState(() => formFromSettings(view));
  const [form, setForm] = useState<SettingsForm>(baseline);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Map<string, FieldError[]>>(new Map());
  const formRef = useRef<HTMLFormElement>(null);

  const dirty = useMemo(() => settingsFormSignature(form) !== settingsFormSignature(baseline), [form, baseline]);
  const checks = useMemo(() => (submitted ? checkSettingsForm(form) : new Map<string, SettingsCheck>()), [submitted, form]);
  useUnsavedChangesGuard(dirty, noop);
  const focusFirstInvalid = useFocusFirstInvalid(formRef);

  const update: GroupProps['update'] = (key, value) => {
    setForm((f) => ({ ...f, [key]: value }));
    onEdit();
    if (serverErrors.size) setServerErrors((m) => withoutPaths(m, pathOf(key)));
  };

  const messages = (path: string): string[] => {
    const out: string[] = [];
    const check = checks.get(path);
    if (check) out.push(t(`settings.check.${check}`, { max: maxFor(path), streak: SETTINGS_LIMITS.maxStreak }));
    for (const e of serverErrors.get(path) ?? []) {
      const key = `error.${e.code}`;
      out.push(has(key) && e.code !== 'VALIDATION_FAILED' ? t(key) : e.message);
    }
    return out;
  };

  const save = async () => {
    if (saving || !canEdit) return;
    setSubmitted(true);
    if (checkSettingsForm(form).size > 0) {
      focusFirstInvalid();
      return;
    }
    const patch = patchFromSettingsForm(form, baseline);
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
        setServerErrors(errorsByPath(err.errors, settingsErrorPath));
      }
      focusFirstInvalid();
    } finally {
      setSaving(false);
    }
  };

  const unplaced = [...serverErrors.entries()].filter(([p]) => !PLACED.has(p)).flatMap(([, list]) => list);
  const props: GroupProps = { form, update, messages, llm: view.llm };

  const discard = () => {
    setForm(baseline);
    setServerErrors(new Map());
    setSubmitted(false);
    setError(null);
  };

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
      data-testid="settings-form"
    >
      {!canEdit && <p className="notice notice-info">{t('settings.readOnly')}</p>}
      {error ? <ErrorNotice error={error} fields={unplaced} onDismiss={() => setError(null)} /> : null}
      <fieldset className="settings-fieldset" disabled={!canEdit}>
        <AnsweringGroup {...props} />
        <HandoffGroup {...props} />
        <GuardrailsGroup {...props} />
        <GreetingGroup {...props} />
      </fieldset>
      {canEdit && <SaveBar dirty={dirty} saving={saving} existing saveLabel={t('kb.editor.save')} saveTestId="settings-save" onDiscard={discard} />}
    </form>
  );
}

/** The server paths a form field is sent under, to clear their errors when it changes. */
function pathOf(key: keyof SettingsForm): string[] {
  switch (key) {
    case 'answers':
    case 'persona':
    case 'instructions':
    case 'tools':
    case 'rewriteQueries':
    case 'summaries':
      return [`assistant.${key}`];
    case 'redactPii':
    case 'forbiddenWords':
    case 'forbidPromises':
      return [`guardrails.${key}`];
    case 'refundLimitOn':
    case 'refundMax':
    case 'refundCurrency':
      return ['guardrails.refundLimit'];
    default:
      return [key];
  }
}

function maxFor(path: string): number {
  if (path === 'assistant.persona') return SETTINGS_LIMITS.persona;
  if (path === 'assistant.instructions') return SETTINGS_LIMITS.instructions;
  if (path === 'guardrails.forbiddenWords') return SETTINGS_LIMITS.forbiddenWord;
  if (path === 'guardrails.refundLimit.currency') return SETTINGS_LIMITS.currency;
  return SETTINGS_LIMITS.greeting;
}
