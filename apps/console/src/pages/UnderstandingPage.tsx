import { SectionLayout } from '../components/SectionLayout';
import { IntentEditorScreen } from '../components/understanding/IntentEditor';
import { IntentList } from '../components/understanding/IntentList';
import { TrainingPanel } from '../components/understanding/TrainingPanel';
import { TryIt } from '../components/understanding/TryIt';
import { useT } from '../i18n/i18n';
import { canManageIntents } from '../lib/roles';
import { UNDERSTANDING_TABS, understandingHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';

/** Understanding: the workspace's intents, training the intent model, and trying what the bot understands. */
export function UnderstandingPage() {
  const t = useT();
  const { session } = useSignedIn();
  const [route] = useRoute();
  const canEdit = canManageIntents(session.member?.role);
  return (
    <SectionLayout
      title={t('nlu.title')}
      contentId="nlu-main"
      canEdit={canEdit}
      tabs={UNDERSTANDING_TABS.map((tab) => ({ id: tab, label: t(`nlu.tab.${tab}`), href: understandingHref(tab) }))}
      activeTab={route.nluTab}
      pageKey={`${route.nluTab}/${route.intentId ?? ''}`}
      documentTitle={route.intentId ? null : `${t(`nlu.tab.${route.nluTab}`)} · ${t('nlu.title')} · ${session.workspace.name}`}
    >
      {route.nluTab === 'intents' &&
        (route.intentId ? <IntentEditorScreen intentId={route.intentId} canEdit={canEdit} /> : <IntentList params={route.params} canEdit={canEdit} />)}
      {route.nluTab === 'training' && <TrainingPanel params={route.params} canEdit={canEdit} />}
      {route.nluTab === 'try' && <TryIt params={route.params} />}
    </SectionLayout>
  );
}
