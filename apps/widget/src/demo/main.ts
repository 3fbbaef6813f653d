import '../chat/chat-panel.css';
import './demo.css';
import { ChatSession } from '../chat/chat-session.js';
import { createChatPanel } from '../chat/chat-panel.js';
import { ProblemError } from '../chat/problem-error.js';
import { webSessionStore } from '../chat/session-store.js';
import { VisitorApi } from '../chat/visitor-api.js';
import { detectLocale, errorKey, isLocale, LOCALE_NAMES, LOCALES, type Locale, type MessageKey, translator } from '../i18n.js';

const SESSION_KEY = 'kefu.demo.session';
const LOCALE_KEY = 'kefu.demo.locale';

interface DemoConfig {
  widgetKey: string;
  name: string;
}

/** The demo shop page: a static introduction around one chat panel talking to the demo workspace. */
async function main() {
  const store = webSessionStore(SESSION_KEY);
  // A saved conversation keeps its language; otherwise the visitor's last pick, then the browser's.
  let locale: Locale = store.load()?.locale ?? savedLocale() ?? detectLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);

  const picker = document.querySelector<HTMLSelectElement>('#locale')!;
  for (const l of LOCALES) picker.append(new Option(LOCALE_NAMES[l], l, false, l === locale));
  translatePage(locale);

  const slot = document.querySelector<HTMLElement>('#chat')!;
  let config: DemoConfig;
  try {
    config = await loadDemoConfig();
  } catch (err) {
    showFatal(slot, locale, err instanceof ProblemError ? err : ProblemError.network(err));
    return;
  }

  const api = new VisitorApi({ baseUrl: location.origin, widgetKey: config.widgetKey });
  const session = new ChatSession({ api, store, widgetKey: config.widgetKey, locale });
  const panel = createChatPanel(document, { session, locale, title: config.name });
  slot.replaceChildren(panel.element);

  picker.addEventListener('change', () => {
    if (!isLocale(picker.value) || picker.value === locale) return;
    locale = picker.value;
    saveLocale(locale);
    translatePage(locale);
    panel.setLocale(locale);
    // The greeting, suggestions and the bot's language belong to the conversation: start one in the new language.
    void session.start(locale);
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-ask]')) {
    button.addEventListener('click', () => panel.ask(button.textContent ?? ''));
  }

  await session.open();
  if (session.locale !== locale) {
    locale = session.locale;
    picker.value = locale;
    translatePage(locale);
    panel.setLocale(locale);
  }
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

function translatePage(locale: Locale) {
  const t = translator(locale);
  document.documentElement.lang = locale;
  document.title = t('page.title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n as MessageKey);
  }
}

function showFatal(slot: HTMLElement, locale: Locale, error: ProblemError) {
  const t = translator(locale);
  const box = document.createElement('div');
  box.className = 'fatal';
  box.setAttribute('role', 'alert');
  const title = document.createElement('p');
  title.className = 'fatal__title';
  title.textContent = t('error.title');
  const message = document.createElement('p');
  const key = errorKey(error.code);
  message.textContent = key ? t(key) : t('error.generic', { status: error.status });
  const code = document.createElement('p');
  code.className = 'fatal__code';
  code.textContent = error.code;
  box.append(title, message, code);
  slot.replaceChildren(box);
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
    // Storage blocked: the choice lasts until reload.
  }
}

void main();
