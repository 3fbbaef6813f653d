import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { type Ticket, ticketsApi } from '../api/tickets';
import { useI18n } from '../i18n/i18n';
import { MAX_TICKET_SUBJECT_CHARS, MAX_TICKET_TEXT_CHARS, subjectFromText, TICKET_PRIORITIES } from '../lib/ticket-form';
import { followLink, ticketsHref } from '../state/route';
import { useSignedIn } from '../state/session';
import { ErrorNotice } from './ErrorNotice';
import { PopoverForm } from './PopoverForm';

/**
 * "Create ticket" for a conversation's header: a compact form (subject, priority, description) that
 * opens a ticket linked to the conversation. The customer is told in the conversation, and the
 * ticket takes its team; afterwards a notice links to the new ticket.
 */
export function CreateTicketButton({ conversationId, defaultSubject = '' }: { conversationId: string; defaultSubject?: string | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Ticket | null>(null);

  // Another conversation opened in the same header: start over.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the conversation is what resets it
  useEffect(() => {
    setOpen(false);
    setCreated(null);
  }, [conversationId]);

  return (
    <span className="ticket-create">
      <button
        type="button"
        className="btn btn-small action-ticket"
        aria-expanded={open}
        onClick={() => {
          setCreated(null);
          setOpen((o) => !o);
        }}
        data-action="createTicket"
      >
        {t('tickets.createFromConversation')}
      </button>
      {open && (
        <CreateTicketForm
          conversationId={conversationId}
          defaultSubject={subjectFromText(defaultSubject)}
          onClose={() => setOpen(false)}
          onCreated={(ticket) => {
            setOpen(false);
            setCreated(ticket);
          }}
        />
      )}
      {created && (
        <span className="ticket-create-done" role="status" data-testid="ticket-created">
          <a href={ticketsHref({ ticketId: created.id })} onClick={followLink}>
            {t('tickets.created', { number: created.number })}
          </a>
          <button type="button" className="btn-icon" onClick={() => setCreated(null)} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
            ×
          </button>
        </span>
      )}
    </span>
  );
}

function CreateTicketForm(props: { conversationId: string; defaultSubject: string; onClose(): void; onCreated(t: Ticket): void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const id = useId();
  const [subject, setSubject] = useState(props.defaultSubject);
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<Ticket['priority'] | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    first.current?.select();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = subject.trim();
    if (!s) {
      setMissing(true);
      first.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const ticket = await ticketsApi.create(api, {
        subject: s,
        conversationId: props.conversationId,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(priority ? { priority } : {}),
      });
      props.onCreated(ticket);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <PopoverForm
      className="ticket-create-form"
      id={id}
      title={t('tickets.createFromConversation')}
      onSubmit={(e) => void submit(e)}
      onClose={props.onClose}
      testId="ticket-create-form"
    >
      <p className="muted small">{t('tickets.createHint')}</p>
      <label className="popover-field" htmlFor={`${id}-subject`}>
        <span>{t('tickets.field.subject')}</span>
        <input
          ref={first}
          id={`${id}-subject`}
          className="kb-input"
          value={subject}
          maxLength={MAX_TICKET_SUBJECT_CHARS}
          aria-invalid={missing && !subject.trim() ? true : undefined}
          aria-describedby={missing && !subject.trim() ? `${id}-missing` : undefined}
          onChange={(e) => setSubject(e.target.value)}
          data-testid="ticket-create-subject"
        />
        {missing && !subject.trim() && (
          <span id={`${id}-missing`} className="field-error">
            {t('tickets.problem.subject.required')}
          </span>
        )}
      </label>
      <label className="popover-field" htmlFor={`${id}-priority`}>
        <span>{t('tickets.field.priority')}</span>
        <select id={`${id}-priority`} className="kb-input" value={priority} onChange={(e) => setPriority(e.target.value as Ticket['priority'] | '')}>
          <option value="">{t('tickets.priorityFromConversation')}</option>
          {TICKET_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="popover-field" htmlFor={`${id}-description`}>
        <span>{t('tickets.field.description')}</span>
        <textarea
          id={`${id}-description`}
          className="kb-input"
          rows={3}
          value={description}
          maxLength={MAX_TICKET_TEXT_CHARS}
          placeholder={t('tickets.field.descriptionPlaceholder')}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      {error ? <ErrorNotice error={error} compact /> : null}
      <div className="popover-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={props.onClose}>
          {t('kb.cancel')}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} aria-busy={busy} data-testid="ticket-create-submit">
          {t('tickets.create')}
        </button>
      </div>
    </PopoverForm>
  );
}
