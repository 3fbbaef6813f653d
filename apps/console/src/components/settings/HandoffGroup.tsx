import { useId } from 'react';
import { useT } from '../../i18n/i18n';
import { SETTINGS_LIMITS } from '../../lib/settings-form';
import { Field } from '../FormField';
import { Switch } from '../Switch';
import type { GroupProps } from './group-props';
import { RatioSlider } from './RatioSlider';

/** The server's defaults for unset thresholds, marked on the sliders. */
const DEFAULTS = { answerThreshold: 0.35, intentThreshold: 0.7, angerThreshold: 0.6 } as const;

/** When the bot answers, when it trusts an intent, and when it passes the customer to a person. */
export function HandoffGroup({ form, update, messages }: GroupProps) {
  const t = useT();
  const id = useId();
  return (
    <section className="kb-card settings-group" aria-labelledby={`${id}-title`} data-group="handoff">
      <h2 id={`${id}-title`} className="kb-card-title">
        {t('settings.group.handoff')}
      </h2>
      <div className="kb-grid settings-sliders">
        {(['answerThreshold', 'intentThreshold', 'angerThreshold'] as const).map((key) => (
          <div key={key}>
            <RatioSlider
              id={`${id}-${key}`}
              label={t(`settings.field.${key}`)}
              hint={t(`settings.field.${key}Hint`)}
              value={form[key]}
              defaultValue={DEFAULTS[key]}
              onChange={(v) => update(key, v)}
              testId={`settings-${key}`}
            />
          </div>
        ))}
      </div>
      <div className="kb-grid">
        {(['fallbackStreakHandoff', 'negativeStreakHandoff'] as const).map((key) => (
          <Field key={key} id={`${id}-${key}`} label={t(`settings.field.${key}`)} messages={messages(key)} hint={t(`settings.field.${key}Hint`)}>
            <input
              id={`${id}-${key}`}
              className="kb-input settings-number"
              type="number"
              min={0}
              max={SETTINGS_LIMITS.maxStreak}
              step={1}
              value={form[key]}
              onChange={(e) => update(key, e.target.value)}
              aria-invalid={messages(key).length > 0 || undefined}
              data-testid={`settings-${key}`}
            />
          </Field>
        ))}
      </div>
      <div className="settings-switches">
        <Switch
          checked={form.handoffOnRegulatorThreat}
          onChange={(v) => update('handoffOnRegulatorThreat', v)}
          label={t('settings.field.handoffOnRegulatorThreat')}
          hint={t('settings.field.handoffOnRegulatorThreatHint')}
        />
        <Switch checked={form.clarify} onChange={(v) => update('clarify', v)} label={t('settings.field.clarify')} hint={t('settings.field.clarifyHint')} />
        <Switch
          checked={form.llmSentiment}
          onChange={(v) => update('llmSentiment', v)}
          label={t('settings.field.llmSentiment')}
          hint={t('settings.field.llmSentimentHint')}
        />
      </div>
    </section>
  );
}
