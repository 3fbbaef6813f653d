import { WEBHOOK_EVENT_TYPES } from '@kefu/protocol';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { type CreateWebhookBody, type Webhook, type WebhookDelivery, type WebhookDeliveryStatus, webhooksApi } from '../../api/webhooks';
import { useI18n } from '../../i18n/i18n';
import { formatFull } from '../../lib/format';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { CopyButton } from '../CopyButton';
import { ErrorNotice } from '../ErrorNotice';
import { Field } from '../FormField';
import { SuccessNotice } from '../SuccessNotice';
import { Switch } from '../Switch';
import { ChannelSectionHead } from './ChannelSectionHead';

/**
 * Outbound webhooks (docs/webhooks.md): admins add a URL with the events it wants, see its secret once,
 * switch it on and off, send a test `ping`, and read each webhook's delivery log (redelivering an entry
 * sends the same body with the same delivery id).
 */
export function WebhooksSettings({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const hooks = useLoad((signal) => (canEdit ? webhooksApi.list(api, signal) : Promise.resolve({ items: [] })), [api, canEdit]);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const items = hooks.data?.items ?? [];
  const { setData } = hooks;

  const replace = (w: Webhook) => setData((prev) => ({ items: (prev?.items ?? []).map((x) => (x.id === w.id ? w : x)) }));
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="channel-section" aria-labelledby="webhooks-title" data-testid="webhooks-settings">
      <ChannelSectionHead id="webhooks-title" title={t('webhooks.title')} subtitle={t('webhooks.subtitle')}>
        {canEdit && !creating && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="webhook-new">
            {t('webhooks.new')}
          </button>
        )}
      </ChannelSectionHead>
      {!canEdit && <p className="notice notice-info">{t('webhooks.readOnly')}</p>}
      {secret && (
        <div className="notice notice-success" role="status" data-testid="webhook-secret">
          <div className="notice-body">
            <p>{t('webhooks.secretOnce', { url: secret.url })}</p>
            <div className="copy-row">
              <code className="webhook-secret">{secret.secret}</code>
              <CopyButton text={secret.secret} />
            </div>
          </div>
          <button type="button" className="btn btn-ghost" onClick={() => setSecret(null)}>
            {t('webhooks.secretDone')}
          </button>
        </div>
      )}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {hooks.error ? <ErrorNotice error={hooks.error} onDismiss={() => void hooks.reload()} /> : null}
      {creating && (
        <WebhookCreateForm
          onCancel={() => setCreating(false)}
          onCreated={(w, s) => {
            setData((prev) => ({ items: [...(prev?.items ?? []), w] }));
            setCreating(false);
            setSecret({ url: w.url, secret: s });
          }}
        />
      )}
      {canEdit && !hooks.loading && items.length === 0 && !creating && <p className="kb-card kb-empty">{t('webhooks.empty')}</p>}
      {items.length > 0 && (
        <ul className="webhook-list" data-testid="webhook-list">
          {items.map((w) => (
            <li key={w.id} className="kb-card webhook-card" data-webhook={w.url}>
              <div className="webhook-head">
                <div className="webhook-summary">
                  <strong className="webhook-url">{w.url}</strong>
                  {w.description && <p className="muted">{w.description}</p>}
                  <p className="webhook-events">
                    {w.events.map((e) => (
                      <span key={e} className="badge badge-muted">
                        {e === '*' ? t('webhooks.allEvents') : e}
                      </span>
                    ))}
                  </p>
                </div>
                <div className="webhook-actions">
                  <Switch
                    checked={w.enabled}
                    onChange={(enabled) => void act(async () => replace(await webhooksApi.update(api, w.id, { enabled })))}
                    label={t('webhooks.enabled')}
                  />
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() =>
                      void act(async () => {
                        await webhooksApi.test(api, w.id);
                        setOpen(w.id);
                      })
                    }
                  >
                    {t('webhooks.test')}
                  </button>
                  <button type="button" className="btn btn-small" aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)}>
                    {t('webhooks.deliveries')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-ghost btn-danger-text"
                    onClick={() => {
                      if (!window.confirm(t('webhooks.confirmDelete', { url: w.url }))) return;
                      void act(async () => {
                        await webhooksApi.remove(api, w.id);
                        setData((prev) => ({ items: (prev?.items ?? []).filter((x) => x.id !== w.id) }));
                      });
                    }}
                  >
                    {t('webhooks.delete')}
                  </button>
                </div>
              </div>
              {open === w.id && <DeliveryLog webhookId={w.id} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function WebhookCreateForm({ onCancel, onCreated }: { onCancel(): void; onCreated(w: Webhook, secret: string): void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const id = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['*']);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const toggle = (e: string, on: boolean) =>
    setEvents((prev) => {
      const next = on ? [...prev.filter((x) => (e === '*' ? x === 'note.created' : x !== '*')), e] : prev.filter((x) => x !== e);
      return [...new Set(next)];
    });
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const r = await webhooksApi.create(api, { url: url.trim(), description, events: events as CreateWebhookBody['events'] });
      onCreated(r.webhook, r.secret);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  const urlErrors = error instanceof ApiError ? error.errors.filter((e) => e.field === 'body.url').map((e) => e.message) : [];
  return (
    <form className="kb-card settings-stack webhook-form" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="webhook-form">
      <h3 id={`${id}-title`} className="kb-card-title">
        {t('webhooks.new')}
      </h3>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      <div className="kb-grid">
        <Field id={`${id}-url`} label={t('webhooks.url')} required messages={urlErrors}>
          <input
            id={`${id}-url`}
            className="kb-input"
            type="url"
            required
            value={url}
            placeholder="https://example.com/kefu-webhook"
            aria-invalid={urlErrors.length > 0 || undefined}
            onChange={(e) => setUrl(e.target.value)}
          />
        </Field>
        <Field id={`${id}-desc`} label={t('webhooks.description')} messages={[]}>
          <input id={`${id}-desc`} className="kb-input" value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </div>
      <fieldset className="kb-field webhook-events-field" aria-describedby={`${id}-events-hint`}>
        <legend>{t('webhooks.events')}</legend>
        <div className="check-grid">
          {(['*', ...WEBHOOK_EVENT_TYPES] as const).map((e) => (
            <label key={e} className="check-option">
              <input type="checkbox" checked={events.includes(e)} onChange={(x) => toggle(e, x.target.checked)} />
              {e === '*' ? t('webhooks.allEvents') : <code>{e}</code>}
            </label>
          ))}
        </div>
        <span className="field-hint" id={`${id}-events-hint`}>
          {t('webhooks.notesHint')}
        </span>
      </fieldset>
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('webhooks.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving || events.length === 0}>
          {t('webhooks.create')}
        </button>
      </div>
    </form>
  );
}

const STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed'];

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const log = useLoad((signal) => webhooksApi.deliveries(api, webhookId, status ? { status } : {}, signal), [api, webhookId, status]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const redeliver = async (d: WebhookDelivery) => {
    setError(null);
    try {
      await webhooksApi.redeliver(api, d.id);
      setDone(d.id);
      await log.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="webhook-log" data-testid="webhook-log">
      <div className="webhook-log-head">
        <select
          className="kb-input"
          value={status}
          onChange={(e) => setStatus(e.target.value as WebhookDeliveryStatus | '')}
          aria-label={t('webhooks.filterStatus')}
        >
          <option value="">{t('webhooks.status.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`webhooks.status.${s}`)}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void log.reload()}>
          {t('webhooks.refresh')}
        </button>
      </div>
      {done && <SuccessNotice message={t('webhooks.redelivered')} onDismiss={() => setDone(null)} />}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {log.error ? <ErrorNotice error={log.error} onDismiss={() => void log.reload()} /> : null}
      {log.data && log.data.items.length === 0 && <p className="kb-empty">{t('webhooks.noDeliveries')}</p>}
      {log.data && log.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="kb-table">
            <thead>
              <tr>
                <th>{t('webhooks.col.event')}</th>
                <th>{t('webhooks.col.status')}</th>
                <th>{t('webhooks.col.attempts')}</th>
                <th>{t('webhooks.col.last')}</th>
                <th>{t('webhooks.col.at')}</th>
                <th>
                  <span className="sr-only">{t('webhooks.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((d) => (
                <tr key={d.id} data-delivery={d.id} data-status={d.status}>
                  <td>{d.eventType}</td>
                  <td>{t(`webhooks.status.${d.status}`)}</td>
                  <td>{d.attempts}</td>
                  <td title={d.lastError ?? ''}>{d.lastStatusCode ?? (d.lastError ? d.lastError.slice(0, 60) : '—')}</td>
                  <td>{formatFull(d.createdAt, locale)}</td>
                  <td>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => void redeliver(d)}>
                      {t('webhooks.redeliver')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
