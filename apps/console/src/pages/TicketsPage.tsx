import { teamsApi } from '../api/teams';
import { SectionLayout } from '../components/SectionLayout';
import { NewTicketScreen } from '../components/tickets/NewTicketScreen';
import { TicketList } from '../components/tickets/TicketList';
import { TicketScreen } from '../components/tickets/TicketScreen';
import { useT } from '../i18n/i18n';
import { TICKET_TABS, ticketFiltersFrom, ticketFiltersQuery } from '../lib/ticket-filters';
import { canWorkTickets } from '../lib/ticket-form';
import { ticketsHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';
import { useLoad } from '../state/use-load';

/**
 * Tickets: work that carries on after the chat. The tabs are the list's status filters (open work,
 * solved, closed, all); a ticket opens on its own page, and "New ticket" opens the create form.
 */
export function TicketsPage() {
  const t = useT();
  const { api, session } = useSignedIn();
  const [route] = useRoute();
  const filters = ticketFiltersFrom(route.params);
  const canWork = canWorkTickets(session.member?.role);
  const teams = useLoad((signal) => teamsApi.list(api, signal).then((r) => r.items), [api]);
  const allTeams = teams.data ?? [];
  const me = session.member?.id;
  // The list filter offers the teams whose tickets the caller may ask for: an agent's own (admins: all).
  const myTeams = session.member?.role === 'admin' || session.member?.role === 'owner' ? allTeams : allTeams.filter((x) => x.members.some((m) => m.id === me));
  const open = route.ticketId;
  return (
    <SectionLayout
      title={t('tickets.title')}
      contentId="tickets-main"
      canEdit={canWork}
      tabs={TICKET_TABS.map((id) => ({ id, label: t(`tickets.tab.${id}`), href: ticketsHref({ query: ticketFiltersQuery({ ...filters, tab: id }) }) }))}
      activeTab={open ? '' : filters.tab}
      pageKey={open ?? filters.tab}
      documentTitle={open ? null : `${t(`tickets.tab.${filters.tab}`)} · ${t('tickets.title')} · ${session.workspace.name}`}
    >
      {open === 'new' ? (
        canWork ? (
          <NewTicketScreen teams={allTeams} params={route.params} />
        ) : (
          <p className="notice notice-info">{t('tickets.readOnly')}</p>
        )
      ) : open ? (
        <TicketScreen key={open} ticketId={open} teams={allTeams} />
      ) : (
        <TicketList filters={filters} teams={myTeams} canCreate={canWork} />
      )}
    </SectionLayout>
  );
}
