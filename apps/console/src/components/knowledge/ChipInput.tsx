import { type ClipboardEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { useT } from '../../i18n/i18n';

interface Props {
  value: string[];
  onChange(next: string[]): void;
  /** Accessible name of the whole control. */
  label: string;
  placeholder?: string;
  max?: number;
  maxLength?: number;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  testId?: string;
  /** Suggestions offered while typing (existing tags). */
  suggestions?: readonly string[];
}

/** Comma, Enter and Chinese commas split. */
const SEPARATORS = /[,，、;；\n]+/;

/**
 * Chips with a text box: Enter or a comma adds what was typed, Backspace in the empty box removes the
 * last chip, a pasted list becomes several chips. Enter while an IME is composing picks a candidate.
 */
export function ChipInput({ value, onChange, label, placeholder, max, maxLength = 50, disabled, invalid, describedBy, testId, suggestions }: Props) {
  const t = useT();
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();

  const add = (raw: string) => {
    const parts = raw
      .split(SEPARATORS)
      .map((s) => s.trim())
      .filter(Boolean);
    if (parts.length === 0) return false;
    const next = [...value];
    for (const p of parts) if (!next.includes(p) && (max === undefined || next.length < max)) next.push(p);
    onChange(next);
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === 'Enter' || e.key === ',' || e.key === '，') {
      if (!draft.trim()) {
        if (e.key !== 'Enter') e.preventDefault();
        return;
      }
      e.preventDefault();
      if (add(draft)) setDraft('');
    } else if (e.key === 'Backspace' && draft === '' && value.length > 0) {
      e.preventDefault();
      onChange(value.slice(0, -1));
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData('text');
    if (!SEPARATORS.test(text)) return;
    e.preventDefault();
    add(draft + text);
    setDraft('');
  };

  const full = max !== undefined && value.length >= max;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: clicking the frame only focuses the text box, which has its own keys
    // biome-ignore lint/a11y/noStaticElementInteractions: as above
    <div
      className={`chip-input${disabled ? ' is-disabled' : ''}${invalid ? ' is-invalid' : ''}`}
      onClick={(e) => {
        if (e.target === e.currentTarget) input.current?.focus();
      }}
      data-testid={testId}
    >
      <ul className="chip-list" aria-label={label}>
        {value.map((v, i) => (
          <li key={v} className="chip-item">
            <span className="chip-text">{v}</span>
            {!disabled && (
              <button
                type="button"
                className="chip-remove"
                onClick={() => onChange(value.filter((_, j) => j !== i))}
                aria-label={t('kb.chip.remove', { value: v })}
              >
                <svg viewBox="0 0 10 10" width="8" height="8" aria-hidden="true">
                  <path d="M1.5 1.5l7 7M8.5 1.5l-7 7" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
                </svg>
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <input
          ref={input}
          className="chip-draft"
          value={draft}
          maxLength={maxLength}
          disabled={full}
          placeholder={full ? t('kb.chip.full') : placeholder}
          aria-label={label}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          list={suggestions?.length ? listId : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => {
            if (add(draft)) setDraft('');
          }}
        />
      )}
      {suggestions && suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions
            .filter((s) => !value.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      )}
    </div>
  );
}
