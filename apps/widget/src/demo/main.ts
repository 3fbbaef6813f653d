import '../chat/chat-panel.css';
import './demo.css';
import { createChatPanel } from '../chat/chat-panel.js';
import { ChatSession } from '../chat/chat-session.js';
import { element } from '../chat/element.js';
import { ProblemError } from '../chat/problem-error.js';
import { webSessionStore } from '../chat/session-store.js';
import { VisitorApi } from '../chat/visitor-api.js';
import { detectLocale, errorKey, isLocale, type Locale, translator } from '../i18n.js';
import { renderDemoPage } from './demo-page.js';

const SESSION_KEY = 'kefu.demo.session';
const LOCALE_KEY = 'kefu.demo.locale';

interface DemoConfig {
  widgetKey: string;
  name: string;
}

/** The demo page: the shop's introduction around one chat panel talking to the demo workspace. */
async function main() {
  const store = webSessionStore(SESSION_KEY);
  // A saved conversation keeps its language; otherwise the visitor's last pick, then the browser's.
  let locale: Locale = store.load()?.locale ?? savedLocale() ?? detectLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
  let ask: (text: string) => void = () => {};
  const page = renderDemoPage(document, document.querySelector<HTMLElement>('#app')!, { locale, onAsk: (text) => ask(text) });

  let config: DemoConfig;
  try {
    config = await loadDemoConfig();
  } catch (err) {
    showFatal(page.chatSlot, locale, err instanceof ProblemError ? err : ProblemError.network(err));
    return;
  }

  const api = new VisitorApi({ baseUrl: location.origin, widgetKey: config.widgetKey });
  const session = new ChatSession({ api, store, widgetKey: config.widgetKey, locale });
  const panel = createChatPanel(document, { session, locale, title: config.name });
  page.chatSlot.replaceChildren(panel.element);
  ask = (text) => panel.ask(text);

  const switchTo = (next: Locale) => {
    locale = next;
    page.setLocale(next);
    panel.setLocale(next);
  };
  page.localePicker.addEventListener('change', () => {
    const next = page.localePicker.value;
    if (!isLocale(next) || next === locale) return;
    saveLocale(next);
    switchTo(next);
    // The greeting, the suggestions and the bot's language belong to the conversation: start one in the new language.
    void session.start(next);
  });

  await session.open();
  if (session.locale !== locale) switchTo(session.locale);
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
