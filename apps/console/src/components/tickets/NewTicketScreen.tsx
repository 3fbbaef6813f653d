import type { Member, Team } from '@kefu/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { ticketsApi } from '../../api/tickets';
import { useI18n } from '../../i18n/i18n';
import { fieldErrorsByPath } from '../../lib/faq-form';
import {
  checkNewTicket,
  createBodyFrom,
  emptyNewTicket,
  MAX_TICKET_SUBJECT_CHARS,
  MAX_TICKET_TEXT_CHARS,
  type NewTicketDraft,
  TICKET_PRIORITIES,
} from '../../lib/ticket-form';
import { followLink, navigateTo, ticketsHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { saveShortcutHandler, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { useLoad } from '../../state/use-load';
import { useMembers } from '../../state/use-member-names';
import { ErrorNotice } from '../ErrorNotice';
import { Field } from '../FormField';
import { SaveBar } from '../SaveBar';
import { createdTicket } from './TicketScreen';

const noop = () => {};

/**
 * The "New ticket" form: subject and description, the conversation it comes from (its customer is
 * told and hears about every update; the ticket takes its team), priority, assignee and team.
 * `?conversation=<id>` in the address picks the conversation.
 */
export function NewTicketScreen({ teams, params }: { teams: readonly Team[]; params: URLSearchParams }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const members = useMembers();
  const uid = useId();
  const id = (s: string) => `${uid}-${s}`;
  const linked = params.get('conversation') ?? '';
  const [draft, setDraft] = useState<NewTicketDraft>(() => emptyNewTicket(linked));
  const [checked, setChecked] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const recent = useLoad((signal) => ticketsApi.recentConversations(api, signal), [api]);
  const dirty = draft.subject.trim() !== '' || draft.description.trim() !== '';
  useUnsavedChangesGuard(dirty && !saving, noop);

  useEffect(() => {
    document.title = `${t('tickets.newTitle')} · ${t('tickets.title')} · ${session.workspace.name}`;
    subjectRef.current?.focus();
  }, [t, session.workspace.name]);

  const problems = checked ? checkNewTicket(draft) : [];
  const serverFields = fieldErrorsByPath(error instanceof ApiError ? error.errors : []);
  const messages = (field: 'subject' | 'description', server = field) => [
    ...problems.filter((p) => p.startsWith(`${field}.`)).map((p) => t(`tickets.problem.${p}`)),
    ...(serverFields.get(server) ?? []).map((e) => e.message),
  ];
  const set = <K extends keyof NewTicketDraft>(k: K, v: NewTicketDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const conversations = recent.data?.items ?? [];
  const chosen = conversations.find((c) => c.id === draft.conversationId);

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    setChecked(true);
    if (checkNewTicket(draft).length > 0) {
      subjectRef.current?.focus();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const ticket = await ticketsApi.create(api, createBodyFrom(draft));
      createdTicket.set(ticket.id, { ...ticket, comments: ticket.comments ?? [] });
      navigateTo(ticketsHref({ ticketId: ticket.id }), { replace: true, force: true });
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  return (
    <div className="faq-screen">
      <header className="faq-screen-head">
        <a className="kb-back" href={ticketsHref()} onClick={followLink}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M10 3.5 5.5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          {t('tickets.back')}
        </a>
        <h1 className="kb-title">{t('tickets.newTitle')}</h1>
      </header>
      <form
        className="kb-card faq-form ticket-new-form"
        noValidate
        onSubmit={(e) => void save(e)}
        onKeyDown={saveShortcutHandler(save)}
        aria-busy={saving}
        aria-label={t('tickets.newTitle')}
        data-testid="ticket-new-form"
      >
        {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
        <div className="kb-grid">
          <Field id={id('subject')} label={t('tickets.field.subject')} required messages={messages('subject')} className="kb-wide">
            <input
              ref={subjectRef}
              id={id('subject')}
              className="kb-input"
              value={draft.subject}
              maxLength={MAX_TICKET_SUBJECT_CHARS + 20}
              placeholder={t('tickets.field.subjectPlaceholder')}
              onChange={(e) => set('subject', e.target.value)}
              aria-invalid={messages('subject').length > 0 || undefined}
              aria-describedby={messages('subject').length ? `${id('subject')}-msg` : undefined}
              data-testid="ticket-new-subject"
            />
          </Field>
          <Field id={id('description')} label={t('tickets.field.description')} messages={messages('description')} className="kb-wide">
            <textarea
              id={id('description')}
              className="kb-input"
              rows={5}
              value={draft.description}
              maxLength={MAX_TICKET_TEXT_CHARS + 100}
              placeholder={t('tickets.field.descriptionPlaceholder')}
              onChange={(e) => set('description', e.target.value)}
              aria-invalid={messages('description').length > 0 || undefined}
              data-testid="ticket-new-description"
            />
          </Field>
          <Field
            id={id('conversation')}
            label={t('tickets.field.conversation')}
            hint={t('tickets.field.conversationHint')}
            messages={(serverFields.get('conversationId') ?? []).map((e) => e.message)}
            className="kb-wide"
          >
            <select
              id={id('conversation')}
              className="kb-input"
              value={draft.conversationId}
              onChange={(e) => {
                const conv = conversations.find((c) => c.id === e.target.value);
                setDraft((d) => ({ ...d, conversationId: e.target.value, ...(conv ? { priority: conv.priority } : {}) }));
              }}
              data-testid="ticket-new-conversation"
            >
              <option value="">{t('tickets.field.noConversation')}</option>
              {draft.conversationId && !chosen && (
                <option value={draft.conversationId}>{t('tickets.field.conversationId', { id: draft.conversationId })}</option>
              )}
              {conversations.map((c) => (
                <option key={c.id} value={c.id}>
                  {`${c.contact.name ?? t('tickets.customer')} · ${t(`status.${c.status}`)}${c.lastMessagePreview ? ` · ${c.lastMessagePreview.slice(0, 60)}` : ''}`}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('priority')} label={t('tickets.field.priority')} messages={[]}>
            <select
              id={id('priority')}
              className="kb-input"
              value={draft.priority}
              onChange={(e) => set('priority', e.target.value as NewTicketDraft['priority'])}
              data-testid="ticket-new-priority"
            >
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('assignee')} label={t('tickets.field.assignee')} messages={(serverFields.get('assigneeId') ?? []).map((e) => e.message)}>
            <select
              id={id('assignee')}
              className="kb-input"
              value={draft.assigneeId}
              onChange={(e) => set('assigneeId', e.target.value)}
              data-testid="ticket-new-assignee"
            >
              <option value="">{t('tickets.unassigned')}</option>
              {members
                .filter((m: Member) => m.role !== 'viewer')
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
            </select>
          </Field>
          <Field id={id('team')} label={t('tickets.field.team')} messages={(serverFields.get('teamId') ?? []).map((e) => e.message)}>
            <select id={id('team')} className="kb-input" value={draft.teamId} onChange={(e) => set('teamId', e.target.value)} data-testid="ticket-new-team">
              <option value="">{draft.conversationId ? t('tickets.team.fromConversation') : t('tickets.team.none')}</option>
              {draft.conversationId && <option value="none">{t('tickets.team.none')}</option>}
              {teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <SaveBar dirty={dirty} saving={saving} existing={false} saveLabel={t('tickets.create')} saveTestId="ticket-create" />
      </form>
    </div>
  );
}
