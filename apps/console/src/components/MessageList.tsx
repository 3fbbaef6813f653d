import type { Message } from '@kefu/protocol';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import { scrollBehavior } from '../lib/motion';
import type { StreamingAnswer } from '../lib/streaming-answers';
import type { PendingMessage } from '../state/use-conversation';
import { MessageItem, PendingItem, StreamingItem } from './MessageItem';

interface Props {
  messages: readonly Message[];
  pending: readonly PendingMessage[];
  streaming?: readonly StreamingAnswer[];
  memberId: string | null;
  contactName: string;
  typing: boolean;
  onRetry(id: string): void;
  onDiscard(id: string): void;
}

const NEAR_BOTTOM_PX = 140;

/**
 * The conversation as a live log (screen readers announce new messages). It follows new messages
 * while the agent is at the bottom, and offers a jump button instead of yanking them when they are
 * reading further up.
 */
export function MessageList({ messages, pending, streaming = [], memberId, contactName, typing, onRetry, onDiscard }: Props) {
  const t = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const count = messages.length + pending.length + streaming.length;
  const lastCount = useRef(0);

  const scrollToBottom = useCallback((smooth: boolean) => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? scrollBehavior() : 'auto' });
    setUnseen(0);
  }, []);
  const sending = pending.length > 0;

  useLayoutEffect(() => {
    const added = count - lastCount.current;
    const first = lastCount.current === 0;
    lastCount.current = count;
    if (added <= 0) return;
    // The agent's own send always follows; others only while the agent is at the bottom.
    if (first || atBottom.current || sending) scrollToBottom(!first);
    else setUnseen((n) => n + added);
  }, [count, sending, scrollToBottom]);

  useEffect(() => {
    if (typing && atBottom.current) scrollToBottom(true);
  }, [typing, scrollToBottom]);

  return (
    <div
      className="msg-scroller"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
        if (atBottom.current && unseen) setUnseen(0);
      }}
    >
      <ol className="msgs" role="log" aria-live="polite" aria-relevant="additions" aria-label={t('view.messagesLabel')} data-testid="messages">
        {messages.map((m) => (
          <MessageItem key={m.id} message={m} memberId={memberId} contactName={contactName} />
        ))}
        {streaming.map((a) => (
          <StreamingItem key={a.answerId} answer={a} />
        ))}
        {pending.map((p) => (
          <PendingItem key={p.clientMessageId} p={p} onRetry={onRetry} onDiscard={onDiscard} />
        ))}
      </ol>
      {typing && (
        <div className="typing" role="status">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t('view.typing')}
        </div>
      )}
      {unseen > 0 && (
        <button type="button" className="jump-latest" onClick={() => scrollToBottom(true)}>
          {t('view.newMessages', { count: unseen })}
          <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
            <path d="M6 2v8M2.5 6.5 6 10l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
      )}
    </div>
  );
}
