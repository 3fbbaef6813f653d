import { useId } from 'react';
import { useT } from '../../i18n/i18n';
import { type LocaleTexts, WIDGET_LIMITS, WIDGET_LOCALES } from '../../lib/widget-form';
import { Field, FieldMessages } from '../FormField';

/**
 * One text in each UI language (a greeting, a question): a box per language side by side, with the
 * problems of each box under it and those of the whole text (`path`) under the group.
 */
export function LocaleTextsField(props: {
  legend: string;
  hint?: string;
  value: LocaleTexts;
  onChange(next: LocaleTexts): void;
  /** The server path of the whole text (`csat.question`); a language's box is `<path>.<locale>`. */
  path: string;
  messages(path: string): string[];
  placeholder?: string;
  testId: string;
}) {
  const t = useT();
  const id = useId();
  const own = props.messages(props.path);
  return (
    <fieldset
      className={`kb-field locale-texts${own.length ? ' is-invalid' : ''}`}
      data-testid={props.testId}
      aria-describedby={props.hint ? `${id}-hint` : undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      <div className="settings-greetings">
        {WIDGET_LOCALES.map((locale) => {
          const messages = props.messages(`${props.path}.${locale}`);
          return (
            <Field key={locale} id={`${id}-${locale}`} label={t(`locale.${locale}`)} messages={messages}>
              <textarea
                id={`${id}-${locale}`}
                className="kb-input"
                rows={2}
                maxLength={WIDGET_LIMITS.text + 20}
                value={props.value[locale]}
                placeholder={props.placeholder}
                onChange={(e) => props.onChange({ ...props.value, [locale]: e.target.value })}
                aria-invalid={messages.length > 0 || own.length > 0 || undefined}
                data-testid={`${props.testId}-${locale}`}
              />
            </Field>
          );
        })}
      </div>
      <FieldMessages messages={own} />
    </fieldset>
  );
}
