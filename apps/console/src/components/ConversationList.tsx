import type { Conversation, InboxCounts } from '@kefu/protocol';
import { type KeyboardEvent, memo, type ReactNode, useRef } from 'react';
import { useI18n, useT } from '../i18n/i18n';
import { FILTERS, type FilterId } from '../lib/conversation-filters';
import { formatFull, formatRelative } from '../lib/format';
import { hrefFor } from '../state/route';
import type { ConversationListState } from '../state/use-conversation-list';
import { Avatar } from './Avatar';
import { LanguageBadge, StatusBadge } from './Badges';
import { RatingMark } from './ConversationRating';
import { ErrorNotice } from './ErrorNotice';
import { SlaBadge } from './SlaBadge';

interface Props {
  filter: FilterId;
  onFilter(id: FilterId): void;
  list: ConversationListState & { loadMore(): void; reload(): void };
  selectedId: string | null;
  onSelect(id: string): void;
  memberId: string | null;
  typing: ReadonlySet<string>;
  isUnread(id: string, lastMessageAt: string | null): boolean;
  /** How many each inbox view holds (null until loaded). */
  counts: InboxCounts | null;
  /** Re-render tick so relative times stay fresh. */
  now: number;
  /** More buttons for the head, after Refresh (the keyboard shortcuts' help). */
  tools?: ReactNode;
}

export function ConversationList({ filter, onFilter, list, selectedId, onSelect, memberId, typing, isUnread, counts, now, tools }: Props) {
  const t = useT();
  return (
    <section className="conv-list" aria-labelledby="conv-list-title">
      <div className="conv-list-head">
        <h1 id="conv-list-title" className="conv-list-title">
          {t('list.title')}
        </h1>
        <button type="button" className="btn-icon" onClick={list.reload} aria-label={t('list.refresh')} title={t('list.refresh')}>
          <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
            <path d="M16 10a6 6 0 1 1-1.8-4.3M16 3.5v3.2h-3.2" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        </button>
        {tools}
      </div>
      <FilterTabs filter={filter} onFilter={onFilter} counts={counts} />
      {list.error ? <ErrorNotice error={list.error} compact /> : null}
      <div role="tabpanel" id="conversation-panel" aria-labelledby={`filter-tab-${filter}`}>
        <ul className="conv-items" aria-busy={list.loading} data-testid="conversation-list">
          {list.items.map((c) => (
            <ConversationListItem
              key={c.id}
              c={c}
              selected={c.id === selectedId}
              mine={memberId !== null && c.assignee?.id === memberId}
              unread={c.id !== selectedId && isUnread(c.id, c.lastMessageAt)}
              typing={typing.has(c.id)}
              onSelect={onSelect}
              filter={filter}
              now={now}
            />
          ))}
        </ul>
        {list.loading && list.items.length === 0 && <p className="conv-list-empty">{t('list.loading')}</p>}
        {!list.loading && !list.error && list.items.length === 0 && <p className="conv-list-empty">{t('list.empty')}</p>}
        {list.nextCursor && (
          <button type="button" className="btn btn-ghost conv-more" onClick={list.loadMore} disabled={list.loadingMore}>
            {list.loadingMore ? t('list.loadingMore') : t('list.loadMore')}
          </button>
        )}
      </div>
    </section>
  );
}

function FilterTabs({ filter, onFilter, counts }: { filter: FilterId; onFilter(id: FilterId): void; counts: InboxCounts | null }) {
  const t = useT();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab leaves the tab list.
  const onKeyDown = (e: KeyboardEvent, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (i + step + FILTERS.length) % FILTERS.length;
    refs.current[next]?.focus();
    onFilter(FILTERS[next]!.id);
  };
  return (
    <div className="filter-tabs" role="tablist" aria-label={t('filter.label')}>
      {FILTERS.map((f, i) => (
        <button
          key={f.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          aria-selected={f.id === filter}
          id={`filter-tab-${f.id}`}
          aria-controls="conversation-panel"
          tabIndex={f.id === filter ? 0 : -1}
          className={`filter-tab filter-${f.id}`}
          onClick={() => onFilter(f.id)}
          onKeyDown={(e) => onKeyDown(e, i)}
          data-filter={f.id}
        >
          {t(`filter.${f.id}`)}
          {f.count && counts && counts[f.count] > 0 && (
            <span className={`tab-count${f.id === 'unassigned' ? ' is-waiting' : ''}`} data-testid={`count-${f.id}`}>
              {counts[f.count] > 999 ? t('list.countOverflow', { count: 999 }) : counts[f.count]}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

interface ItemProps {
  c: Conversation;
  selected: boolean;
  mine: boolean;
  unread: boolean;
  typing: boolean;
  filter: FilterId;
  onSelect(id: string): void;
  now: number;
}

const ConversationListItem = memo(function ConversationListItem({ c, selected, mine, unread, typing, filter, onSelect, now }: ItemProps) {
  const { t, locale } = useI18n();
  const name = c.contact.name ?? t('list.visitor', { id: c.contact.id.slice(-6) });
  const at = c.lastMessageAt ?? c.createdAt;
  const classes = ['conv-item', `status-${c.status}`, selected && 'is-selected', unread && 'is-unread', c.status === 'queued' && 'is-waiting'];
  return (
    <li>
      <a
        href={hrefFor({ conversationId: c.id, filter })}
        className={classes.filter(Boolean).join(' ')}
        aria-current={selected ? 'page' : undefined}
        data-conversation-id={c.id}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          onSelect(c.id);
        }}
      >
        <Avatar id={c.contact.id} name={name} />
        <span className="conv-item-main">
          <span className="conv-item-top">
            <span className="conv-item-name">{name}</span>
            <time className="conv-item-time" dateTime={at} title={formatFull(at, locale)}>
              {formatRelative(at, locale, now)}
            </time>
          </span>
          <span className="conv-item-preview">
            {typing ? <em className="typing-inline">{t('list.typing')}</em> : (c.lastMessagePreview ?? t('list.noPreview'))}
          </span>
          <span className="conv-item-meta">
            <StatusBadge status={c.status} />
            <LanguageBadge language={c.language} compact />
            <SlaBadge sla={c.sla} compact />
            <RatingMark rating={c.rating} />
            {c.status === 'queued' && <span className="conv-item-waiting">{t('list.waiting')}</span>}
            {c.team && <span className="conv-item-team">{c.team.name}</span>}
            {c.snoozedUntil && Date.parse(c.snoozedUntil) > now && (
              <span className="conv-item-snoozed" title={formatFull(c.snoozedUntil, locale)}>
                {t('list.snoozed')}
              </span>
            )}
            {c.assignee && c.status === 'assigned' && (
              <span className={`conv-item-assignee${mine ? ' is-mine' : ''}`}>{mine ? t('view.assignedToYou') : c.assignee.name}</span>
            )}
            {unread && (
              <span className="unread-dot" title={t('list.unread')}>
                <span className="sr-only">{t('list.unread')}</span>
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
});
