import { useId, useMemo } from 'react';
import { useT } from '../../i18n/i18n';
import { GREETING_LOCALES, SETTINGS_LIMITS } from '../../lib/settings-form';
import { Field } from '../FormField';
import type { GroupProps } from './group-props';

/** The first message of a new conversation, per language, and the zone relative dates are read in. */
export function GreetingGroup({ form, update, messages }: GroupProps) {
  const t = useT();
  const id = useId();
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch {
      return [];
    }
  }, []);
  return (
    <section className="kb-card settings-group" aria-labelledby={`${id}-title`} data-group="greeting">
      <h2 id={`${id}-title`} className="kb-card-title">
        {t('settings.group.greeting')}
      </h2>
      <p className="field-hint">{t('settings.field.greetingHint')}</p>
      <div className="settings-greetings">
        {GREETING_LOCALES.map((locale) => (
          <Field key={locale} id={`${id}-${locale}`} label={t(`locale.${locale}`)} messages={messages(`greeting.${locale}`)}>
            <textarea
              id={`${id}-${locale}`}
              className="kb-input"
              rows={3}
              maxLength={SETTINGS_LIMITS.greeting + 20}
              value={form.greeting[locale]}
              onChange={(e) => update('greeting', { ...form.greeting, [locale]: e.target.value })}
              placeholder={t('settings.field.greetingPlaceholder')}
              aria-invalid={messages(`greeting.${locale}`).length > 0 || undefined}
              data-testid={`settings-greeting-${locale}`}
            />
          </Field>
        ))}
      </div>
      <Field
        id={`${id}-tz`}
        label={t('settings.field.timeZone')}
        messages={messages('timeZone')}
        hint={t('settings.field.timeZoneHint')}
        className="settings-tz"
      >
        <input
          id={`${id}-tz`}
          className="kb-input kb-mono"
          value={form.timeZone}
          list={zones.length ? `${id}-zones` : undefined}
          onChange={(e) => update('timeZone', e.target.value)}
          aria-invalid={messages('timeZone').length > 0 || undefined}
          spellCheck={false}
          autoComplete="off"
          data-testid="settings-timezone"
        />
      </Field>
      {zones.length > 0 && (
        <datalist id={`${id}-zones`}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      )}
    </section>
  );
}
