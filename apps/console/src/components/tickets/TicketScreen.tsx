import type { Member, Team } from '@kefu/protocol';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { type Ticket, ticketsApi } from '../../api/tickets';
import { useI18n } from '../../i18n/i18n';
import { fieldErrorsByPath } from '../../lib/faq-form';
import { formatFull, formatRelative } from '../../lib/format';
import {
  draftFromTicket,
  isTicketReadOnly,
  MAX_TICKET_SUBJECT_CHARS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketDraft,
  ticketPatch,
} from '../../lib/ticket-form';
import { followLink, hrefFor, ticketsHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { saveShortcutHandler, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { useLoad } from '../../state/use-load';
import { useMembers } from '../../state/use-member-names';
import { useRefetchOnFocus } from '../../state/use-refetch-on-focus';
import { StatusBadge } from '../Badges';
import { ErrorNotice } from '../ErrorNotice';
import { Field } from '../FormField';
import { SaveBar } from '../SaveBar';
import { SlaBadge } from '../SlaBadge';
import { SuccessNotice } from '../SuccessNotice';
import { TicketPriorityBadge, TicketStatusBadge } from './TicketBadges';
import { TicketThread } from './TicketThread';

/** A ticket just created elsewhere in the console, handed to its page (which then says so). */
export const createdTicket = new Map<string, Ticket>();

/**
 * One ticket: what it is about, its comments with a composer (public ones reach the customer in
 * their conversation), and on the side its status, priority, assignee and team, the linked
 * conversation and its clocks. A closed ticket is read-only.
 */
export function TicketScreen({ ticketId, teams }: { ticketId: string; teams: readonly Team[] }) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const [handed] = useState(() => createdTicket.get(ticketId));
  const loaded = useLoad((signal) => ticketsApi.get(api, ticketId, signal), [api, ticketId]);
  const [created, setCreated] = useState(handed !== undefined);
  const ticket = loaded.data ?? handed ?? null;
  const { reload, setData } = loaded;
  const dirtyRef = useRef(false);
  const onDirtyChange = useCallback((dirty: boolean) => {
    dirtyRef.current = dirty;
  }, []);

  useEffect(() => {
    createdTicket.delete(ticketId);
  }, [ticketId]);
  // Someone else may have moved it on: fetch again on return, unless there are edits here to keep.
  useRefetchOnFocus(() => {
    if (!dirtyRef.current) void reload();
  });

  const title = ticket ? `#${ticket.number} ${ticket.subject}` : null;
  useEffect(() => {
    if (title) document.title = `${title} · ${t('tickets.title')} · ${session.workspace.name}`;
  }, [title, t, session.workspace.name]);

  if (!ticket) {
    return (
      <div className="faq-screen">
        <BackLink />
        {loaded.error ? <ErrorNotice error={loaded.error} /> : <p className="kb-empty">{t('tickets.loading')}</p>}
      </div>
    );
  }

  const role = session.member?.role;
  const readOnly = isTicketReadOnly(ticket, role);
  const saved = (next: Ticket) => {
    setData((prev) => ({ ...next, comments: next.comments ?? prev?.comments ?? [] }));
    // The change left a system comment and may have moved the clocks: fetch the whole ticket.
    void reload();
  };

  return (
    <div className="faq-screen ticket-screen" data-testid="ticket-screen" data-ticket-number={ticket.number}>
      <header className="faq-screen-head">
        <BackLink />
        <div className="faq-screen-title">
          <h1 className="kb-title ticket-title">
            <span className="ticket-number">#{ticket.number}</span> {ticket.subject}
          </h1>
          <div className="faq-screen-meta">
            <TicketStatusBadge status={ticket.status} />
            <TicketPriorityBadge priority={ticket.priority} />
            <SlaBadge sla={ticket.sla} />
            <span className="muted">
              {t(`tickets.source.${ticket.source}`)} ·{' '}
              <time dateTime={ticket.createdAt} title={formatFull(ticket.createdAt, locale)}>
                {t('tickets.createdAgo', { time: formatRelative(ticket.createdAt, locale) })}
              </time>
            </span>
          </div>
        </div>
      </header>
      {created && <SuccessNotice message={t('tickets.created', { number: ticket.number })} onDismiss={() => setCreated(false)} />}
      {loaded.error ? <ErrorNotice error={loaded.error} onDismiss={() => void reload()} /> : null}
      {ticket.status === 'closed' && (
        <p className="notice notice-info" data-testid="ticket-closed-notice">
          {t('tickets.closedNotice')}
        </p>
      )}
      <div className="faq-screen-cols">
        <div className="faq-screen-main ticket-main">
          <section className="kb-card" aria-labelledby="ticket-description-title">
            <h2 id="ticket-description-title" className="kb-card-title">
              {t('tickets.description')}
            </h2>
            {ticket.description ? <p className="ticket-description">{ticket.description}</p> : <p className="muted small">{t('tickets.noDescription')}</p>}
          </section>
          <TicketThread ticket={ticket} readOnly={readOnly} onChanged={() => void reload()} onClosed={() => void reload()} />
        </div>
        <aside className="faq-screen-side ticket-side">
          <TicketProperties
            key={ticket.id}
            ticket={ticket}
            teams={teams}
            readOnly={readOnly}
            onSaved={saved}
            onClosedElsewhere={() => void reload()}
            onDirtyChange={onDirtyChange}
          />
          <LinkedConversation ticket={ticket} />
        </aside>
      </div>
    </div>
  );
}

function BackLink() {
  const t = useI18n().t;
  return (
    <a className="kb-back" href={ticketsHref()} onClick={followLink}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M10 3.5 5.5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {t('tickets.back')}
    </a>
  );
}

/** Status, priority, assignee, team and subject, saved together (only what changed is sent). */
function TicketProperties(props: {
  ticket: Ticket;
  teams: readonly Team[];
  readOnly: boolean;
  onSaved(t: Ticket): void;
  onClosedElsewhere(): void;
  onDirtyChange(dirty: boolean): void;
}) {
  const { ticket, teams, readOnly } = props;
  const { t } = useI18n();
  const { api } = useSignedIn();
  const members = useMembers();
  const uid = useId();
  const id = (s: string) => `${uid}-${s}`;
  const [draft, setDraft] = useState<TicketDraft>(() => draftFromTicket(ticket));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const patch = ticketPatch(ticket, draft);
  const dirty = patch !== null && !readOnly;
  useUnsavedChangesGuard(dirty, props.onDirtyChange);

  // A newer copy of the ticket (saved here, or fetched again) resets the fields that were not edited.
  const base = useRef(draftFromTicket(ticket));
  useEffect(() => {
    const next = draftFromTicket(ticket);
    const was = base.current;
    base.current = next;
    // Closed (here or elsewhere): nothing can change any more, so show what it is.
    if (ticket.status === 'closed') return setDraft(next);
    setDraft((d) => {
      const out = { ...d };
      for (const k of Object.keys(next) as (keyof TicketDraft)[]) if (d[k] === was[k]) (out as Record<string, string>)[k] = next[k];
      return out;
    });
  }, [ticket]);

  const save = useCallback(async () => {
    const body = ticketPatch(ticket, draft);
    if (!body || saving) return;
    setSaving(true);
    setError(null);
    try {
      props.onSaved(await ticketsApi.update(api, ticket.id, body));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'TICKET_CLOSED') props.onClosedElsewhere();
    } finally {
      setSaving(false);
    }
  }, [api, draft, props, saving, ticket]);

  const fieldErrors = fieldErrorsByPath(error instanceof ApiError ? error.errors : []);
  const messages = (k: string) => (fieldErrors.get(k) ?? []).map((e) => e.message);
  const assignable = members.filter((m: Member) => m.role !== 'viewer');
  const set = (k: keyof TicketDraft, v: string) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <form
      className="kb-card faq-form ticket-properties"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={saveShortcutHandler(save)}
      aria-busy={saving}
      aria-labelledby={id('title')}
      data-testid="ticket-properties"
    >
      <h2 id={id('title')} className="kb-card-title">
        {t('tickets.properties')}
      </h2>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      <fieldset className="ticket-fields" disabled={readOnly || saving}>
        <Field id={id('subject')} label={t('tickets.field.subject')} required messages={messages('subject')}>
          <input
            id={id('subject')}
            className="kb-input"
            value={draft.subject}
            maxLength={MAX_TICKET_SUBJECT_CHARS + 20}
            onChange={(e) => set('subject', e.target.value)}
            aria-invalid={messages('subject').length > 0 || undefined}
            data-testid="ticket-subject"
          />
        </Field>
        <Field id={id('status')} label={t('tickets.field.status')} messages={messages('status')}>
          <select
            id={id('status')}
            className="kb-input"
            value={draft.status}
            onChange={(e) => set('status', e.target.value)}
            data-testid="ticket-status-select"
          >
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`tickets.status.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        {draft.status === 'closed' && ticket.status !== 'closed' && <p className="field-hint">{t('tickets.closeHint')}</p>}
        <Field id={id('priority')} label={t('tickets.field.priority')} messages={messages('priority')}>
          <select
            id={id('priority')}
            className="kb-input"
            value={draft.priority}
            onChange={(e) => set('priority', e.target.value)}
            data-testid="ticket-priority"
          >
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('assignee')} label={t('tickets.field.assignee')} messages={messages('assigneeId')}>
          <select
            id={id('assignee')}
            className="kb-input"
            value={draft.assigneeId}
            onChange={(e) => set('assigneeId', e.target.value)}
            data-testid="ticket-assignee"
          >
            <option value="">{t('tickets.unassigned')}</option>
            {ticket.assignee && !assignable.some((m) => m.id === ticket.assignee?.id) && <option value={ticket.assignee.id}>{ticket.assignee.name}</option>}
            {assignable.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('team')} label={t('tickets.field.team')} hint={t('tickets.field.teamHint')} messages={messages('teamId')}>
          <select id={id('team')} className="kb-input" value={draft.teamId} onChange={(e) => set('teamId', e.target.value)} data-testid="ticket-team">
            <option value="">{t('tickets.team.none')}</option>
            {ticket.team && !teams.some((x) => x.id === ticket.team?.id) && <option value={ticket.team.id}>{ticket.team.name}</option>}
            {teams.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      {!readOnly && (
        <SaveBar
          dirty={dirty}
          saving={saving}
          existing
          saveLabel={t('tickets.save')}
          saveTestId="ticket-save"
          onDiscard={() => {
            setDraft(draftFromTicket(ticket));
            setError(null);
          }}
        />
      )}
    </form>
  );
}

/** The conversation the ticket came from: its customer and state, and the way back to it. */
function LinkedConversation({ ticket }: { ticket: Ticket }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const conversationId = ticket.conversationId;
  const conv = useLoad((signal) => (conversationId ? ticketsApi.conversation(api, conversationId, signal) : Promise.resolve(null)), [api, conversationId]);
  return (
    <section className="kb-card ticket-linked" aria-labelledby="ticket-linked-title" data-testid="ticket-conversation">
      <h2 id="ticket-linked-title" className="kb-card-title">
        {t('tickets.conversation')}
      </h2>
      {!conversationId ? (
        <p className="muted small">{t('tickets.noConversation')}</p>
      ) : (
        <>
          {conv.data && (
            <div className="ticket-linked-head">
              <strong>{conv.data.contact.name ?? t('tickets.customer')}</strong>
              <StatusBadge status={conv.data.status} />
            </div>
          )}
          {conv.data?.lastMessagePreview && <p className="ticket-linked-preview muted small">{conv.data.lastMessagePreview}</p>}
          {conv.error ? <p className="muted small">{t('tickets.conversationHidden')}</p> : null}
          <a className="btn btn-small" href={hrefFor({ conversationId, filter: 'all' })} onClick={followLink} data-testid="ticket-conversation-link">
            {t('tickets.openConversation')}
          </a>
          <p className="field-hint">{t('tickets.conversationHint')}</p>
        </>
      )}
      <dl className="ticket-facts">
        <dt>{t('tickets.fact.created')}</dt>
        <dd>{formatFull(ticket.createdAt, locale)}</dd>
        <dt>{t('tickets.fact.updated')}</dt>
        <dd>{formatFull(ticket.updatedAt, locale)}</dd>
        {ticket.solvedAt && (
          <>
            <dt>{t('tickets.fact.solved')}</dt>
            <dd>{formatFull(ticket.solvedAt, locale)}</dd>
          </>
        )}
        {ticket.dueAt && (
          <>
            <dt>{t('tickets.fact.due')}</dt>
            <dd>{formatFull(ticket.dueAt, locale)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
