import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatFull, formatTimestamp } from '../lib/format';
import { hrefFor, navigateTo, useRoute } from '../state/route';
import { useMentions } from '../state/use-mentions';

/**
 * The header's @ button: how many notes mention me unread, and the recent ones; a click opens the
 * conversation. Opening a conversation (from here or anywhere) reads its mentions.
 */
export function MentionsIndicator() {
  const { t, locale } = useI18n();
  const { items, unread, markRead } = useMentions();
  const [route] = useRoute();
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const openConversation = route.conversationId;
  const unreadHere = openConversation !== null && items.some((m) => m.readAt === null && m.conversationId === openConversation);
  useEffect(() => {
    if (unreadHere && openConversation) void markRead({ conversationId: openConversation });
  }, [unreadHere, openConversation, markRead]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const label = unread ? t('mentions.unread', { count: unread }) : t('mentions.title');
  return (
    <div className="mentions" ref={root}>
      <button
        ref={button}
        type="button"
        className={`btn-icon mentions-button${unread ? ' has-unread' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        aria-label={label}
        title={label}
        onClick={() => setOpen(!open)}
        data-testid="mentions-button"
      >
        <span aria-hidden="true">@</span>
        {unread > 0 && (
          <span className="mentions-count" data-testid="mentions-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="popover mentions-popover" id={id} role="dialog" aria-labelledby={`${id}-title`}>
          <div className="mentions-head">
            <h3 id={`${id}-title`} className="popover-title">
              {t('mentions.title')}
            </h3>
            {unread > 0 && (
              <button type="button" className="btn-link small" onClick={() => void markRead({ ids: items.filter((m) => m.readAt === null).map((m) => m.id) })}>
                {t('mentions.markAllRead')}
              </button>
            )}
          </div>
          {items.length === 0 ? (
            <p className="muted small">{t('mentions.empty')}</p>
          ) : (
            <ul className="mentions-list" data-testid="mentions-list">
              {items.map((m) => (
                <li key={m.id}>
                  <a
                    href={hrefFor({ conversationId: m.conversationId, filter: 'all' })}
                    className={`mentions-item${m.readAt === null ? ' is-unread' : ''}`}
                    onClick={(e) => {
                      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                      e.preventDefault();
                      setOpen(false);
                      if (m.readAt === null) void markRead({ ids: [m.id] });
                      navigateTo(e.currentTarget.getAttribute('href') ?? '/');
                    }}
                    data-mention-id={m.id}
                  >
                    <span className="mentions-by">{t('mentions.by', { name: m.by.name ?? t('author.agent') })}</span>
                    <time dateTime={m.createdAt} title={formatFull(m.createdAt, locale)}>
                      {formatTimestamp(m.createdAt, locale)}
                    </time>
                    <span className="mentions-excerpt">{m.excerpt}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
