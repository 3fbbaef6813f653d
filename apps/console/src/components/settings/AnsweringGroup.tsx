import { useId } from 'react';
import { useT } from '../../i18n/i18n';
import { ANSWER_MODES, SETTINGS_LIMITS } from '../../lib/settings-form';
import { Field } from '../FormField';
import { Switch } from '../Switch';
import type { GroupProps } from './group-props';

/** How the language model takes part in answering: when it writes answers, who it is, its house rules. */
export function AnsweringGroup({ form, update, messages, llm }: GroupProps) {
  const t = useT();
  const id = useId();
  return (
    <section className="kb-card settings-group" aria-labelledby={`${id}-title`} data-group="answering">
      <h2 id={`${id}-title`} className="kb-card-title">
        {t('settings.group.answering')}
      </h2>
      {!llm.configured && <p className="notice notice-info notice-compact">{t('settings.answering.noLlm')}</p>}
      <fieldset className="kb-field">
        <legend>{t('settings.field.answers')}</legend>
        <div className="action-choices" data-testid="settings-answers">
          {ANSWER_MODES.map((mode) => (
            <label key={mode} className={`action-choice${form.answers === mode ? ' is-active' : ''}`} data-mode={mode}>
              <input type="radio" name={`${id}-answers`} value={mode} checked={form.answers === mode} onChange={() => update('answers', mode)} />
              <span className="action-choice-label">{t(`settings.answers.${mode}`)}</span>
              <span className="action-choice-hint">{t(`settings.answers.hint.${mode}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field id={`${id}-persona`} label={t('settings.field.persona')} messages={messages('assistant.persona')} hint={t('settings.field.personaHint')}>
        <textarea
          id={`${id}-persona`}
          className="kb-input"
          rows={3}
          maxLength={SETTINGS_LIMITS.persona + 50}
          value={form.persona}
          onChange={(e) => update('persona', e.target.value)}
          placeholder={t('settings.field.personaPlaceholder')}
          aria-invalid={messages('assistant.persona').length > 0 || undefined}
          data-testid="settings-persona"
        />
      </Field>
      <Field
        id={`${id}-instructions`}
        label={t('settings.field.instructions')}
        messages={messages('assistant.instructions')}
        hint={t('settings.field.instructionsHint')}
      >
        <textarea
          id={`${id}-instructions`}
          className="kb-input"
          rows={4}
          maxLength={SETTINGS_LIMITS.instructions + 50}
          value={form.instructions}
          onChange={(e) => update('instructions', e.target.value)}
          placeholder={t('settings.field.instructionsPlaceholder')}
          aria-invalid={messages('assistant.instructions').length > 0 || undefined}
          data-testid="settings-instructions"
        />
      </Field>
      <div className="settings-switches">
        <Switch checked={form.tools} onChange={(v) => update('tools', v)} label={t('settings.field.tools')} hint={t('settings.field.toolsHint')} />
        <Switch
          checked={form.rewriteQueries}
          onChange={(v) => update('rewriteQueries', v)}
          label={t('settings.field.rewriteQueries')}
          hint={t('settings.field.rewriteQueriesHint')}
        />
        <Switch
          checked={form.summaries}
          onChange={(v) => update('summaries', v)}
          label={t('settings.field.summaries')}
          hint={t('settings.field.summariesHint')}
        />
      </div>
    </section>
  );
}
