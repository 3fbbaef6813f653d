import { useEffect, useState } from 'react';
import { type Flow, flowsApi } from '../../api/automation';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { localizedText } from '../../lib/localized-text';
import { automationHref, followLink } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SuccessNotice } from '../SuccessNotice';
import { Switch } from '../Switch';
import { deletedFlow } from './automation-notes';
import { FlowTriggers } from './FlowTriggers';

/** The workspace's flows: name, key, whether each is on, its version and what starts it. */
export function FlowList({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const flows = useLoad((signal) => flowsApi.list(api, signal), [api]);
  const [deleted, setDeleted] = useState<string | null>(deletedFlow.peek);
  const items = flows.data?.items ?? [];

  useEffect(deletedFlow.clear, []);

  const replace = (next: Flow) => flows.setData((d) => ({ items: (d?.items ?? []).map((f) => (f.id === next.id ? next : f)) }));

  return (
    <section className="kb-page" aria-labelledby="flows-title">
      <KbPageHead id="flows-title" title={t('flows.title')} subtitle={t('flows.subtitle')}>
        {canEdit && (
          <a className="btn btn-primary" href={automationHref('flows', { flowId: 'new' })} onClick={followLink} data-testid="flow-new">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            {t('flows.new')}
          </a>
        )}
      </KbPageHead>

      {deleted && <SuccessNotice message={t('flows.deleted', { name: deleted })} onDismiss={() => setDeleted(null)} />}
      {flows.error ? <ErrorNotice error={flows.error} onDismiss={() => void flows.reload()} /> : null}
      {flows.loading && items.length === 0 && <p className="kb-empty">{t('flows.loading')}</p>}
      {!flows.loading && !flows.error && items.length === 0 && (
        <div className="kb-empty">
          <p>{t('flows.empty')}</p>
        </div>
      )}
      {items.length > 0 && (
        <div className="kb-card nlu-table-card">
          <div className="table-scroll">
            <table className="kb-table flow-table" data-testid="flow-table" aria-labelledby="flows-title">
              <thead>
                <tr>
                  <th scope="col">{t('flows.col.name')}</th>
                  <th scope="col">{t('flows.col.key')}</th>
                  <th scope="col">{t('flows.col.triggers')}</th>
                  <th scope="col" className="num">
                    {t('flows.col.version')}
                  </th>
                  <th scope="col">{t('flows.col.enabled')}</th>
                  <th scope="col" className="flow-col-updated">
                    {t('flows.col.updated')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...items]
                  .sort((a, b) => a.key.localeCompare(b.key))
                  .map((f) => (
                    <FlowRow key={f.id} flow={f} canEdit={canEdit} onChanged={replace} />
                  ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

function FlowRow({ flow: f, canEdit, onChanged }: { flow: Flow; canEdit: boolean; onChanged(f: Flow): void }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = localizedText(f.name, locale) || f.key;

  const toggle = async (enabled: boolean) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await flowsApi.update(api, f.id, { source: f.source, enabled }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-flow={f.key} data-id={f.id} className={f.enabled ? undefined : 'is-off'}>
      <td className="flow-cell-name">
        <a className="flow-name" href={automationHref('flows', { flowId: f.id })} onClick={followLink}>
          {name}
        </a>
        {f.description && <div className="muted small flow-description">{f.description}</div>}
        {f.definition === null && <div className="field-warn small">{t('flows.brokenHint')}</div>}
        {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
      </td>
      <td>
        <code className="flow-key">{f.key}</code>
      </td>
      <td>
        <FlowTriggers triggers={f.triggers} max={4} />
      </td>
      <td className="num">
        <span className="badge badge-muted">{t('kb.version', { version: f.version })}</span>
      </td>
      <td className="flow-cell-enabled">
        {canEdit ? (
          <Switch
            checked={f.enabled}
            onChange={(on) => void toggle(on)}
            disabled={busy}
            label={t(f.enabled ? 'flows.disable' : 'flows.enable', { name })}
            compact
            testId="flow-enabled"
          />
        ) : null}
        <span className={`flow-state${f.enabled ? ' is-on' : ''}`} data-testid="flow-state">
          {t(f.enabled ? 'flows.on' : 'flows.off')}
        </span>
      </td>
      <td className="nowrap flow-col-updated">
        <time dateTime={f.updatedAt} title={formatFull(f.updatedAt, locale)}>
          {formatRelative(f.updatedAt, locale)}
        </time>
      </td>
    </tr>
  );
}
