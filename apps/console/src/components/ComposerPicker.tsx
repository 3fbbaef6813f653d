import type { ReactNode } from 'react';

export interface PickerOption {
  id: string;
  /** The shortcut (`/refund`) or the member's name. */
  primary: string;
  secondary?: string;
  /** One line of the reply's text, or the member's e-mail. */
  detail?: string;
}

/**
 * The list the composer opens above its text box: canned replies after `/`, colleagues after `@`.
 * The text box (or the search field above the list) keeps the focus and drives it with the keyboard
 * (arrows, Enter, Esc); `activeIndex` is the highlighted option.
 */
export function ComposerPicker(props: {
  id: string;
  label: string;
  options: readonly PickerOption[];
  activeIndex: number;
  empty: string;
  loading?: boolean;
  onPick(option: PickerOption): void;
  onHover(index: number): void;
  /** A search field above the list (when the picker was opened with the button). */
  search?: ReactNode;
  footer?: ReactNode;
  testId: string;
}) {
  return (
    <div className="composer-picker" data-testid={props.testId}>
      {props.search}
      <div id={props.id} className="composer-picker-list" role="listbox" aria-label={props.label}>
        {props.options.map((o, i) => (
          <div
            key={o.id}
            id={`${props.id}-${i}`}
            role="option"
            aria-selected={i === props.activeIndex}
            className={`composer-picker-option${i === props.activeIndex ? ' is-active' : ''}`}
            // Keeps the focus in the text box, where the keyboard drives the list.
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => props.onHover(i)}
            onClick={() => props.onPick(o)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') props.onPick(o);
            }}
            tabIndex={-1}
            data-option-id={o.id}
          >
            <span className="composer-picker-primary">{o.primary}</span>
            {o.secondary && <span className="composer-picker-secondary">{o.secondary}</span>}
            {o.detail && <span className="composer-picker-detail">{o.detail}</span>}
          </div>
        ))}
      </div>
      {props.options.length === 0 && <p className="composer-picker-empty muted small">{props.loading ? '…' : props.empty}</p>}
      {props.footer}
    </div>
  );
}
