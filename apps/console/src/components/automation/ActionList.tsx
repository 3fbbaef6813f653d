import { useEffect, useState } from 'react';
import { actionsApi } from '../../api/automation';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { automationHref, followLink } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SuccessNotice } from '../SuccessNotice';
import { deletedAction } from './automation-notes';

/** The workspace's HTTP actions: key, what they call, their secrets and whether the model may use them. */
export function ActionList() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const actions = useLoad((signal) => actionsApi.list(api, signal), [api]);
  const [deleted, setDeleted] = useState<string | null>(deletedAction.peek);
  const items = [...(actions.data?.items ?? [])].sort((a, b) => a.key.localeCompare(b.key));

  useEffect(deletedAction.clear, []);

  return (
    <section className="kb-page" aria-labelledby="actions-title">
      <KbPageHead id="actions-title" title={t('actions.title')} subtitle={t('actions.subtitle')}>
        <a className="btn btn-primary" href={automationHref('actions', { actionId: 'new' })} onClick={followLink} data-testid="action-new">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
          {t('actions.new')}
        </a>
      </KbPageHead>
      {deleted && <SuccessNotice message={t('actions.deleted', { key: deleted })} onDismiss={() => setDeleted(null)} />}
      {actions.error ? <ErrorNotice error={actions.error} onDismiss={() => void actions.reload()} /> : null}
      {actions.loading && items.length === 0 && <p className="kb-empty">{t('actions.loading')}</p>}
      {!actions.loading && !actions.error && items.length === 0 && <p className="kb-empty">{t('actions.empty')}</p>}
      {items.length > 0 && (
        <div className="kb-card nlu-table-card">
          <div className="table-scroll">
            <table className="kb-table action-table" data-testid="action-table" aria-labelledby="actions-title">
              <thead>
                <tr>
                  <th scope="col">{t('actions.col.key')}</th>
                  <th scope="col">{t('actions.col.request')}</th>
                  <th scope="col">{t('actions.col.secrets')}</th>
                  <th scope="col">{t('actions.col.tool')}</th>
                  <th scope="col" className="flow-col-updated">
                    {t('flows.col.updated')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} data-action={a.key}>
                    <td>
                      <a className="flow-name kb-mono" href={automationHref('actions', { actionId: a.id })} onClick={followLink}>
                        {a.key}
                      </a>
                      {a.description && <div className="muted small">{a.description}</div>}
                    </td>
                    <td>
                      <div className="action-request">
                        <span className={`http-method is-${String(a.config.method ?? 'GET').toLowerCase()}`}>{String(a.config.method ?? 'GET')}</span>
                        <code className="action-url" title={String(a.config.url ?? '')}>
                          {String(a.config.url ?? '')}
                        </code>
                      </div>
                    </td>
                    <td>
                      {a.secretNames.length === 0 ? (
                        <span className="muted small">—</span>
                      ) : (
                        a.secretNames.map((n) => (
                          <code key={n} className="secret-name">
                            {n}
                          </code>
                        ))
                      )}
                    </td>
                    <td>{a.llmTool ? <span className="badge badge-bot">{t('actions.toolBadge')}</span> : <span className="muted small">—</span>}</td>
                    <td className="nowrap flow-col-updated">
                      <time dateTime={a.updatedAt} title={formatFull(a.updatedAt, locale)}>
                        {formatRelative(a.updatedAt, locale)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
