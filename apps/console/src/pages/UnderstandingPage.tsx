import { useEffect, useRef } from 'react';
import { AppHeader } from '../components/AppHeader';
import { IntentEditorScreen } from '../components/understanding/IntentEditor';
import { IntentList } from '../components/understanding/IntentList';
import { TrainingPanel } from '../components/understanding/TrainingPanel';
import { TryIt } from '../components/understanding/TryIt';
import { useT } from '../i18n/i18n';
import { canManageIntents } from '../lib/roles';
import { followLink, UNDERSTANDING_TABS, type UnderstandingTab, understandingHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';

/** Understanding: the workspace's intents, training the intent model, and trying what the bot understands. */
export function UnderstandingPage() {
  const t = useT();
  const { session } = useSignedIn();
  const [route] = useRoute();
  const canEdit = canManageIntents(session.member?.role);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!route.intentId) document.title = `${t(`nlu.tab.${route.nluTab}`)} · ${t('nlu.title')} · ${session.workspace.name}`;
  }, [route.nluTab, route.intentId, session.workspace.name, t]);

  // A new page starts at its top (the scroller is the page body, not the window).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tab and intent are what make it a new page
  useEffect(() => {
    main.current?.scrollTo({ top: 0 });
  }, [route.nluTab, route.intentId]);

  return (
    <div className="shell">
      <AppHeader contentId="nlu-main" />
      <div className="kb">
        <nav className="kb-nav" aria-label={t('nlu.title')}>
          <span className="kb-nav-title">
            {t('nlu.title')}
            {!canEdit && <span className="badge badge-muted kb-readonly-badge">{t('kb.readOnlyBadge')}</span>}
          </span>
          <ul className="kb-tabs">
            {UNDERSTANDING_TABS.map((tab) => (
              <li key={tab}>
                <TabLink tab={tab} active={route.nluTab === tab} label={t(`nlu.tab.${tab}`)} />
              </li>
            ))}
          </ul>
        </nav>
        <main className="kb-main" id="nlu-main" tabIndex={-1} ref={main}>
          <div className="kb-content">
            {route.nluTab === 'intents' &&
              (route.intentId ? <IntentEditorScreen intentId={route.intentId} canEdit={canEdit} /> : <IntentList params={route.params} canEdit={canEdit} />)}
            {route.nluTab === 'training' && <TrainingPanel params={route.params} canEdit={canEdit} />}
            {route.nluTab === 'try' && <TryIt params={route.params} />}
          </div>
        </main>
      </div>
    </div>
  );
}

function TabLink({ tab, active, label }: { tab: UnderstandingTab; active: boolean; label: string }) {
  return (
    <a
      href={understandingHref(tab)}
      className={`kb-tab${active ? ' is-active' : ''}`}
      aria-current={active ? 'page' : undefined}
      onClick={followLink}
      data-tab={tab}
    >
      {label}
    </a>
  );
}
