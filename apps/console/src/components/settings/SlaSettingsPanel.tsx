import type { SlaSettings } from '@kefu/protocol';
import { useId, useState } from 'react';
import { settingsApi, type WorkspaceSettingsView } from '../../api/settings';
import { useI18n } from '../../i18n/i18n';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SuccessNotice } from '../SuccessNotice';
import { Switch } from '../Switch';

const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
type Priority = (typeof PRIORITIES)[number];
type Targets = Record<Priority, { firstResponse: number; resolution: number }>;

interface Form {
  enabled: boolean;
  warnAtPercent: number;
  businessHoursOnly: boolean;
  targets: Targets;
  ticketTargets: Targets;
}

/** What the server uses now (defaults filled in), as the form starts. */
function formOf(view: WorkspaceSettingsView): Form {
  const e = view.effective.sla as Form;
  return { enabled: e.enabled, warnAtPercent: e.warnAtPercent, businessHoursOnly: e.businessHoursOnly, targets: e.targets, ticketTargets: e.ticketTargets };
}

/**
 * SLA targets per priority for conversations (minutes after joining the queue) and tickets, the warning
 * point and whether only business hours count. Admins save; the server checks every field and names
 * the one it refuses.
 */
export function SlaSettingsPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const loaded = useLoad((signal) => settingsApi.get(api, signal), [api]);
  const view = loaded.data;
  return (
    <section className="kb-page settings-page" aria-labelledby="sla-settings-title" data-testid="sla-settings">
      <KbPageHead id="sla-settings-title" title={t('settings.sla.title')} subtitle={t('settings.sla.subtitle')} />
      {loaded.error ? <ErrorNotice error={loaded.error} onDismiss={() => void loaded.reload()} /> : null}
      {!view && !loaded.error && <p className="kb-empty">{t('settings.loading')}</p>}
      {view && <SlaForm key={JSON.stringify(view.effective.sla)} view={view} canEdit={canEdit} hasHours={Boolean(view.settings.businessHours)} />}
    </section>
  );
}

function SlaForm({ view, canEdit, hasHours }: { view: WorkspaceSettingsView; canEdit: boolean; hasHours: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const id = useId();
  const [form, setForm] = useState<Form>(() => formOf(view));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(view));

  const setTarget = (kind: 'targets' | 'ticketTargets', p: Priority, field: 'firstResponse' | 'resolution', value: number) =>
    setForm((f) => ({ ...f, [kind]: { ...f[kind], [p]: { ...f[kind][p], [field]: value } } }));

  const save = async () => {
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const sla: SlaSettings = { ...form };
      await settingsApi.patch(api, { sla });
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="sla-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {saved && <SuccessNotice message={t('settings.saved')} onDismiss={() => setSaved(false)} />}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      <section className="kb-card settings-group" aria-labelledby={`${id}-policy`}>
        <h2 id={`${id}-policy`} className="kb-card-title">
          {t('settings.sla.policy')}
        </h2>
        <Switch
          checked={form.enabled}
          onChange={(enabled) => setForm((f) => ({ ...f, enabled }))}
          label={t('settings.sla.enabled')}
          hint={t('settings.sla.enabledHint')}
          disabled={!canEdit}
          testId="sla-enabled"
        />
        <Switch
          checked={form.businessHoursOnly}
          onChange={(businessHoursOnly) => setForm((f) => ({ ...f, businessHoursOnly }))}
          label={t('settings.sla.businessHoursOnly')}
          hint={hasHours ? t('settings.sla.businessHoursOnlyHint') : t('settings.sla.noBusinessHours')}
          disabled={!canEdit}
        />
        <label className="field sla-warn" htmlFor={`${id}-warn`}>
          <span className="field-label">{t('settings.sla.warnAtPercent')}</span>
          <input
            id={`${id}-warn`}
            type="number"
            min={1}
            max={99}
            step={1}
            value={form.warnAtPercent}
            disabled={!canEdit}
            onChange={(e) => setForm((f) => ({ ...f, warnAtPercent: Number(e.target.value) }))}
            data-testid="sla-warn-percent"
          />
          <span className="field-hint">{t('settings.sla.warnAtPercentHint')}</span>
        </label>
      </section>
      {(['targets', 'ticketTargets'] as const).map((kind) => (
        <section key={kind} className="kb-card settings-group" aria-labelledby={`${id}-${kind}`}>
          <h2 id={`${id}-${kind}`} className="kb-card-title">
            {t(kind === 'targets' ? 'settings.sla.conversations' : 'settings.sla.tickets')}
          </h2>
          <p className="field-hint">{t(kind === 'targets' ? 'settings.sla.conversationsHint' : 'settings.sla.ticketsHint')}</p>
          <table className="sla-targets" data-testid={`sla-${kind}`}>
            <thead>
              <tr>
                <th scope="col">{t('settings.sla.priority')}</th>
                <th scope="col">{t('settings.sla.firstResponseMinutes')}</th>
                <th scope="col">{t('settings.sla.resolutionMinutes')}</th>
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((p) => (
                <tr key={p}>
                  <th scope="row">{t(`priority.${p}`)}</th>
                  {(['firstResponse', 'resolution'] as const).map((field) => (
                    <td key={field}>
                      <input
                        type="number"
                        min={1}
                        step={1}
                        value={form[kind][p][field]}
                        disabled={!canEdit}
                        aria-label={`${t(`priority.${p}`)} · ${t(field === 'firstResponse' ? 'settings.sla.firstResponseMinutes' : 'settings.sla.resolutionMinutes')}`}
                        onChange={(e) => setTarget(kind, p, field, Number(e.target.value))}
                        data-testid={`sla-${kind}-${p}-${field}`}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {canEdit && (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!dirty || saving} data-testid="sla-save">
            {saving ? t('settings.sla.saving') : t('settings.sla.save')}
          </button>
        </div>
      )}
    </form>
  );
}
