import type { Intent } from '@kefu/protocol';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { intentsApi } from '../../api/intents';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { MIN_EXAMPLES, matchesIntent, OUT_OF_SCOPE } from '../../lib/intents';
import { followLink, navigateTo, understandingHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useFaqTitles } from '../../state/use-faq-titles';
import { useIntentRuns } from '../../state/use-intent-runs';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SuccessNotice } from '../SuccessNotice';
import { IntentActionLabel } from './IntentActionLabel';
import { IntentTransfer } from './IntentTransfer';
import { clearDeleted, peekDeleted } from './intent-notes';
import { ModelStatus } from './ModelStatus';

const SEARCH_DEBOUNCE_MS = 300;

/** The workspace's intents with search, whether the model is up to date, and import and export. */
export function IntentList({ params, canEdit }: { params: URLSearchParams; canEdit: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const intents = useLoad((signal) => intentsApi.list(api, signal), [api]);
  const runs = useIntentRuns();
  const routeQ = params.get('q') ?? '';
  const [q, setQ] = useState(routeQ);
  const [deleted, setDeleted] = useState<string | null>(peekDeleted);
  const searchId = useId();
  const typing = useRef(false);
  const items = intents.data?.items ?? [];
  const shown = useMemo(() => [...items].sort((a, b) => a.name.localeCompare(b.name)).filter((i) => matchesIntent(i, q)), [items, q]);
  const faqTitles = useFaqTitles(items.flatMap((i) => (i.action?.kind === 'faq' ? [i.action.faqId] : [])));

  useEffect(clearDeleted, []);

  // The address changed under the box (back button): show what it says.
  useEffect(() => {
    if (!typing.current) setQ(routeQ);
  }, [routeQ]);

  // The search lives in the address, so a reload or a shared link keeps it.
  useEffect(() => {
    if (q === routeQ) return;
    typing.current = true;
    const timer = setTimeout(() => {
      typing.current = false;
      navigateTo(understandingHref('intents', { query: { q: q.trim() } }), { replace: true });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q, routeQ]);

  return (
    <section className="kb-page" aria-labelledby="intents-title">
      <KbPageHead id="intents-title" title={t('nlu.intents.title')} subtitle={t('nlu.intents.subtitle')}>
        {canEdit && (
          <a className="btn btn-primary" href={understandingHref('intents', { intentId: 'new' })} onClick={followLink} data-testid="intent-new">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            {t('nlu.intents.new')}
          </a>
        )}
      </KbPageHead>

      {intents.data && <ModelStatus intents={items} runs={runs} canEdit={canEdit} />}
      {deleted && <SuccessNotice message={t('nlu.intents.deleted', { name: deleted })} onDismiss={() => setDeleted(null)} />}

      <form className="kb-toolbar" onSubmit={(e) => e.preventDefault()} aria-label={t('nlu.intents.search')}>
        <div className="kb-search">
          <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
            <circle cx="9" cy="9" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="m13.2 13.2 3.3 3.3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
          <label htmlFor={searchId} className="sr-only">
            {t('nlu.intents.search')}
          </label>
          <input
            id={searchId}
            type="search"
            value={q}
            maxLength={200}
            placeholder={t('nlu.intents.searchPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
            data-testid="intent-search"
          />
        </div>
        <span className="muted small" role="status">
          {q.trim() ? t('nlu.intents.countFiltered', { shown: shown.length, total: items.length }) : t('nlu.intents.count', { count: items.length })}
        </span>
      </form>

      {intents.error ? <ErrorNotice error={intents.error} onDismiss={() => void intents.reload()} /> : null}
      {intents.loading && items.length === 0 && <p className="kb-empty">{t('nlu.intents.loading')}</p>}
      {!intents.loading && !intents.error && items.length === 0 && (
        <div className="kb-empty">
          <p>{t('nlu.intents.empty')}</p>
          {canEdit && (
            <a className="btn btn-primary btn-small" href={understandingHref('intents', { intentId: 'new' })} onClick={followLink}>
              {t('nlu.intents.new')}
            </a>
          )}
        </div>
      )}
      {items.length > 0 && shown.length === 0 && <p className="kb-empty">{t('nlu.intents.emptyFiltered', { q: q.trim() })}</p>}
      {shown.length > 0 && (
        <div className="kb-card nlu-table-card">
          <div className="table-scroll">
            <table className="kb-table intent-table" data-testid="intent-table" aria-labelledby="intents-title">
              <thead>
                <tr>
                  <th scope="col">{t('nlu.col.name')}</th>
                  <th scope="col" className="num">
                    {t('nlu.col.examples')}
                  </th>
                  <th scope="col">{t('nlu.col.action')}</th>
                  <th scope="col" className="intent-col-updated">
                    {t('nlu.col.updated')}
                  </th>
                  {canEdit && (
                    <th scope="col">
                      <span className="sr-only">{t('kb.delete')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {shown.map((i) => (
                  <IntentRow
                    key={i.id}
                    intent={i}
                    canEdit={canEdit}
                    faqTitle={i.action?.kind === 'faq' ? faqTitles.get(i.action.faqId) : undefined}
                    onDeleted={() => {
                      intents.setData((d) => ({ items: (d?.items ?? []).filter((x) => x.id !== i.id) }));
                      setDeleted(i.name);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      <IntentTransfer canEdit={canEdit} onImported={() => void intents.reload()} />
    </section>
  );
}

function IntentRow({ intent: i, canEdit, faqTitle, onDeleted }: { intent: Intent; canEdit: boolean; faqTitle: string | null | undefined; onDeleted(): void }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const thin = i.examples.length < MIN_EXAMPLES;

  useEffect(() => {
    if (confirm) cancel.current?.focus();
  }, [confirm]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await intentsApi.remove(api, i.id);
      onDeleted();
    } catch (err) {
      setError(err);
      setBusy(false);
      setConfirm(false);
    }
  };

  return (
    <tr data-intent={i.name} data-id={i.id}>
      <td className="intent-cell-name">
        <a className="intent-name" href={understandingHref('intents', { intentId: i.id })} onClick={followLink}>
          {i.name}
        </a>
        {i.name === OUT_OF_SCOPE && <span className="badge badge-muted">{t('nlu.oosBadge')}</span>}
        {i.description && <div className="muted small intent-description">{i.description}</div>}
        {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
      </td>
      <td className="num">
        <span className={`intent-count${thin ? ' is-thin' : ''}`} title={thin ? t('nlu.examples.thin', { min: MIN_EXAMPLES }) : undefined}>
          {thin && (
            <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
              <path d="M8 2 1.5 13.5h13z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
              <path d="M8 6.5v3.2M8 11.6v.1" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          )}
          {i.examples.length}
          {thin && <span className="sr-only"> ({t('nlu.examples.thin', { min: MIN_EXAMPLES })})</span>}
        </span>
      </td>
      <td>
        <IntentActionLabel action={i.action} faqTitle={faqTitle} />
      </td>
      <td className="nowrap intent-col-updated">
        <time dateTime={i.updatedAt} title={formatFull(i.updatedAt, locale)}>
          {formatRelative(i.updatedAt, locale)}
        </time>
      </td>
      {canEdit && (
        <td className="num nowrap">
          {confirm ? (
            <span className="inline-confirm">
              <span>{t('nlu.intents.deleteConfirm', { name: i.name, count: i.examples.length })}</span>
              <button type="button" className="btn btn-small btn-danger" onClick={() => void remove()} disabled={busy} data-testid="intent-delete-confirm">
                {t('kb.delete')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirm(false)} ref={cancel}>
                {t('kb.cancel')}
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="btn btn-small btn-ghost btn-danger-text"
              onClick={() => setConfirm(true)}
              aria-label={t('nlu.intents.delete', { name: i.name })}
              data-testid="intent-delete"
            >
              {t('kb.delete')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
