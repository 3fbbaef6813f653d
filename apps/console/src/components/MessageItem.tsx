import type { Message } from '@kefu/protocol';
import { memo } from 'react';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/error-text';
import { formatFull, formatTimestamp } from '../lib/format';
import type { StreamingAnswer } from '../lib/streaming-answers';
import type { PendingMessage } from '../state/use-conversation';
import { LanguageBadge } from './Badges';
import { MessageParts } from './MessageParts';
import { NoteText } from './NoteText';
import { TraceView } from './TraceView';

interface Props {
  message: Message;
  memberId: string | null;
  contactName: string;
}

export const MessageItem = memo(function MessageItem({ message: m, memberId, contactName }: Props) {
  const { t, locale } = useI18n();
  const type = m.author.type;
  const mine = (type === 'agent' || type === 'note') && memberId !== null && m.author.id === memberId;
  const name =
    type === 'contact'
      ? contactName
      : type === 'bot'
        ? t('author.bot')
        : type === 'system'
          ? t('author.system')
          : mine
            ? t('author.you')
            : (m.author.name ?? t('author.agent'));
  const trace = type === 'bot' ? m.metadata.trace : undefined;
  const language = m.metadata.language;

  if (type === 'system') {
    return (
      <li className="msg msg-system" data-message-id={m.id}>
        <span>{m.text}</span>
        <time dateTime={m.createdAt}>{formatTimestamp(m.createdAt, locale)}</time>
      </li>
    );
  }

  return (
    <li className={`msg msg-${type}${mine ? ' is-mine' : ''}`} data-message-id={m.id} data-author={type}>
      <div className="msg-meta">
        <span className="msg-author">{name}</span>
        {type === 'note' && <span className="msg-kind msg-kind-note">{t('author.note')}</span>}
        {type === 'agent' && <span className="msg-kind">{t('author.agent')}</span>}
        {m.metadata.kind === 'greeting' && <span className="msg-kind">{t('message.greeting')}</span>}
        {language && (type === 'contact' || type === 'bot') && <LanguageBadge language={language} compact />}
        <time dateTime={m.createdAt} title={formatFull(m.createdAt, locale)}>
          {formatTimestamp(m.createdAt, locale)}
        </time>
      </div>
      <div className="msg-bubble">
        {type === 'note' && (
          <svg className="msg-note-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
            <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.4" />
          </svg>
        )}
        {type === 'note' && m.mentions?.length ? <NoteText text={m.text} mentions={m.mentions} /> : m.text ? <p className="msg-text">{m.text}</p> : null}
        <MessageParts parts={m.parts} />
      </div>
      {trace && <TraceView trace={trace} />}
    </li>
  );
});

export function PendingItem({ p, onRetry, onDiscard }: { p: PendingMessage; onRetry(id: string): void; onDiscard(id: string): void }) {
  const { t, has } = useI18n();
  const type = p.kind === 'note' ? 'note' : 'agent';
  const err = p.state === 'failed' ? errorText(p.error, t, has) : null;
  return (
    <li className={`msg msg-${type} is-mine is-pending${err ? ' is-failed' : ''}`} data-client-message-id={p.clientMessageId}>
      <div className="msg-meta">
        <span className="msg-author">{t('author.you')}</span>
        {type === 'note' && <span className="msg-kind msg-kind-note">{t('author.note')}</span>}
        <span className="msg-state">{err ? t('message.failed') : t('message.sending')}</span>
      </div>
      <div className="msg-bubble">
        <p className="msg-text">{p.text}</p>
      </div>
      {err && (
        <div className="msg-error" role="alert">
          <span>
            {err.message}
            {err.detail && <span className="muted"> {err.detail}</span>}
          </span>
          <span className="msg-error-actions">
            <button type="button" className="btn btn-small" onClick={() => onRetry(p.clientMessageId)}>
              {t('message.retry')}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => onDiscard(p.clientMessageId)}>
              {t('message.discard')}
            </button>
          </span>
        </div>
      )}
    </li>
  );
}

/** An answer the bot is writing (language model): grows as it streams, busy for screen readers until done. */
export function StreamingItem({ answer }: { answer: StreamingAnswer }) {
  const { t } = useI18n();
  return (
    <li className="msg msg-bot is-streaming" data-answer-id={answer.answerId} aria-busy={answer.status === 'writing'}>
      <div className="msg-meta">
        <span className="msg-author">{t('author.bot')}</span>
        <span className="msg-state">{answer.status === 'replaced' ? t('message.answerReplaced') : t('message.writing')}</span>
      </div>
      <div className="msg-bubble">
        <p className="msg-text">{answer.text}</p>
      </div>
    </li>
  );
}
