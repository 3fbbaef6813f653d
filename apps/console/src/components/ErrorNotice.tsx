import type { FieldError } from '@kefu/protocol';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/error-text';

interface Props {
  error: unknown;
  onDismiss?: () => void;
  compact?: boolean;
  /** Field errors to list instead of all of them: a form that shows some beside their fields passes the rest. */
  fields?: readonly FieldError[];
  children?: ReactNode;
}

/** An API problem (application/problem+json) or network failure, in words, with field errors listed. */
export function ErrorNotice({ error, onDismiss, compact = false, fields, children }: Props) {
  const { t, has } = useI18n();
  if (!error) return null;
  const e = errorText(error, t, has);
  const listed = fields ?? e.fields;
  return (
    <div className={`notice notice-error${compact ? ' notice-compact' : ''}`} role="alert" data-code={e.code}>
      <div className="notice-body">
        <strong className="notice-message">{e.message}</strong>
        {e.detail && !compact && <span className="notice-detail">{e.detail}</span>}
        {listed.length > 0 && (
          <ul className="notice-fields">
            {listed.map((f) => (
              <li key={`${f.field}:${f.code}`}>
                <code>{f.field}</code> {f.message}
              </li>
            ))}
          </ul>
        )}
        {e.requestId && !compact && <span className="notice-meta">{t('error.requestId', { id: e.requestId })}</span>}
        {children}
      </div>
      {onDismiss && (
        <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}
