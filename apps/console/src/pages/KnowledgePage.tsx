import { DictionaryEditor } from '../components/knowledge/DictionaryEditor';
import { FaqEditorScreen } from '../components/knowledge/FaqEditorScreen';
import { FaqList, faqListHref } from '../components/knowledge/FaqList';
import { ImportPanel } from '../components/knowledge/ImportPanel';
import { ReviewList } from '../components/knowledge/ReviewList';
import { SynonymsEditor } from '../components/knowledge/SynonymsEditor';
import { TestRetrieval } from '../components/knowledge/TestRetrieval';
import { SectionLayout } from '../components/SectionLayout';
import { useT } from '../i18n/i18n';
import { canManageKnowledge } from '../lib/roles';
import { KNOWLEDGE_TABS, knowledgeHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';

/** The knowledge base: FAQ entries, document import, review, a retrieval tester, synonyms and the user dictionary. */
export function KnowledgePage() {
  const t = useT();
  const { session } = useSignedIn();
  const [route] = useRoute();
  const canEdit = canManageKnowledge(session.member?.role);
  return (
    <SectionLayout
      title={t('kb.title')}
      contentId="kb-main"
      canEdit={canEdit}
      tabs={KNOWLEDGE_TABS.map((tab) => ({ id: tab, label: t(`kb.tab.${tab}`), href: tab === 'faq' ? faqListHref() : knowledgeHref(tab) }))}
      activeTab={route.tab}
      pageKey={`${route.tab}/${route.faqId ?? ''}`}
      documentTitle={route.tab !== 'faq' || !route.faqId ? `${t(`kb.tab.${route.tab}`)} · ${t('kb.title')} · ${session.workspace.name}` : null}
    >
      {route.tab === 'faq' && (route.faqId ? <FaqEditorScreen faqId={route.faqId} canEdit={canEdit} /> : <FaqList params={route.params} canEdit={canEdit} />)}
      {route.tab === 'import' && <ImportPanel canEdit={canEdit} />}
      {route.tab === 'review' && <ReviewList />}
      {route.tab === 'test' && <TestRetrieval params={route.params} />}
      {route.tab === 'synonyms' && <SynonymsEditor canEdit={canEdit} />}
      {route.tab === 'dictionary' && <DictionaryEditor canEdit={canEdit} />}
    </SectionLayout>
  );
}
