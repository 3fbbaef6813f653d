import { useEffect, useRef } from 'react';
import { AppHeader } from '../components/AppHeader';
import { DictionaryEditor } from '../components/knowledge/DictionaryEditor';
import { FaqEditorScreen } from '../components/knowledge/FaqEditorScreen';
import { FaqList, faqListHref } from '../components/knowledge/FaqList';
import { ImportPanel } from '../components/knowledge/ImportPanel';
import { ReviewList } from '../components/knowledge/ReviewList';
import { SynonymsEditor } from '../components/knowledge/SynonymsEditor';
import { TestRetrieval } from '../components/knowledge/TestRetrieval';
import { useT } from '../i18n/i18n';
import { canManageKnowledge } from '../lib/roles';
import { followLink, KNOWLEDGE_TABS, type KnowledgeTab, knowledgeHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';

/** The knowledge base: FAQ entries, document import, review, a retrieval tester, synonyms and the user dictionary. */
export function KnowledgePage() {
  const t = useT();
  const { session } = useSignedIn();
  const [route] = useRoute();
  const canEdit = canManageKnowledge(session.member?.role);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    if (route.tab !== 'faq' || !route.faqId) document.title = `${t(`kb.tab.${route.tab}`)} · ${t('kb.title')} · ${session.workspace.name}`;
  }, [route.tab, route.faqId, session.workspace.name, t]);

  // A new page starts at its top (the scroller is the page body, not the window).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tab and entry are what make it a new page
  useEffect(() => {
    main.current?.scrollTo({ top: 0 });
  }, [route.tab, route.faqId]);

  return (
    <div className="shell">
      <AppHeader contentId="kb-main" />
      <div className="kb">
        <nav className="kb-nav" aria-label={t('kb.title')}>
          <span className="kb-nav-title">
            {t('kb.title')}
            {!canEdit && <span className="badge badge-muted kb-readonly-badge">{t('kb.readOnlyBadge')}</span>}
          </span>
          <ul className="kb-tabs">
            {KNOWLEDGE_TABS.map((tab) => (
              <li key={tab}>
                <TabLink tab={tab} active={route.tab === tab} label={t(`kb.tab.${tab}`)} />
              </li>
            ))}
          </ul>
        </nav>
        <main className="kb-main" id="kb-main" tabIndex={-1} ref={main}>
          <div className="kb-content">
            {route.tab === 'faq' &&
              (route.faqId ? <FaqEditorScreen faqId={route.faqId} canEdit={canEdit} /> : <FaqList params={route.params} canEdit={canEdit} />)}
            {route.tab === 'import' && <ImportPanel canEdit={canEdit} />}
            {route.tab === 'review' && <ReviewList />}
            {route.tab === 'test' && <TestRetrieval params={route.params} />}
            {route.tab === 'synonyms' && <SynonymsEditor canEdit={canEdit} />}
            {route.tab === 'dictionary' && <DictionaryEditor canEdit={canEdit} />}
          </div>
        </main>
      </div>
    </div>
  );
}

function TabLink({ tab, active, label }: { tab: KnowledgeTab; active: boolean; label: string }) {
  return (
    <a
      href={tab === 'faq' ? faqListHref() : knowledgeHref(tab)}
      className={`kb-tab${active ? ' is-active' : ''}`}
      aria-current={active ? 'page' : undefined}
      onClick={followLink}
      data-tab={tab}
    >
      {label}
    </a>
  );
}
