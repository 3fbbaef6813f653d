import { type MessageKey, useT } from '../../i18n/i18n';
import type { FaqAudience, FaqStatus } from '../../lib/faq-form';

export function FaqStatusBadge({ status }: { status: FaqStatus }) {
  const t = useT();
  return <span className={`badge kb-status kb-status-${status}`}>{t(`kb.status.${status}`)}</span>;
}

export function AudienceBadge({ audience }: { audience: FaqAudience }) {
  const t = useT();
  return (
    <span className={`badge kb-audience kb-audience-${audience}`} title={t(`kb.audienceHint.${audience}`)}>
      {audience === 'internal' && (
        <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
          <rect x="2.5" y="5.5" width="7" height="5" rx="1" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M4 5.5V4a2 2 0 0 1 4 0v1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        </svg>
      )}
      {t(`kb.audience.${audience}`)}
    </span>
  );
}

const LANGUAGE_KEY: Record<string, MessageKey> = { 'zh-CN': 'language.zh-Hans', 'zh-TW': 'language.zh-Hant', en: 'language.en' };

/** The content language of an entry (zh-CN, zh-TW, en), in words. */
export function faqLanguageLabel(language: string | null | undefined, t: (k: MessageKey) => string) {
  if (!language) return null;
  const key = LANGUAGE_KEY[language];
  return key ? t(key) : language;
}

export function FaqLanguageBadge({ language }: { language: string | null }) {
  const t = useT();
  const label = faqLanguageLabel(language, t);
  if (!label) return null;
  return <span className="badge badge-lang">{label}</span>;
}
