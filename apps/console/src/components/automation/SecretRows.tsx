import { useT } from '../../i18n/i18n';
import { newSecretRow, type SecretRow } from '../../lib/action-form';

/**
 * An action's secrets. Values are write-only: a stored secret shows only that it is set, and can be
 * replaced (a new value typed) or removed; a new one gets a name and a value.
 */
export function SecretRows({ rows, onChange, messagesFor }: { rows: SecretRow[]; onChange(rows: SecretRow[]): void; messagesFor(row: SecretRow): string[] }) {
  const t = useT();
  const set = (id: number, patch: Partial<SecretRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="secret-rows" data-testid="action-secrets">
      {rows.length === 0 && <p className="muted small">{t('actions.secrets.none')}</p>}
      {rows.map((r, i) => {
        const messages = messagesFor(r);
        return (
          <div key={r.id} className={`secret-row is-${r.state}${messages.length ? ' is-invalid' : ''}`} data-secret={r.name}>
            <div className="secret-line">
              {r.state === 'new' ? (
                <input
                  className="kb-input kb-mono secret-name-input"
                  value={r.name}
                  onChange={(e) => set(r.id, { name: e.target.value })}
                  placeholder="API_TOKEN"
                  aria-label={t('actions.secrets.name', { n: i + 1 })}
                  aria-invalid={messages.length > 0 || undefined}
                  spellCheck={false}
                  autoComplete="off"
                />
              ) : (
                <code className="secret-name">{r.name}</code>
              )}
              {r.state === 'keep' && <span className="badge badge-resolved">{t('actions.secrets.set')}</span>}
              {r.state === 'remove' && <span className="badge badge-muted">{t('actions.secrets.removing')}</span>}
              {(r.state === 'new' || r.state === 'replace') && (
                <input
                  className="kb-input kb-mono secret-value"
                  type="password"
                  value={r.value}
                  onChange={(e) => set(r.id, { value: e.target.value })}
                  placeholder={t(r.state === 'new' ? 'actions.secrets.valuePlaceholder' : 'actions.secrets.newValuePlaceholder')}
                  aria-label={t('actions.secrets.value', { name: r.name || String(i + 1) })}
                  autoComplete="new-password"
                />
              )}
              <span className="secret-actions">
                {r.state === 'keep' && (
                  <>
                    <button type="button" className="btn btn-small" onClick={() => set(r.id, { state: 'replace', value: '' })}>
                      {t('actions.secrets.replace')}
                    </button>
                    <button type="button" className="btn btn-small btn-ghost btn-danger-text" onClick={() => set(r.id, { state: 'remove' })}>
                      {t('kb.remove')}
                    </button>
                  </>
                )}
                {(r.state === 'replace' || r.state === 'remove') && (
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => set(r.id, { state: 'keep', value: '' })}>
                    {t('actions.secrets.keep')}
                  </button>
                )}
                {r.state === 'new' && (
                  <button
                    type="button"
                    className="btn-icon"
                    onClick={() => onChange(rows.filter((x) => x.id !== r.id))}
                    aria-label={t('actions.field.removeRow', { name: r.name || String(i + 1) })}
                    title={t('actions.field.removeRow', { name: r.name || String(i + 1) })}
                  >
                    ×
                  </button>
                )}
              </span>
            </div>
            {messages.length > 0 && <p className="field-error">{messages.join(' · ')}</p>}
          </div>
        );
      })}
      <button type="button" className="btn btn-small btn-ghost kv-add" onClick={() => onChange([...rows, newSecretRow()])}>
        + {t('actions.secrets.add')}
      </button>
    </div>
  );
}
