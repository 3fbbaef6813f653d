import { useId } from 'react';
import { useT } from '../../i18n/i18n';
import { SETTINGS_LIMITS } from '../../lib/settings-form';
import { Field, FieldMessages } from '../FormField';
import { ChipInput } from '../knowledge/ChipInput';
import { Switch } from '../Switch';
import type { GroupProps } from './group-props';

/** What the bot must never say, and what customer text may not leave the process. */
export function GuardrailsGroup({ form, update, messages }: GroupProps) {
  const t = useT();
  const id = useId();
  const wordMessages = messages('guardrails.forbiddenWords');
  return (
    <section className="kb-card settings-group" aria-labelledby={`${id}-title`} data-group="guardrails">
      <h2 id={`${id}-title`} className="kb-card-title">
        {t('settings.group.guardrails')}
      </h2>
      <div className="settings-switches">
        <Switch
          checked={form.redactPii}
          onChange={(v) => update('redactPii', v)}
          label={t('settings.field.redactPii')}
          hint={t('settings.field.redactPiiHint')}
        />
        <Switch
          checked={form.forbidPromises}
          onChange={(v) => update('forbidPromises', v)}
          label={t('settings.field.forbidPromises')}
          hint={t('settings.field.forbidPromisesHint')}
        />
      </div>
      <div className={`kb-field${wordMessages.length ? ' is-invalid' : ''}`}>
        <span className="kb-field-label" id={`${id}-words`}>
          {t('settings.field.forbiddenWords')}
        </span>
        <ChipInput
          value={form.forbiddenWords}
          onChange={(words) => update('forbiddenWords', words)}
          label={t('settings.field.forbiddenWords')}
          placeholder={t('settings.field.forbiddenWordsPlaceholder')}
          max={SETTINGS_LIMITS.forbiddenWords}
          maxLength={SETTINGS_LIMITS.forbiddenWord}
          invalid={wordMessages.length > 0}
          describedBy={`${id}-words-hint`}
          testId="settings-forbidden-words"
        />
        <span className="field-hint" id={`${id}-words-hint`}>
          {t('settings.field.forbiddenWordsHint')}
        </span>
        <FieldMessages messages={wordMessages} />
      </div>
      <div className="kb-field">
        <Switch
          checked={form.refundLimitOn}
          onChange={(v) => update('refundLimitOn', v)}
          label={t('settings.field.refundLimit')}
          hint={t('settings.field.refundLimitHint')}
          testId="settings-refund-on"
        />
      </div>
      {form.refundLimitOn && (
        <div className="kb-grid settings-refund">
          <Field id={`${id}-refund`} label={t('settings.field.refundMax')} required messages={messages('guardrails.refundLimit.maxAmount')}>
            <input
              id={`${id}-refund`}
              className="kb-input settings-number"
              inputMode="decimal"
              value={form.refundMax}
              onChange={(e) => update('refundMax', e.target.value)}
              aria-invalid={messages('guardrails.refundLimit.maxAmount').length > 0 || undefined}
              placeholder="200"
              data-testid="settings-refund-max"
            />
          </Field>
          <Field
            id={`${id}-currency`}
            label={t('settings.field.refundCurrency')}
            messages={messages('guardrails.refundLimit.currency')}
            hint={t('settings.field.refundCurrencyHint')}
          >
            <input
              id={`${id}-currency`}
              className="kb-input settings-number kb-mono"
              value={form.refundCurrency}
              maxLength={SETTINGS_LIMITS.currency + 4}
              onChange={(e) => update('refundCurrency', e.target.value)}
              aria-invalid={messages('guardrails.refundLimit.currency').length > 0 || undefined}
              placeholder="CNY"
            />
          </Field>
        </div>
      )}
    </section>
  );
}
