import type { Locale } from '@kefu/protocol';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Catalogue, en, type MessageKey } from './en';
import { zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

export type { MessageKey } from './en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];
const CATALOGUES: Record<Locale, Catalogue> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en };
const STORAGE_KEY = 'kefu.console.locale';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

interface I18nValue {
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Translate;
  /** Whether the catalogue has a key built at run time (`error.${code}`). */
  has(key: string): key is MessageKey;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);

  const value = useMemo<I18nValue>(() => {
    const catalogue = CATALOGUES[locale];
    return {
      locale,
      setLocale,
      t: (key, params) => interpolate(catalogue[key] ?? en[key] ?? key, params),
      has: (key): key is MessageKey => key in en,
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

export const useT = () => useI18n().t;

function interpolate(template: string, params?: Params) {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LOCALES as string[]).includes(saved)) return saved as Locale;
  } catch {
    // Storage blocked: fall through to the browser's languages.
  }
  return localeFromLanguages(typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]));
}

/** zh-TW for Traditional (TW, HK, MO, Hant), zh-CN for other Chinese, English otherwise. */
export function localeFromLanguages(languages: readonly string[]): Locale {
  for (const raw of languages) {
    const tag = raw.toLowerCase();
    if (tag.startsWith('zh')) return /hant|-tw|-hk|-mo/.test(tag) ? 'zh-TW' : 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
