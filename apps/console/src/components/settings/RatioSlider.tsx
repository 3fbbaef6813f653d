import { useI18n } from '../../i18n/i18n';
import { formatScore } from '../../lib/format';

/** A 0–1 setting as a slider with its value beside it and the default marked on the track. */
export function RatioSlider(props: {
  id: string;
  label: string;
  hint: string;
  value: number;
  defaultValue: number;
  onChange(v: number): void;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  return (
    <div className="kb-field ratio-field">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="ratio-row">
        <span className="ratio-track">
          <input
            id={props.id}
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={props.value}
            onChange={(e) => props.onChange(Number(e.target.value))}
            aria-describedby={`${props.id}-hint`}
            data-testid={props.testId}
          />
          <span
            className="ratio-default"
            style={{ left: `${props.defaultValue * 100}%` }}
            title={t('settings.default', { value: formatScore(props.defaultValue, locale) })}
            aria-hidden="true"
          />
        </span>
        <output className="ratio-value" htmlFor={props.id}>
          {formatScore(props.value, locale)}
        </output>
      </div>
      <span className="field-hint" id={`${props.id}-hint`}>
        {props.hint} {t('settings.default', { value: formatScore(props.defaultValue, locale) })}
      </span>
    </div>
  );
}
