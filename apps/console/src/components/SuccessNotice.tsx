import { useT } from '../i18n/i18n';

/** A dismissible confirmation ("Deleted …", "Saved …") at the top of a page. */
export function SuccessNotice({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  const t = useT();
  return (
    <div className="notice notice-success" role="status">
      <div className="notice-body">
        <strong className="notice-message">{message}</strong>
      </div>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
        ×
      </button>
    </div>
  );
}
