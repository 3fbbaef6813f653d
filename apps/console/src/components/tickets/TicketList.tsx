import type { Team } from '@kefu/protocol';
import { useEffect, useState } from 'react';
import { type Ticket, type TicketPage, ticketsApi } from '../../api/tickets';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { TICKET_WHO, type TicketFilters, ticketFiltersQuery, ticketListQuery } from '../../lib/ticket-filters';
import { followLink, navigateTo, ticketsHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { useRefetchOnFocus } from '../../state/use-refetch-on-focus';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SlaBadge } from '../SlaBadge';
import { TicketPriorityBadge, TicketStatusBadge } from './TicketBadges';

/**
 * The tickets the caller may see, most recently updated first, under the section's status tabs:
 * whose (anyone's, mine, nobody's), which team, and "load more" for older ones. Fetched again when
 * the window regains focus, so work done elsewhere shows up.
 */
export function TicketList({ filters, teams, canCreate }: { filters: TicketFilters; teams: readonly Team[]; canCreate: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const query = ticketListQuery(filters);
  const key = JSON.stringify(query);
  const first = useLoad((signal) => ticketsApi.list(api, query, signal), [api, key]);
  const [more, setMore] = useState<{ pages: TicketPage[]; error: unknown; loading: boolean }>({ pages: [], error: null, loading: false });
  const { reload } = first;

  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start from the first page
  useEffect(() => setMore({ pages: [], error: null, loading: false }), [key]);
  useRefetchOnFocus(() => {
    setMore({ pages: [], error: null, loading: false });
    void reload();
  });

  const pages = first.data ? [first.data, ...more.pages] : [];
  const items = dedupe(pages.flatMap((p) => p.items));
  const nextCursor = pages.at(-1)?.nextCursor ?? null;
  const go = (next: Partial<TicketFilters>) => navigateTo(ticketsHref({ query: ticketFiltersQuery({ ...filters, ...next }) }), { replace: true });

  const loadMore = async () => {
    if (!nextCursor) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = await ticketsApi.list(api, { ...query, cursor: nextCursor });
      setMore((m) => ({ pages: [...m.pages, page], error: null, loading: false }));
    } catch (error) {
      setMore((m) => ({ ...m, error, loading: false }));
    }
  };

  return (
    <section className="kb-page" aria-labelledby="tickets-title">
      <KbPageHead id="tickets-title" title={t(`tickets.tab.${filters.tab}`)} subtitle={t('tickets.subtitle')}>
        {canCreate && (
          <a className="btn btn-primary" href={ticketsHref({ ticketId: 'new' })} onClick={followLink} data-testid="ticket-new">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            {t('tickets.new')}
          </a>
        )}
      </KbPageHead>
      <div className="kb-toolbar ticket-toolbar">
        <fieldset className="segmented" aria-label={t('tickets.filter.who')}>
          {TICKET_WHO.map((who) => (
            <label key={who} className={`segment${filters.who === who ? ' is-active' : ''}`}>
              <input type="radio" name="ticket-who" value={who} checked={filters.who === who} onChange={() => go({ who })} data-testid={`ticket-who-${who}`} />
              {t(`tickets.who.${who}`)}
            </label>
          ))}
        </fieldset>
        {teams.length > 0 && (
          <select
            className="kb-input ticket-team-filter"
            aria-label={t('tickets.filter.team')}
            value={filters.team ?? ''}
            onChange={(e) => go({ team: e.target.value || null })}
            data-testid="ticket-team-filter"
          >
            <option value="">{t('tickets.team.any')}</option>
            <option value="none">{t('tickets.team.none')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {first.error ? <ErrorNotice error={first.error} onDismiss={() => void reload()} /> : null}
      {first.loading && items.length === 0 && <p className="kb-empty">{t('tickets.loading')}</p>}
      {!first.loading && !first.error && items.length === 0 && (
        <p className="kb-empty" data-testid="tickets-empty">
          {t(filters.tab === 'open' ? 'tickets.emptyOpen' : 'tickets.empty')}
        </p>
      )}
      {items.length > 0 && (
        <div className="kb-card nlu-table-card">
          <div className="table-scroll">
            <table className={`kb-table ticket-table${first.loading ? ' is-stale' : ''}`} data-testid="ticket-table" aria-labelledby="tickets-title">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('tickets.col.number')}
                  </th>
                  <th scope="col">{t('tickets.col.subject')}</th>
                  <th scope="col">{t('tickets.col.status')}</th>
                  <th scope="col">{t('tickets.col.priority')}</th>
                  <th scope="col">{t('tickets.col.assignee')}</th>
                  <th scope="col">{t('tickets.col.team')}</th>
                  <th scope="col">{t('tickets.col.sla')}</th>
                  <th scope="col">{t('tickets.col.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((x) => (
                  <TicketRow key={x.id} ticket={x} locale={locale} />
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {more.error ? <ErrorNotice error={more.error} compact /> : null}
      {nextCursor && (
        <button type="button" className="btn ticket-more" onClick={() => void loadMore()} disabled={more.loading} aria-busy={more.loading}>
          {more.loading ? t('tickets.loading') : t('tickets.loadMore')}
        </button>
      )}
    </section>
  );
}

function TicketRow({ ticket: x, locale }: { ticket: Ticket; locale: ReturnType<typeof useI18n>['locale'] }) {
  const { t } = useI18n();
  const href = ticketsHref({ ticketId: x.id });
  return (
    <tr data-ticket-id={x.id} data-ticket-number={x.number}>
      <td className="num kb-mono">
        <a href={href} onClick={followLink} tabIndex={-1}>
          #{x.number}
        </a>
      </td>
      <td className="ticket-subject-cell">
        <a className="ticket-subject" href={href} onClick={followLink}>
          {x.subject}
        </a>
        {x.source === 'bot' && <span className="badge badge-bot ticket-source">{t('tickets.source.bot')}</span>}
      </td>
      <td>
        <TicketStatusBadge status={x.status} />
      </td>
      <td>
        <TicketPriorityBadge priority={x.priority} always />
      </td>
      <td>{x.assignee ? x.assignee.name : <span className="muted small">{t('tickets.unassigned')}</span>}</td>
      <td>{x.team ? x.team.name : <span className="muted small">—</span>}</td>
      <td>{x.sla ? <SlaBadge sla={x.sla} compact /> : <span className="muted small">—</span>}</td>
      <td className="nowrap">
        <time dateTime={x.updatedAt} title={formatFull(x.updatedAt, locale)}>
          {formatRelative(x.updatedAt, locale)}
        </time>
      </td>
    </tr>
  );
}

/** A ticket updated while paging can come twice; the first (newest) copy wins. */
function dedupe(items: Ticket[]) {
  const seen = new Set<string>();
  return items.filter((x) => !seen.has(x.id) && seen.add(x.id));
}
