import { ActionEditorScreen } from '../components/automation/ActionEditor';
import { ActionList } from '../components/automation/ActionList';
import { FlowList } from '../components/automation/FlowList';
import { FlowScreen } from '../components/automation/FlowScreen';
import { SectionLayout } from '../components/SectionLayout';
import { useT } from '../i18n/i18n';
import { canManageAutomation } from '../lib/roles';
import { AUTOMATION_TABS, automationHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';

/** Automation: flows (procedures written in YAML, drawn as diagrams) and the HTTP actions they call. */
export function AutomationPage() {
  const t = useT();
  const { session } = useSignedIn();
  const [route] = useRoute();
  const canEdit = canManageAutomation(session.member?.role);
  const tab = route.automationTab;
  const open = tab === 'flows' ? route.flowId : route.actionId;
  return (
    <SectionLayout
      title={t('auto.title')}
      contentId="automation-main"
      canEdit={canEdit}
      tabs={AUTOMATION_TABS.map((id) => ({ id, label: t(`auto.tab.${id}`), href: automationHref(id) }))}
      activeTab={tab}
      pageKey={`${tab}/${open ?? ''}`}
      documentTitle={open ? null : `${t(`auto.tab.${tab}`)} · ${t('auto.title')} · ${session.workspace.name}`}
    >
      {tab === 'flows' &&
        (route.flowId ? <FlowScreen key={route.flowId} flowId={route.flowId} params={route.params} canEdit={canEdit} /> : <FlowList canEdit={canEdit} />)}
      {tab === 'actions' &&
        (!canEdit ? (
          <p className="notice notice-info" data-testid="actions-admin-only">
            {t('actions.adminOnly')}
          </p>
        ) : route.actionId ? (
          <ActionEditorScreen key={route.actionId} actionId={route.actionId} />
        ) : (
          <ActionList />
        ))}
    </SectionLayout>
  );
}
