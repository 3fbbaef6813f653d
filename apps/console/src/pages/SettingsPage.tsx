import { SectionLayout } from '../components/SectionLayout';
import { BotSettings } from '../components/settings/BotSettings';
import { UsagePanel } from '../components/settings/UsagePanel';
import { useT } from '../i18n/i18n';
import { canManageSettings } from '../lib/roles';
import { SETTINGS_TABS, settingsHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';

/** Bot settings: how the bot answers, hands off and guards its words; and what the language model used. */
export function SettingsPage() {
  const t = useT();
  const { session } = useSignedIn();
  const [route] = useRoute();
  const canEdit = canManageSettings(session.member?.role);
  const tab = route.settingsTab;
  return (
    <SectionLayout
      title={t('settings.title')}
      contentId="settings-main"
      canEdit={canEdit}
      tabs={SETTINGS_TABS.map((id) => ({ id, label: t(`settings.tab.${id}`), href: settingsHref(id) }))}
      activeTab={tab}
      pageKey={tab}
      documentTitle={`${t(`settings.tab.${tab}`)} · ${t('settings.title')} · ${session.workspace.name}`}
    >
      {tab === 'bot' ? <BotSettings canEdit={canEdit} /> : <UsagePanel params={route.params} />}
    </SectionLayout>
  );
}
