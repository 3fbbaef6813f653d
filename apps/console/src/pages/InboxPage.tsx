import { useEffect, useMemo, useState } from 'react';
import { AppHeader } from '../components/AppHeader';
import { ConversationList } from '../components/ConversationList';
import { ConversationPane } from '../components/ConversationPane';
import { ShortcutHelp } from '../components/ShortcutHelp';
import { SlaBreachToasts } from '../components/SlaBreachToasts';
import { useT } from '../i18n/i18n';
import { filterById } from '../lib/conversation-filters';
import { neighbourId } from '../lib/shortcuts';
import { useTypingConversations } from '../state/realtime';
import { useRoute } from '../state/route';
import { useSeen } from '../state/seen';
import { useSignedIn } from '../state/session';
import { useConversationList } from '../state/use-conversation-list';
import { useInboxCounts } from '../state/use-inbox-counts';
import { useShortcuts } from '../state/use-shortcuts';

const TICK_MS = 30_000;

/** The two-pane inbox: filtered, live conversation list on the left, the open conversation on the right. */
export function InboxPage() {
  const t = useT();
  const { session } = useSignedIn();
  const memberId = session.member?.id ?? null;
  const [route, navigate] = useRoute();
  const filter = useMemo(() => filterById(route.filter), [route.filter]);
  const counts = useInboxCounts();
  const teamKey = counts?.teams.map((t) => t.id).join(',') ?? '';
  const viewer = useMemo(() => ({ memberId, teamIds: teamKey ? teamKey.split(',') : [] }), [memberId, teamKey]);
  const list = useConversationList(filter, viewer);
  const typing = useTypingConversations();
  const seen = useSeen(memberId ?? session.workspace.id);
  const now = useNow(TICK_MS);
  const [help, setHelp] = useState(false);

  // j / k walk the list as it is shown; the open conversation handles its own keys (ConversationPane).
  useShortcuts((action) => {
    if (action === 'help') {
      setHelp((h) => !h);
      return true;
    }
    if (action !== 'next' && action !== 'previous') return false;
    const next = neighbourId(
      list.items.map((c) => c.id),
      route.conversationId,
      action === 'next' ? 1 : -1,
    );
    if (next) navigate({ conversationId: next });
    return true;
  });

  useEffect(() => {
    const base = `${t('app.name')} · ${session.workspace.name}`;
    // Customers waiting for someone: in the tab's title, so it shows from another tab.
    const waiting = counts?.unassigned ?? 0;
    document.title = waiting > 0 ? `(${waiting}) ${base}` : base;
  }, [counts?.unassigned, session.workspace.name, t]);

  return (
    <div className="shell">
      <AppHeader />
      <SlaBreachToasts />
      <div className={`inbox${route.conversationId ? ' has-selection' : ''}`}>
        <aside className="inbox-list">
          <ConversationList
            filter={filter.id}
            onFilter={(id) => navigate({ filter: id })}
            list={list}
            selectedId={route.conversationId}
            onSelect={(id) => navigate({ conversationId: id })}
            memberId={memberId}
            typing={typing}
            isUnread={seen.isUnread}
            counts={counts}
            now={now}
            tools={<ShortcutHelp open={help} onToggle={setHelp} />}
          />
        </aside>
        <main className="inbox-main">
          {route.conversationId ? (
            <ConversationPane
              key={route.conversationId}
              id={route.conversationId}
              onBack={() => navigate({ conversationId: null })}
              onSeen={seen.markSeen}
              now={now}
            />
          ) : (
            <div className="placeholder" id="conversation">
              <svg viewBox="0 0 64 64" width="72" height="72" aria-hidden="true">
                <rect x="6" y="12" width="40" height="28" rx="8" fill="#dbeafe" />
                <path d="M14 40v10l10-10" fill="#dbeafe" />
                <rect x="22" y="24" width="36" height="24" rx="8" fill="#2563eb" opacity=".85" />
                <path d="M50 48v8l-8-8" fill="#2563eb" opacity=".85" />
              </svg>
              <p className="placeholder-title">{t('view.placeholder')}</p>
              <p className="muted">{t('view.placeholderHint')}</p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}

function useNow(every: number) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(timer);
  }, [every]);
  return now;
}
