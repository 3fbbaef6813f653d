import type { Conversation } from '@kefu/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatFull, formatRelative } from '../lib/format';
import { ACTION_TARGET, isActionAllowed, STATUS_ACTIONS, type StatusAction } from '../lib/status-actions';
import { useRealtime, useTypingConversations } from '../state/realtime';
import { useSignedIn } from '../state/session';
import { useConversation } from '../state/use-conversation';
import { Avatar } from './Avatar';
import { LanguageBadge, StatusBadge } from './Badges';
import { Composer } from './Composer';
import { ErrorNotice } from './ErrorNotice';
import { MessageList } from './MessageList';
import { MoodTrend } from './MoodTrend';

interface Props {
  id: string;
  onBack(): void;
  onSeen(id: string, lastMessageAt: string | null): void;
  now: number;
}

export function ConversationPane({ id, onBack, onSeen, now }: Props) {
  const { t, has, locale } = useI18n();
  const { session } = useSignedIn();
  const realtime = useRealtime();
  const typingIds = useTypingConversations();
  const conv = useConversation(id);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<StatusAction | null>(null);
  const [announce, setAnnounce] = useState('');
  const member = session.member;
  const role = member?.role ?? 'viewer';
  const c = conv.conversation;
  const lastMessageAt = c?.lastMessageAt ?? null;

  useEffect(() => {
    if (conv.conversation) onSeen(id, lastMessageAt);
  }, [id, lastMessageAt, onSeen, conv.conversation]);

  const runAction = useCallback(
    async (action: StatusAction) => {
      setBusy(action);
      setActionError(null);
      try {
        const updated = await conv.changeStatus(ACTION_TARGET[action]);
        setAnnounce(t('action.done', { status: t(`status.${updated.status}`) }));
      } catch (err) {
        setActionError(err);
      } finally {
        setBusy(null);
      }
    },
    [conv.changeStatus, t],
  );

  const onTyping = useCallback((on: boolean) => realtime.send({ type: 'typing', conversationId: id, on }), [realtime, id]);

  if (!c) {
    return (
      <section className="conv-pane conv-pane-empty" id="conversation" aria-busy={conv.loading}>
        <button type="button" className="btn btn-ghost conv-back" onClick={onBack}>
          {t('view.back')}
        </button>
        {conv.error ? <ErrorNotice error={conv.error} /> : <p className="muted">{t('view.loading')}</p>}
      </section>
    );
  }

  const contactName = c.contact.name ?? t('list.visitor', { id: c.contact.id.slice(-6) });
  const mine = member !== null && c.assignee?.id === member.id;
  const ownedByOther = c.status === 'assigned' && c.assignee !== null && !mine;
  const canAct = role !== 'viewer';
  const mayTakeOverOthers = role === 'admin' || role === 'owner';
  const canReply = canAct && c.status !== 'closed' && (!ownedByOther || mayTakeOverOthers);
  const hint = composerHint(c, { canAct, ownedByOther, mayTakeOverOthers, mine }, t);
  const handoffKey = c.handoffReason ? `handoff.${c.handoffReason}` : '';

  return (
    <section className="conv-pane" id="conversation" aria-labelledby="conv-title" data-status={c.status}>
      <header className="conv-head">
        <button type="button" className="btn-icon conv-back" onClick={onBack} aria-label={t('view.back')} title={t('view.back')}>
          <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
            <path d="M12.5 4.5 7 10l5.5 5.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
        <Avatar id={c.contact.id} name={contactName} size={40} />
        <div className="conv-head-main">
          <h2 id="conv-title" className="conv-title">
            {contactName}
          </h2>
          <div className="conv-badges">
            <span data-testid="conversation-status">
              <StatusBadge status={c.status} />
            </span>
            <LanguageBadge language={c.language} />
            <span className="badge badge-muted">{t(`channel.${c.channel}`)}</span>
            <span className={`conv-owner${mine ? ' is-mine' : ''}`}>
              {c.assignee ? (mine ? t('view.assignedToYou') : t('view.assignedTo', { name: c.assignee.name })) : t('view.unassigned')}
            </span>
            {c.handoffReason && (c.status === 'queued' || c.status === 'assigned') && (
              <span className="conv-handoff">
                <svg viewBox="0 0 12 12" width="11" height="11" aria-hidden="true">
                  <path d="M3 11V1.5M3 2h6l-1.5 2.25L9 6.5H3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
                </svg>
                {t('view.handoffReason', { reason: has(handoffKey) ? t(handoffKey) : c.handoffReason })}
              </span>
            )}
            <MoodTrend messages={conv.messages} />
            <time className="conv-started" dateTime={c.createdAt} title={formatFull(c.createdAt, locale)}>
              {t('view.started', { time: formatRelative(c.createdAt, locale, now) })}
            </time>
          </div>
        </div>
        {canAct && (
          <fieldset className="conv-actions">
            <legend className="sr-only">{t('view.actions')}</legend>
            {STATUS_ACTIONS.map((a) => {
              const allowed = isActionAllowed(c.status, a);
              return (
                <button
                  key={a}
                  type="button"
                  className={`btn btn-small action-${a}${a === 'takeOver' ? ' btn-primary' : ''}`}
                  disabled={!allowed || busy !== null}
                  aria-busy={busy === a}
                  title={allowed ? undefined : t('action.notAllowed', { status: t(`status.${c.status}`) })}
                  onClick={() => void runAction(a)}
                  data-action={a}
                >
                  {t(`action.${a}`)}
                </button>
              );
            })}
          </fieldset>
        )}
      </header>
      <div className="sr-only" role="status" aria-live="polite">
        {announce}
      </div>
      {actionError ? <ErrorNotice error={actionError} onDismiss={() => setActionError(null)} /> : null}
      {conv.error && conv.messages.length > 0 ? <ErrorNotice error={conv.error} compact /> : null}
      {conv.loading && conv.messages.length === 0 ? (
        <p className="muted conv-loading">{t('view.loading')}</p>
      ) : conv.messages.length === 0 && conv.pending.length === 0 ? (
        <p className="muted conv-loading">{t('view.empty')}</p>
      ) : null}
      <MessageList
        messages={conv.messages}
        pending={conv.pending}
        streaming={conv.streaming}
        memberId={member?.id ?? null}
        contactName={contactName}
        typing={typingIds.has(c.id)}
        onRetry={(cid) => void conv.retry(cid)}
        onDiscard={conv.discard}
      />
      {canAct ? (
        <Composer key={c.id} hint={hint} canReply={canReply} canNote={canAct} onSend={(text, kind) => void conv.send(text, kind)} onTyping={onTyping} />
      ) : (
        <p className="composer-readonly">{t('composer.readOnly')}</p>
      )}
    </section>
  );
}

function composerHint(
  c: Conversation,
  f: { canAct: boolean; ownedByOther: boolean; mayTakeOverOthers: boolean; mine: boolean },
  t: ReturnType<typeof useI18n>['t'],
): string | null {
  if (!f.canAct) return null;
  if (c.status === 'closed') return t('composer.closedHint');
  if (f.ownedByOther) return f.mayTakeOverOthers ? t('composer.otherOwnerHint', { name: c.assignee?.name ?? '' }) : t('error.CONVERSATION_ASSIGNED_TO_OTHER');
  if (!f.mine) return t('composer.takeoverHint');
  return null;
}
