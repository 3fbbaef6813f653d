import '../chat/chat-panel.css';
import './frame.css';
import { type ChatPanel, createChatPanel } from '../chat/chat-panel.js';
import { ChatSession } from '../chat/chat-session.js';
import { element as el } from '../chat/element.js';
import { icon } from '../chat/icon.js';
import { type SessionStore, webSessionStore } from '../chat/session-store.js';
import { VisitorApi } from '../chat/visitor-api.js';
import { type HostMessage, type Identity, parseHostMessage } from '../embed/bridge-messages.js';
import { detectLocale, isLocale, LOCALE_NAMES, LOCALES, type Locale, translator } from '../i18n.js';

const SHORT_LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'zh-CN': '简', 'zh-TW': '繁', en: 'EN' };

/**
 * The chat app inside the widget iframe (frame.html?key=…&host=<page origin>&locale=…). It talks to the
 * loader on the host page only: messages go to exactly `host`, and only messages from `window.parent`
 * with that origin and a valid shape are read.
 */
const params = new URLSearchParams(location.search);
const widgetKey = params.get('key') ?? '';
const host = validOrigin(params.get('host'));
const embedded = window.parent !== window && host !== null;
const app = document.querySelector<HTMLElement>('#app')!;

let locale: Locale =
  ((isLocale(params.get('locale')) ? params.get('locale') : null) as Locale | null) ??
  detectLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
let isOpen = !embedded;
let title: string | undefined;
let themeColor: string | null = null;
let current: { session: ChatSession; panel: ChatPanel; picker: HTMLSelectElement } | null = null;
let unread = 0;
/** Saved sessions the loader keeps in the page's storage, for when this frame's own storage is blocked. */
let pageSaved: Record<string, string> = {};
const api = (identity: Identity | null) => new VisitorApi({ baseUrl: location.origin, widgetKey, ...(identity ? { contact: contactOf(identity) } : {}) });

function post(
  msg:
    | { type: 'store'; key: string; value: string | null }
    | { type: 'ready' }
    | { type: 'unread'; count: number }
    | { type: 'active' }
    | { type: 'close-request' }
    | { type: 'error'; code: string },
) {
  if (embedded) window.parent.postMessage({ source: 'kefu', ...msg }, host);
}

/** One visitor (anonymous, or the identified user) = one saved session; a new identity gets its own. */
function startSession(identity: Identity | null) {
  current?.session.dispose();
  current?.panel.destroy();
  const storeKey = `kefu.w.${widgetKey}.${identity ? `${identity.id}:${identity.hash ?? ''}` : 'anon'}`;
  currentStoreKey = storeKey;
  latestAt = '';
  const session = new ChatSession({
    api: api(identity),
    store: storageWorks() ? webSessionStore(storeKey) : pageStore(storeKey),
    widgetKey,
    locale,
    // The site said who the visitor is: no pre-chat form.
    identified: identity !== null,
  });
  const panel = createChatPanel(document, { session, locale, ...(title ? { title } : {}) });
  const picker = el(document, 'select', { className: 'kf-frame__locale', 'data-testid': 'frame-locale' });
  // The header is narrow: short names in the picker (its label and each option's title say it in full).
  for (const l of LOCALES) {
    const option = new Option(SHORT_LOCALE_NAMES[l], l, false, l === locale);
    option.title = LOCALE_NAMES[l];
    picker.append(option);
  }
  picker.addEventListener('change', () => {
    if (isLocale(picker.value) && picker.value !== locale) switchLocale(picker.value, true);
  });
  const close = el(document, 'button', { type: 'button', className: 'kf-frame__close', 'data-testid': 'frame-close' }, [icon(document, 'close')]);
  close.addEventListener('click', () => post({ type: 'close-request' }));
  close.hidden = !embedded;
  const labels = () => {
    const t = translator(locale);
    picker.setAttribute('aria-label', t('frame.language'));
    close.setAttribute('aria-label', t('frame.close'));
    close.title = t('frame.close');
  };
  labels();
  picker.addEventListener('kf-relabel', labels);
  panel.element.querySelector('.kf-chat__header')?.append(el(document, 'div', { className: 'kf-frame__controls' }, [picker, close]));
  if (themeColor) panel.element.style.setProperty('--kf-primary', themeColor);
  app.replaceChildren(panel.element);

  const seen = new Set<string>();
  let settled = false;
  let active = false;
  // Replies newer than the last time the chat was open count as unread, also those that came while the
  // visitor was on another page (the loader loads the frame early for visitors who have written).
  const seenAt = readValue(seenKey(storeKey)) ?? '';
  session.on((event) => {
    if (event.type === 'item' && event.item.state === 'sent') {
      const author = event.item.message.author.type;
      if (event.item.message.createdAt > latestAt) {
        latestAt = event.item.message.createdAt;
        // On screen now: read. Kept at once, not on close, so leaving the page right after closing loses nothing.
        if (isOpen) markSeen();
      }
      if ((author === 'bot' || author === 'agent') && !seen.has(event.item.key)) {
        seen.add(event.item.key);
        if (!isOpen && (settled ? true : seenAt !== '' && event.item.message.createdAt > seenAt)) post({ type: 'unread', count: ++unread });
      }
      if (author === 'contact' && !active) {
        active = true;
        post({ type: 'active' });
      }
    }
    if (event.type === 'error' && event.error.code === 'IDENTITY_INVALID') post({ type: 'error', code: event.error.code });
  });
  current = { session, panel, picker };
  void session.open().then(() => {
    settled = true;
    if (session.locale !== locale) switchLocale(session.locale, false);
  });
}

function switchLocale(next: Locale, startNew: boolean) {
  locale = next;
  document.documentElement.lang = next;
  if (!current) return;
  current.picker.value = next;
  current.picker.dispatchEvent(new Event('kf-relabel'));
  current.panel.setLocale(next);
  // The greeting, suggestions and the bot's language belong to the conversation: start one in the new language.
  if (startNew) void current.session.start(next);
}

function onHostMessage(msg: HostMessage) {
  switch (msg.type) {
    case 'boot':
      pageSaved = msg.store;
      if (msg.locale && !current) locale = msg.locale;
      document.documentElement.lang = locale;
      if (!current) startSession(msg.identity);
      break;
    case 'identify':
      startSession(msg.identity);
      break;
    case 'open':
      isOpen = true;
      unread = 0;
      post({ type: 'unread', count: 0 });
      markSeen();
      current?.panel.focus();
      break;
    case 'close':
      isOpen = false;
      markSeen();
      break;
    case 'locale':
      if (msg.locale !== locale) switchLocale(msg.locale, true);
      break;
    case 'ask':
      current?.panel.ask(msg.text);
      break;
  }
}

async function main() {
  document.documentElement.lang = locale;
  try {
    const config = await api(null).getConfig();
    title = config.workspace.name;
    current?.panel.setTitle(title);
    const color = config.theme?.color;
    if (color && /^#[0-9a-fA-F]{6}$/.test(color)) themeColor = color;
    if (themeColor) current?.panel.element.style.setProperty('--kf-primary', themeColor);
  } catch {
    // The chat itself reports an unusable key (WIDGET_KEY_INVALID) when it starts.
  }
  if (!embedded) {
    startSession(null);
    return;
  }
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || event.origin !== host) return;
    const msg = parseHostMessage(event.data);
    if (msg) onHostMessage(msg);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') post({ type: 'close-request' });
  });
  // Leaving the page with the chat open: what was on screen counts as read on the next page.
  addEventListener('pagehide', () => {
    if (isOpen) markSeen();
  });
  post({ type: 'ready' });
}

function contactOf(identity: Identity) {
  return {
    externalId: identity.id,
    ...(identity.name ? { name: identity.name } : {}),
    ...(identity.email ? { email: identity.email } : {}),
    ...(identity.attributes ? { attributes: identity.attributes } : {}),
    ...(identity.hash ? { hash: identity.hash } : {}),
  };
}

/** Third-party iframes often may not use storage (Safari, Chrome with third-party cookies blocked). */
function storageWorks(): boolean {
  try {
    localStorage.setItem('kefu.probe', '1');
    localStorage.removeItem('kefu.probe');
    return true;
  } catch {
    return false;
  }
}

const seenKey = (storeKey: string) => `${storeKey}.seen`;
let currentStoreKey = '';
/** The newest message time shown (the server's clock, so the visitor's clock does not matter). */
let latestAt = '';

/** The newest message the visitor has had in front of them, kept beside the saved session (frame storage, else the page's). */
function markSeen() {
  if (currentStoreKey && latestAt) writeValue(seenKey(currentStoreKey), latestAt);
}

function readValue(key: string): string | null {
  if (!storageWorks()) return pageSaved[key] ?? null;
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeValue(key: string, value: string) {
  if (!storageWorks()) {
    pageSaved[key] = value;
    post({ type: 'store', key, value });
    return;
  }
  try {
    localStorage.setItem(key, value);
  } catch {
    // Full or blocked: unread counts start from the next reply.
  }
}

/** A SessionStore backed by the host page's storage through the loader (same shape as webSessionStore's). */
function pageStore(key: string): SessionStore {
  const web = webSessionStore(key, () => ({ getItem: (k: string) => pageSaved[k] ?? null }) as Storage);
  return {
    load: () => web.load(),
    save(session) {
      pageSaved[key] = JSON.stringify(session);
      post({ type: 'store', key, value: pageSaved[key] });
    },
    clear() {
      delete pageSaved[key];
      post({ type: 'store', key, value: null });
    },
  };
}

function validOrigin(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : null;
  } catch {
    return null;
  }
}

void main();
