import { newRow, type Row } from '../../lib/action-form';

/**
 * Name/value pairs as rows of two text boxes (headers, response mapping, test arguments), with add
 * and remove. `messagesFor` gives a row's problems, shown under it.
 */
export function KeyValueRows(props: {
  rows: Row[];
  onChange(rows: Row[]): void;
  keyLabel: string;
  valueLabel: string;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  /** Between the two boxes: `:` for a header, `←` for a slot filled from a path. */
  joiner: string;
  addLabel: string;
  removeLabel(name: string): string;
  messagesFor?: (row: Row) => string[];
  disabled?: boolean;
  testId?: string;
}) {
  const { rows, onChange } = props;
  const set = (id: number, patch: Partial<Row>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="kv-rows" data-testid={props.testId}>
      {rows.length > 0 && (
        <div className="kv-row kv-head" aria-hidden="true">
          <span>{props.keyLabel}</span>
          <span />
          <span>{props.valueLabel}</span>
        </div>
      )}
      {rows.map((r, i) => {
        const messages = props.messagesFor?.(r) ?? [];
        return (
          <div key={r.id} className={`kv-item${messages.length ? ' is-invalid' : ''}`} data-row={i}>
            <div className="kv-row">
              <input
                className="kb-input kb-mono"
                value={r.key}
                onChange={(e) => set(r.id, { key: e.target.value })}
                placeholder={props.keyPlaceholder}
                aria-label={`${props.keyLabel} ${i + 1}`}
                aria-invalid={messages.length > 0 || undefined}
                disabled={props.disabled}
                spellCheck={false}
                autoComplete="off"
                data-field="key"
              />
              <span className="kv-joiner" aria-hidden="true">
                {props.joiner}
              </span>
              <input
                className="kb-input kb-mono"
                value={r.value}
                onChange={(e) => set(r.id, { value: e.target.value })}
                placeholder={props.valuePlaceholder}
                aria-label={`${props.valueLabel} ${i + 1}`}
                disabled={props.disabled}
                spellCheck={false}
                autoComplete="off"
                data-field="value"
              />
              <button
                type="button"
                className="btn-icon kv-remove"
                onClick={() => onChange(rows.filter((x) => x.id !== r.id))}
                aria-label={props.removeLabel(r.key || String(i + 1))}
                title={props.removeLabel(r.key || String(i + 1))}
                disabled={props.disabled}
              >
                ×
              </button>
            </div>
            {messages.length > 0 && <p className="field-error">{messages.join(' · ')}</p>}
          </div>
        );
      })}
      <button type="button" className="btn btn-small btn-ghost kv-add" onClick={() => onChange([...rows, newRow()])} disabled={props.disabled}>
        + {props.addLabel}
      </button>
    </div>
  );
}
