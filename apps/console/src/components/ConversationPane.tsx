import type { Conversation, HandoffBody, SnoozeBody, TransferBody } from '@kefu/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatFull, formatRelative } from '../lib/format';
import { readableCode } from '../lib/handoff';
import { type Holder, holderOf, ownershipOf } from '../lib/ownership';
import { isSnoozed } from '../lib/snooze';
import { ACTION_TARGET, isActionAllowed, type StatusAction } from '../lib/status-actions';
import { useRealtime, useTypingConversations } from '../state/realtime';
import { useSignedIn } from '../state/session';
import { useConversation } from '../state/use-conversation';
import { useShortcuts } from '../state/use-shortcuts';
import { useSuggestions } from '../state/use-suggestions';
import { type AssistHandle, AssistPanel } from './AssistPanel';
import { Avatar } from './Avatar';
import { LanguageBadge, StatusBadge } from './Badges';
import { Composer, type ComposerHandle } from './Composer';
import { ConversationRating } from './ConversationRating';
import { CreateTicketButton } from './CreateTicketButton';
import { ErrorNotice } from './ErrorNotice';
import { HandoffCard } from './HandoffCard';
import { HandoffForm } from './HandoffForm';
import { MessageList } from './MessageList';
import { MoodTrend } from './MoodTrend';
import { SlaBadge } from './SlaBadge';
import { SnoozeMenu } from './SnoozeMenu';
import { TransferForm } from './TransferForm';

interface Props {
  id: string;
  onBack(): void;
  onSeen(id: string, lastMessageAt: string | null): void;
  now: number;
}

/** The status menu after the ownership buttons; claim (takeOver) and hand back go through their own calls. */
const MENU_ACTIONS: readonly StatusAction[] = ['queue', 'resolve', 'close'];
type Busy = StatusAction | 'handoff' | 'wake' | null;
type Popover = 'handoff' | 'transfer' | 'snooze' | null;

export function ConversationPane({ id, onBack, onSeen, now }: Props) {
  const { t, has, locale } = useI18n();
  const { session } = useSignedIn();
  const realtime = useRealtime();
  const typingIds = useTypingConversations();
  const conv = useConversation(id);
  const [actionError, setActionError] = useState<unknown>(null);
  /** The colleague the server named when a claim was refused (fresher than the view), and the view's version then. */
  const [refusal, setRefusal] = useState<{ holder: Holder; seen: string | null } | null>(null);
  const refusedBy = refusal?.holder ?? null;
  const [busy, setBusy] = useState<Busy>(null);
  const [announce, setAnnounce] = useState('');
  const [popover, setPopover] = useState<Popover>(null);
  const handoffOpen = popover === 'handoff';
  const setHandoffOpen = (open: boolean | ((o: boolean) => boolean)) =>
    setPopover((p) => ((typeof open === 'function' ? open(p === 'handoff') : open) ? 'handoff' : null));
  const composer = useRef<ComposerHandle>(null);
  const assist = useRef<AssistHandle>(null);
  const member = session.member;
  const role = member?.role ?? 'viewer';
  const canAct = role !== 'viewer';
  const c = conv.conversation;
  const lastMessageAt = c?.lastMessageAt ?? null;
  const withPeople = c?.status === 'queued' || c?.status === 'assigned';
  const lastCustomerMessage = useMemo(() => conv.messages.findLast((m) => m.author.type === 'contact') ?? null, [conv.messages]);
  const lastCustomerMessageId = lastCustomerMessage?.id ?? null;
  const lastCustomerText = lastCustomerMessage?.text.slice(0, 80) ?? null;
  const suggestions = useSuggestions(id, lastCustomerMessageId, canAct && withPeople);
  const own = c ? ownershipOf(c, member) : null;

  useEffect(() => {
    if (conv.conversation) onSeen(id, lastMessageAt);
  }, [id, lastMessageAt, onSeen, conv.conversation]);

  // Once the conversation changes hands (it is ours, back with the bot…), the refusal no longer
  // describes anything; until the view catches up with the server, it does.
  const holderId = own?.holder?.id ?? null;
  const version = c?.updatedAt ?? null;
  useEffect(() => {
    if (refusal && version !== refusal.seen && holderId !== refusal.holder.id) setRefusal(null);
  }, [holderId, version, refusal]);

  const versionRef = useRef(version);
  versionRef.current = version;

  const run = useCallback(
    async (name: Exclude<Busy, null>, call: () => Promise<Conversation>, done: (c: Conversation) => string) => {
      setBusy(name);
      setActionError(null);
      try {
        const updated = await call();
        setRefusal(null);
        setAnnounce(done(updated));
      } catch (err) {
        const holder = holderOf(err);
        if (holder) {
          // A colleague got there first: say who, and show the conversation as it is now.
          setRefusal({ holder, seen: versionRef.current });
          void conv.reload();
        } else setActionError(err);
      } finally {
        setBusy(null);
      }
    },
    [conv.reload],
  );

  const statusDone = useCallback((u: Conversation) => t('action.done', { status: t(`status.${u.status}`) }), [t]);
  const claim = useCallback(() => run('takeOver', conv.claim, () => t('action.claimed')), [run, conv.claim, t]);
  const handBack = useCallback(
    () => run('handBack', own?.release === 'release' ? conv.release : () => conv.changeStatus('bot'), (u) => `${t('action.released')}. ${statusDone(u)}`),
    [run, own?.release, conv.release, conv.changeStatus, statusDone, t],
  );
  const setStatus = useCallback((a: StatusAction) => run(a, () => conv.changeStatus(ACTION_TARGET[a]), statusDone), [run, conv.changeStatus, statusDone]);
  const handoff = useCallback(
    async (body: HandoffBody) => {
      setActionError(null);
      const updated = await conv.handoff(body);
      setAnnounce(`${t('action.handedOff')}. ${statusDone(updated)}`);
      return updated;
    },
    [conv.handoff, statusDone, t],
  );

  const transfer = useCallback(
    async (body: TransferBody) => {
      setActionError(null);
      const updated = await conv.transfer(body);
      setAnnounce(t('transfer.done', { name: updated.assignee?.name ?? updated.team?.name ?? '' }));
      return updated;
    },
    [conv.transfer, t],
  );
  const snooze = useCallback(
    async (body: SnoozeBody) => {
      setActionError(null);
      const updated = await conv.snooze(body);
      setAnnounce(t('snooze.done', { time: formatFull(updated.snoozedUntil ?? '', locale) }));
      return updated;
    },
    [conv.snooze, t, locale],
  );
  const wake = useCallback(() => run('wake', conv.unsnooze, () => t('snooze.woken')), [run, conv.unsnooze, t]);

  useShortcuts((action) => {
    if (!c || !own) return false;
    switch (action) {
      case 'claim':
        if (!canAct || !own.claim.enabled || busy) return false;
        void claim();
        return true;
      case 'resolve':
        if (!canAct || !isActionAllowed(c.status, 'resolve') || busy) return false;
        void setStatus('resolve');
        return true;
      case 'transfer':
        if (!canAct || (c.status !== 'queued' && c.status !== 'assigned') || busy) return false;
        setPopover('transfer');
        return true;
      case 'snooze':
        if (!canAct || c.status !== 'assigned' || !(own.mine || own.supervisor) || busy) return false;
        setPopover('snooze');
        return true;
      case 'reply':
        if (!canAct) return false;
        composer.current?.focus();
        return true;
      case 'search':
        if (!canAct) return false;
        assist.current?.focusSearch();
        return true;
      default:
        return false;
    }
  });

  const onTyping = useCallback((on: boolean) => realtime.send({ type: 'typing', conversationId: id, on }), [realtime, id]);
  const insert = useCallback((text: string) => composer.current?.insert(text), []);

  if (!c || !own) {
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
  const { mine, supervisor } = own;
  const holder = own.holder ?? refusedBy;
  const ownedByOther = c.status === 'assigned' && c.assignee !== null && !mine;
  const canReply = canAct && c.status !== 'closed' && (!ownedByOther || supervisor);
  const hint = composerHint(c, { canAct, ownedByOther, mayTakeOverOthers: supervisor, mine }, t);
  const handoffKey = c.handoffReason ? `handoff.${c.handoffReason}` : '';
  const snoozed = isSnoozed(c, now);
  const mayMove = mine || supervisor || c.status === 'queued';
  const claimLabel = own.claim.label === 'takeOverFrom' ? t('action.takeOverFrom', { name: own.holder?.name ?? '' }) : t(`action.${own.claim.label}`);

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
            {c.priority !== 'normal' && <span className={`badge badge-priority priority-${c.priority}`}>{t(`priority.${c.priority}`)}</span>}
            {c.team && (
              <span className="badge badge-team" data-testid="conversation-team" title={t('view.team')}>
                {c.team.name}
              </span>
            )}
            <SlaBadge sla={c.sla} />
            <LanguageBadge language={c.language} />
            <span className="badge badge-muted">{t(`channel.${c.channel}`)}</span>
            <span className={`conv-owner${mine ? ' is-mine' : ''}`} data-testid="conversation-owner">
              {c.assignee ? (mine ? t('view.assignedToYou') : t('view.assignedTo', { name: c.assignee.name })) : t('view.unassigned')}
            </span>
            {/* The card says why in full; the badge stays for hand-offs from before it existed. */}
            {c.handoffReason && withPeople && !c.handoff && (
              <span className="conv-handoff">
                <svg viewBox="0 0 12 12" width="11" height="11" aria-hidden="true">
                  <path d="M3 11V1.5M3 2h6l-1.5 2.25L9 6.5H3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
                </svg>
                {t('view.handoffReason', { reason: has(handoffKey) ? t(handoffKey) : readableCode(c.handoffReason) })}
              </span>
            )}
            <MoodTrend messages={conv.messages} />
            <time className="conv-started" dateTime={c.createdAt} title={formatFull(c.createdAt, locale)}>
              {t('view.started', { time: formatRelative(c.createdAt, locale, now) })}
            </time>
          </div>
          <ConversationRating rating={c.rating} />
        </div>
        {canAct && (
          <div className="conv-actions-wrap">
            <fieldset className="conv-actions">
              <legend className="sr-only">{t('view.actions')}</legend>
              <button
                type="button"
                className={`btn btn-small action-takeOver${own.claim.enabled ? ' btn-primary' : ''}`}
                disabled={!own.claim.enabled || busy !== null}
                aria-busy={busy === 'takeOver'}
                aria-keyshortcuts="c"
                title={mine ? t('view.assignedToYou') : own.claim.enabled ? `${claimLabel} (c)` : t('action.notAllowed', { status: t(`status.${c.status}`) })}
                onClick={() => void claim()}
                data-action="takeOver"
              >
                {claimLabel}
              </button>
              {own.handoff && (
                <button
                  type="button"
                  className="btn btn-small action-handoff"
                  aria-expanded={handoffOpen}
                  disabled={busy !== null}
                  onClick={() => setHandoffOpen((o) => !o)}
                  data-action="handoff"
                >
                  {t('action.handoff')}
                </button>
              )}
              {withPeople && (
                <button
                  type="button"
                  className="btn btn-small action-transfer"
                  aria-expanded={popover === 'transfer'}
                  disabled={busy !== null || !mayMove}
                  title={mayMove ? undefined : t('error.CONVERSATION_ASSIGNED_TO_OTHER')}
                  aria-keyshortcuts="t"
                  onClick={() => setPopover((p) => (p === 'transfer' ? null : 'transfer'))}
                  data-action="transfer"
                >
                  {t('action.transfer')}
                </button>
              )}
              {c.status === 'assigned' && (mine || supervisor) && !snoozed && (
                <button
                  type="button"
                  className="btn btn-small action-snooze"
                  aria-expanded={popover === 'snooze'}
                  disabled={busy !== null}
                  aria-keyshortcuts="z"
                  onClick={() => setPopover((p) => (p === 'snooze' ? null : 'snooze'))}
                  data-action="snooze"
                >
                  {t('action.snooze')}
                </button>
              )}
              <CreateTicketButton conversationId={c.id} defaultSubject={lastCustomerText} />
              <ActionButton action="handBack" allowed={isActionAllowed(c.status, 'handBack')} busy={busy} status={c.status} onClick={() => void handBack()} />
              {MENU_ACTIONS.map((a) => (
                <ActionButton key={a} action={a} allowed={isActionAllowed(c.status, a)} busy={busy} status={c.status} onClick={() => void setStatus(a)} />
              ))}
            </fieldset>
            {handoffOpen && own.handoff && <HandoffForm priority={c.priority} onSubmit={handoff} onClose={() => setHandoffOpen(false)} />}
            {popover === 'transfer' && withPeople && <TransferForm conversation={c} onSubmit={transfer} onClose={() => setPopover(null)} />}
            {popover === 'snooze' && <SnoozeMenu onSubmit={snooze} onClose={() => setPopover(null)} />}
          </div>
        )}
      </header>
      <div className="sr-only" role="status" aria-live="polite">
        {announce}
      </div>
      {holder && canAct && (
        <div className={`notice ${refusedBy ? 'notice-warn' : 'notice-info'} holder-notice`} role={refusedBy ? 'alert' : undefined} data-testid="holder-notice">
          <div className="notice-body">
            <strong className="notice-message">{t('owner.holder', { name: holder.name })}</strong>
            <span className="notice-detail">{supervisor ? t('owner.holderSupervisorHint') : t('owner.holderHint')}</span>
          </div>
          {supervisor && (
            <button type="button" className="btn btn-small btn-primary" disabled={busy !== null} onClick={() => void claim()} data-action="takeOverFromHolder">
              {t('action.takeOver')}
            </button>
          )}
        </div>
      )}
      {conv.removed && (
        <div className="notice notice-info" role="status" data-testid="removed-notice">
          <div className="notice-body">
            <strong className="notice-message">{t('view.removed')}</strong>
          </div>
        </div>
      )}
      {snoozed && c.snoozedUntil && (
        <div className="notice notice-info snooze-notice" data-testid="snooze-notice">
          <div className="notice-body">
            <strong className="notice-message">{t('snooze.until', { time: formatFull(c.snoozedUntil, locale) })}</strong>
            <span className="notice-detail">{t('snooze.untilHint')}</span>
          </div>
          {canAct && (mine || supervisor) && (
            <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void wake()} data-action="wake">
              {t('action.unsnooze')}
            </button>
          )}
        </div>
      )}
      {actionError ? <ErrorNotice error={actionError} onDismiss={() => setActionError(null)} /> : null}
      {conv.error && conv.messages.length > 0 ? <ErrorNotice error={conv.error} compact /> : null}
      <div className={`conv-body${canAct ? ' has-assist' : ''}`}>
        {c.handoff && (
          <div className="conv-card">
            <HandoffCard conversation={c} />
          </div>
        )}
        <div className="conv-thread">
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
        </div>
        {canAct ? (
          <>
            <div className="conv-composer">
              <Composer
                key={c.id}
                ref={composer}
                conversationId={c.id}
                hint={hint}
                canReply={canReply}
                canNote={canAct}
                onSend={(text, kind) => void conv.send(text, kind)}
                onTyping={onTyping}
                onAttachmentSent={conv.received}
              />
            </div>
            <AssistPanel ref={assist} suggestions={suggestions} onInsert={insert} />
          </>
        ) : (
          <p className="composer-readonly conv-composer">{t('composer.readOnly')}</p>
        )}
      </div>
    </section>
  );
}

function ActionButton({
  action,
  allowed,
  busy,
  status,
  onClick,
}: {
  action: StatusAction;
  allowed: boolean;
  busy: Busy;
  status: Conversation['status'];
  onClick(): void;
}) {
  const { t } = useI18n();
  const key = action === 'resolve' ? 'e' : undefined;
  return (
    <button
      type="button"
      className={`btn btn-small action-${action}`}
      disabled={!allowed || busy !== null}
      aria-busy={busy === action}
      aria-keyshortcuts={key}
      title={allowed ? (key ? `${t(`action.${action}`)} (${key})` : undefined) : t('action.notAllowed', { status: t(`status.${status}`) })}
      onClick={onClick}
      data-action={action}
    >
      {t(`action.${action}`)}
    </button>
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
