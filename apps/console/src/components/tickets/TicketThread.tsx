import type { TicketComment } from '@kefu/protocol';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { type Ticket, ticketsApi } from '../../api/tickets';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { MAX_TICKET_TEXT_CHARS, statusChangeOf } from '../../lib/ticket-form';
import { useSignedIn } from '../../state/session';
import { ErrorNotice } from '../ErrorNotice';
import { Switch } from '../Switch';

/**
 * The ticket's comments, oldest first: internal notes, replies the customer received in their
 * conversation, and the status changes. The composer under them adds one; "visible to the customer"
 * sends it into the linked conversation too.
 */
export function TicketThread(props: { ticket: Ticket; readOnly: boolean; onChanged(): void; onClosed(): void }) {
  const { ticket, readOnly } = props;
  const { t } = useI18n();
  const comments = ticket.comments ?? [];
  return (
    <section className="kb-card ticket-thread" aria-labelledby="ticket-thread-title">
      <h2 id="ticket-thread-title" className="kb-card-title">
        {t('tickets.comments')} <span className="muted">{comments.filter((c) => c.author.type !== 'system').length}</span>
      </h2>
      {comments.length === 0 ? (
        <p className="muted small">{t('tickets.noComments')}</p>
      ) : (
        <ol className="ticket-comments" data-testid="ticket-comments">
          {comments.map((c) => (
            <CommentItem key={c.id} comment={c} />
          ))}
        </ol>
      )}
      {!readOnly && <CommentComposer ticket={ticket} onPosted={props.onChanged} onClosed={props.onClosed} />}
    </section>
  );
}

function CommentItem({ comment: c }: { comment: TicketComment }) {
  const { t, locale } = useI18n();
  const when = (
    <time dateTime={c.createdAt} title={formatFull(c.createdAt, locale)}>
      {formatRelative(c.createdAt, locale)}
    </time>
  );
  if (c.author.type === 'system') {
    const change = statusChangeOf(c.body);
    return (
      <li className="ticket-comment is-system" data-comment-type="system">
        <span>{change ? t('tickets.statusChanged', { from: t(`tickets.status.${change.from}`), to: t(`tickets.status.${change.to}`) }) : c.body}</span>
        <span className="muted small">{when}</span>
      </li>
    );
  }
  const author = c.author.name ?? (c.author.type === 'contact' ? t('tickets.customer') : t('tickets.someone'));
  return (
    <li className={`ticket-comment${c.public ? ' is-public' : ' is-internal'}`} data-comment-type={c.public ? 'public' : 'internal'}>
      <div className="ticket-comment-head">
        <strong>{author}</strong>
        <span className={`badge ${c.public ? 'ticket-public-badge' : 'badge-muted'}`}>
          {c.public ? t('tickets.comment.public') : t('tickets.comment.internal')}
        </span>
        <span className="muted small">{when}</span>
      </div>
      <p className="ticket-comment-body">{c.body}</p>
    </li>
  );
}

function CommentComposer({ ticket, onPosted, onClosed }: { ticket: Ticket; onPosted(): void; onClosed(): void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const id = useId();
  const [body, setBody] = useState('');
  const [isPublic, setPublic] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [empty, setEmpty] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text) {
      setEmpty(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await ticketsApi.comment(api, ticket.id, { body: text, public: isPublic });
      setBody('');
      setPublic(false);
      setEmpty(false);
      onPosted();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'TICKET_CLOSED') onClosed();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={`ticket-composer${isPublic ? ' is-public' : ''}`} onSubmit={(e) => void submit(e)} aria-busy={busy} data-testid="ticket-composer">
      <label htmlFor={`${id}-body`} className="sr-only">
        {t('tickets.comment.label')}
      </label>
      <textarea
        id={`${id}-body`}
        className="kb-input"
        rows={3}
        value={body}
        maxLength={MAX_TICKET_TEXT_CHARS}
        placeholder={isPublic ? t('tickets.comment.publicPlaceholder') : t('tickets.comment.placeholder')}
        aria-invalid={(empty && !body.trim()) || undefined}
        aria-describedby={empty && !body.trim() ? `${id}-empty` : undefined}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) void submit(e);
        }}
        data-testid="ticket-comment-body"
      />
      {empty && !body.trim() && (
        <span id={`${id}-empty`} className="field-error">
          {t('tickets.comment.empty')}
        </span>
      )}
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
      <div className="ticket-composer-actions">
        <Switch
          checked={isPublic}
          onChange={setPublic}
          label={t('tickets.comment.visible')}
          hint={ticket.conversationId ? t('tickets.comment.visibleHint') : t('tickets.comment.visibleNoConversation')}
          testId="ticket-comment-public"
        />
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy} data-testid="ticket-comment-send">
          {isPublic ? t('tickets.comment.sendPublic') : t('tickets.comment.send')}
        </button>
      </div>
    </form>
  );
}
