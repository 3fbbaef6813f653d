import { SectionLayout } from '../components/SectionLayout';
import { BotSettings } from '../components/settings/BotSettings';
import { CannedRepliesPanel } from '../components/settings/CannedRepliesPanel';
import { ChannelsSettings } from '../components/settings/ChannelsSettings';
import { SlaSettingsPanel } from '../components/settings/SlaSettingsPanel';
import { TeamsSettings } from '../components/settings/TeamsSettings';
import { UsagePanel } from '../components/settings/UsagePanel';
import { useT } from '../i18n/i18n';
import { canManageSettings, canManageTeams } from '../lib/roles';
import { SETTINGS_TABS, settingsHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';

/** Bot settings: how the bot answers, hands off and guards its words; and what the language model used. */
export function SettingsPage() {
  const t = useT();
  const { session } = useSignedIn();
  const [route] = useRoute();
  const tab = route.settingsTab;
  // Canned replies: every agent keeps their own (shared ones are for admins); the rest is for admins.
  const canEdit = tab === 'replies' ? session.member?.role !== 'viewer' : canManageSettings(session.member?.role);
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
      {tab === 'bot' ? (
        <BotSettings canEdit={canEdit} />
      ) : tab === 'sla' ? (
        <SlaSettingsPanel canEdit={canEdit} />
      ) : tab === 'replies' ? (
        <CannedRepliesPanel params={route.params} />
      ) : tab === 'teams' ? (
        <TeamsSettings canEdit={canManageTeams(session.member?.role)} />
      ) : tab === 'channels' ? (
        <ChannelsSettings canEdit={canEdit} />
      ) : (
        <UsagePanel params={route.params} />
      )}
    </SectionLayout>
  );
}
