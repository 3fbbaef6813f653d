import { useId } from 'react';

/**
 * An on/off control: a checkbox with the switch role, its label beside it, an optional hint under
 * the label. `compact` leaves the label to screen readers (a switch in a table row).
 */
export function Switch(props: {
  checked: boolean;
  onChange(next: boolean): void;
  label: string;
  hint?: string;
  disabled?: boolean;
  compact?: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <label className={`switch${props.compact ? ' is-compact' : ''}${props.disabled ? ' is-disabled' : ''}`} htmlFor={id}>
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={props.checked}
        aria-checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        data-testid={props.testId}
      />
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className={props.compact ? 'sr-only' : 'switch-text'}>
        <span className="switch-label">{props.label}</span>
        {props.hint && !props.compact && (
          <span className="switch-hint" id={`${id}-hint`}>
            {props.hint}
          </span>
        )}
      </span>
    </label>
  );
}
