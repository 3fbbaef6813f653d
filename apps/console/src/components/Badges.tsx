import type { ConversationStatus, Language } from '@kefu/protocol';
import { useT } from '../i18n/i18n';

export function StatusBadge({ status }: { status: ConversationStatus }) {
  const t = useT();
  return <span className={`badge badge-status badge-${status}`}>{t(`status.${status}`)}</span>;
}

export function LanguageBadge({ language, compact = false }: { language: Language | null | undefined; compact?: boolean }) {
  const t = useT();
  const label = language ? t(`language.${language}`) : t('language.unknown');
  if (!language) return compact ? null : <span className="badge badge-lang badge-muted">{label}</span>;
  return (
    <span className={`badge badge-lang lang-${language}`} title={label}>
      {compact ? (
        <>
          <span aria-hidden="true">{t(`languageShort.${language}`)}</span>
          <span className="sr-only">{label}</span>
        </>
      ) : (
        label
      )}
    </span>
  );
}
