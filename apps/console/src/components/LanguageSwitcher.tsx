import type { Locale } from '@kefu/protocol';
import { useId } from 'react';
import { LOCALES, useI18n } from '../i18n/i18n';

export function LanguageSwitcher() {
  const { locale, setLocale, t } = useI18n();
  const id = useId();
  return (
    <div className="lang-switch">
      <label htmlFor={id} className="lang-switch-label">
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M2.5 10h15M10 2.5c2.2 2.4 2.2 12.6 0 15M10 2.5c-2.2 2.4-2.2 12.6 0 15" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
        <span className="sr-only">{t('header.language')}</span>
      </label>
      <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Locale)} data-testid="language-switcher">
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`locale.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
