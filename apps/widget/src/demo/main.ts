import './demo.css';
import { element } from '../chat/element.js';
import { ProblemError } from '../chat/problem-error.js';
import { detectLocale, errorKey, isLocale, type Locale, translator } from '../i18n.js';
import { renderDemoPage } from './demo-page.js';

const LOCALE_KEY = 'kefu.demo.locale';

interface DemoConfig {
  widgetKey: string;
  name: string;
}

type Kefu = ((...args: unknown[]) => void) & { q?: unknown[][] };
declare global {
  interface Window {
    kefu?: Kefu;
  }
}

/**
 * The demo shop page. The chat is the real embeddable widget: the same loader.js a customer's site adds
 * with one script tag, driven through the same `window.kefu` API.
 */
async function main() {
  let locale: Locale = savedLocale() ?? detectLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
  // Calls made before loader.js has run are queued and replayed by it.
  const kefu: Kefu = (window.kefu ??= Object.assign((...args: unknown[]) => (kefu.q ??= []).push(args), { q: [] as unknown[][] }));
  const page = renderDemoPage(document, document.querySelector<HTMLElement>('#app')!, {
    locale,
    onAsk: (text) => window.kefu?.('ask', text),
    onOpenChat: () => window.kefu?.('open'),
  });

  let config: DemoConfig;
  try {
    config = await loadDemoConfig();
  } catch (err) {
    showFatal(page.chatSlot, locale, err instanceof ProblemError ? err : ProblemError.network(err));
    return;
  }

  page.localePicker.addEventListener('change', () => {
    const next = page.localePicker.value;
    if (!isLocale(next) || next === locale) return;
    locale = next;
    saveLocale(next);
    page.setLocale(next);
    window.kefu?.('setLocale', next);
  });

  const script = document.createElement('script');
  script.src = '/widget/loader.js';
  script.async = true;
  script.dataset.widgetKey = config.widgetKey;
  script.dataset.locale = locale;
  document.head.append(script);
  kefu('open');
}

async function loadDemoConfig(): Promise<DemoConfig> {
  let res: Response;
  try {
    res = await fetch('/demo/config.json', { headers: { accept: 'application/json' } });
  } catch (err) {
    throw ProblemError.network(err);
  }
  if (!res.ok) throw await ProblemError.fromResponse(res);
  return (await res.json()) as DemoConfig;
}

function showFatal(slot: HTMLElement, locale: Locale, error: ProblemError) {
  const t = translator(locale);
  const key = errorKey(error.code);
  slot.removeAttribute('aria-hidden');
  slot.replaceChildren(
    element(document, 'div', { className: 'fatal', role: 'alert' }, [
      element(document, 'p', { className: 'fatal__title' }, [t('error.title')]),
      element(document, 'p', {}, [key ? t(key) : t('error.generic', { status: error.status })]),
      element(document, 'p', { className: 'fatal__code' }, [error.code]),
    ]),
  );
}

function savedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(LOCALE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

function saveLocale(locale: Locale) {
  try {
    localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    // Storage blocked: the choice lasts until the next reload.
  }
}

void main();
