import type { FieldError } from '@kefu/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type ChatwootIntegration, type ChatwootIntegrationInput, chatwootApi } from '../../api/chatwoot';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { fieldErrorsByPath } from '../../lib/faq-form';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { CopyButton } from '../CopyButton';
import { ErrorNotice } from '../ErrorNotice';
import { Field } from '../FormField';
import { SuccessNotice } from '../SuccessNotice';
import { Switch } from '../Switch';
import { ChannelSectionHead } from './ChannelSectionHead';

interface Form {
  baseUrl: string;
  accountId: string;
  inboxId: string;
  /** Blank keeps the stored token (write-only). */
  apiAccessToken: string;
  webhookSecret: string;
  removeSecret: boolean;
  enabled: boolean;
}

const emptyForm: Form = { baseUrl: '', accountId: '', inboxId: '', apiAccessToken: '', webhookSecret: '', removeSecret: false, enabled: true };

const formOf = (i: ChatwootIntegration): Form => ({
  ...emptyForm,
  baseUrl: i.baseUrl,
  accountId: String(i.accountId),
  inboxId: String(i.inboxId),
  enabled: i.enabled,
});

/** Ids are sent as numbers when they are digits; anything else is sent as typed, so the server names the field. */
const idOf = (s: string): number => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : (s as unknown as number));

function bodyOf(f: Form): ChatwootIntegrationInput {
  return {
    baseUrl: f.baseUrl.trim(),
    accountId: idOf(f.accountId),
    inboxId: idOf(f.inboxId),
    enabled: f.enabled,
    ...(f.apiAccessToken.trim() ? { apiAccessToken: f.apiAccessToken.trim() } : {}),
    ...(f.removeSecret ? { webhookSecret: null } : f.webhookSecret.trim() ? { webhookSecret: f.webhookSecret.trim() } : {}),
  };
}

/**
 * The Chatwoot agent bot (admins): where Chatwoot is, the account and inbox kefu answers, the access
 * token kefu answers with (write-only), and the webhook URL to paste into the agent bot in Chatwoot.
 */
export function ChatwootSettings() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const loaded = useLoad(
    (signal) =>
      chatwootApi.get(api, signal).catch((e) => {
        if (e instanceof ApiError && e.code === 'CHATWOOT_NOT_CONFIGURED') return null;
        throw e;
      }),
    [api],
  );
  const current = loaded.data;
  const [form, setForm] = useState<Form>(emptyForm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const ids = { baseUrl: useId(), accountId: useId(), inboxId: useId(), token: useId(), secret: useId(), url: useId() };

  useEffect(() => {
    setForm(current ? formOf(current) : emptyForm);
  }, [current]);

  const fieldErrors: Map<string, FieldError[]> = error instanceof ApiError ? fieldErrorsByPath(error.errors) : new Map();
  const messages = (name: string) => (fieldErrors.get(name) ?? []).map((e) => e.message);
  const shownBeside = new Set(['baseUrl', 'accountId', 'inboxId', 'apiAccessToken', 'webhookSecret']);
  const otherErrors = error instanceof ApiError ? error.errors.filter((e) => !shownBeside.has(e.field.replace(/^body\.?/, ''))) : undefined;
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const run = async (what: () => Promise<ChatwootIntegration | null>, message: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const next = await what();
      loaded.setData(next);
      setDone(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(() => chatwootApi.save(api, bodyOf(form)), t('chatwoot.saved'));
  };
  const rotate = () => {
    if (!window.confirm(t('chatwoot.rotateConfirm'))) return;
    void run(() => chatwootApi.rotateToken(api), t('chatwoot.rotated'));
  };
  const remove = () => {
    if (!window.confirm(t('chatwoot.deleteConfirm'))) return;
    void run(async () => {
      await chatwootApi.remove(api);
      return null;
    }, t('chatwoot.deleted'));
  };
  return (
    <section className="channel-section" aria-labelledby="chatwoot-title" data-testid="chatwoot-settings">
      <ChannelSectionHead id="chatwoot-title" title={t('chatwoot.title')} subtitle={t('chatwoot.subtitle')} />
      {loaded.error ? <ErrorNotice error={loaded.error} onDismiss={() => void loaded.reload()} /> : null}
      {done && <SuccessNotice message={done} onDismiss={() => setDone(null)} />}
      {error ? <ErrorNotice error={error} fields={otherErrors} onDismiss={() => setError(null)} /> : null}

      <div className="kb-card settings-stack">
        <h3 className="kb-card-title">{t('chatwoot.howto.title')}</h3>
        <ol className="steps">
          <li>{t('chatwoot.howto.bot')}</li>
          <li>{t('chatwoot.howto.url')}</li>
          <li>{t('chatwoot.howto.token')}</li>
          <li>{t('chatwoot.howto.inbox')}</li>
          <li>{t('chatwoot.howto.ids')}</li>
        </ol>
      </div>

      {current && (
        <div className="kb-card settings-stack" data-testid="chatwoot-webhook">
          <Field id={ids.url} label={t('chatwoot.webhookUrl')} messages={[]} hint={t('chatwoot.webhookUrlHint')}>
            <div className="copy-row">
              <input
                id={ids.url}
                className="kb-input kb-mono"
                readOnly
                value={current.webhookUrl || t('chatwoot.webhookUnreadable')}
                aria-describedby={`${ids.url}-hint`}
              />
              <CopyButton text={current.webhookUrl} disabled={!current.webhookUrl} />
              <button type="button" className="btn btn-small btn-ghost" onClick={rotate} disabled={busy} data-testid="chatwoot-rotate">
                {t('chatwoot.rotate')}
              </button>
            </div>
          </Field>
        </div>
      )}

      <form className="kb-card settings-stack" onSubmit={save} noValidate aria-labelledby={`${ids.url}-form`}>
        <h3 id={`${ids.url}-form`} className="kb-card-title">
          {t('chatwoot.connection')}
        </h3>
        <div className="kb-grid">
          <Field id={ids.baseUrl} label={t('chatwoot.baseUrl')} required messages={messages('baseUrl')} hint={t('chatwoot.baseUrlHint')} className="kb-wide">
            <input
              id={ids.baseUrl}
              className="kb-input"
              type="url"
              value={form.baseUrl}
              placeholder="https://chat.example.com"
              onChange={(e) => set({ baseUrl: e.target.value })}
              aria-invalid={messages('baseUrl').length > 0 || undefined}
              aria-describedby={`${ids.baseUrl}-hint`}
            />
          </Field>
          <Field id={ids.accountId} label={t('chatwoot.accountId')} required messages={messages('accountId')}>
            <input
              id={ids.accountId}
              className="kb-input"
              inputMode="numeric"
              value={form.accountId}
              onChange={(e) => set({ accountId: e.target.value })}
              aria-invalid={messages('accountId').length > 0 || undefined}
            />
          </Field>
          <Field id={ids.inboxId} label={t('chatwoot.inboxId')} required messages={messages('inboxId')}>
            <input
              id={ids.inboxId}
              className="kb-input"
              inputMode="numeric"
              value={form.inboxId}
              onChange={(e) => set({ inboxId: e.target.value })}
              aria-invalid={messages('inboxId').length > 0 || undefined}
            />
          </Field>
          <Field
            id={ids.token}
            label={t('chatwoot.accessToken')}
            required={!current}
            messages={messages('apiAccessToken')}
            hint={current?.apiAccessTokenSet ? t('chatwoot.accessTokenKept') : t('chatwoot.accessTokenHint')}
          >
            <input
              id={ids.token}
              className="kb-input kb-mono"
              type="password"
              autoComplete="off"
              value={form.apiAccessToken}
              placeholder={current?.apiAccessTokenSet ? '••••••••' : ''}
              onChange={(e) => set({ apiAccessToken: e.target.value })}
              aria-invalid={messages('apiAccessToken').length > 0 || undefined}
              aria-describedby={`${ids.token}-hint`}
            />
          </Field>
          <Field
            id={ids.secret}
            label={t('chatwoot.webhookSecret')}
            messages={messages('webhookSecret')}
            hint={current?.webhookSecretSet ? t('chatwoot.webhookSecretKept') : t('chatwoot.webhookSecretHint')}
          >
            <input
              id={ids.secret}
              className="kb-input kb-mono"
              type="password"
              autoComplete="off"
              value={form.webhookSecret}
              disabled={form.removeSecret}
              placeholder={current?.webhookSecretSet ? '••••••••' : ''}
              onChange={(e) => set({ webhookSecret: e.target.value })}
              aria-invalid={messages('webhookSecret').length > 0 || undefined}
              aria-describedby={`${ids.secret}-hint`}
            />
          </Field>
        </div>
        <div className="settings-switches">
          <Switch checked={form.enabled} onChange={(enabled) => set({ enabled })} label={t('chatwoot.enabled')} hint={t('chatwoot.enabledHint')} />
          {current?.webhookSecretSet && (
            <Switch checked={form.removeSecret} onChange={(removeSecret) => set({ removeSecret })} label={t('chatwoot.removeSecret')} />
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="chatwoot-save">
            {t('chatwoot.save')}
          </button>
          {current && (
            <button type="button" className="btn btn-ghost btn-danger-text" onClick={remove} disabled={busy} data-testid="chatwoot-delete">
              {t('chatwoot.delete')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
