import {
  type FrameMessage,
  type HostMessage,
  type Identity,
  isLocale,
  type Locale,
  parseFrameMessage,
  parseIdentity,
  parseStore,
  safeColor,
} from '../embed/bridge-messages.js';

/**
 * The embed loader: one `<script src=".../widget/loader.js" data-widget-key="kfw_…" async>` adds a
 * launcher button and, on first open, an iframe running the chat (frame.html) on the kefu origin. The
 * page talks to it through `window.kefu`; the two windows talk through validated postMessage only.
 */

type Listener = (data?: unknown) => void;
interface Settings {
  widgetKey?: string;
  locale?: string;
  color?: string;
  position?: string;
  logo?: string;
}
interface KefuApi {
  (...args: unknown[]): void;
  q?: unknown[][];
  loaded?: boolean;
  open(): void;
  close(): void;
  toggle(): void;
  identify(identity: Identity | null): void;
  setLocale(locale: Locale): void;
  ask(text: string): void;
  on(event: string, cb: Listener): () => void;
}

const TEXT: Record<Locale, { title: string; open: string; close: string; unread: string; dismiss: string }> = {
  'zh-CN': { title: '在线客服', open: '打开在线客服', close: '关闭在线客服', unread: '条未读消息', dismiss: '关闭提示' },
  'zh-TW': { title: '線上客服', open: '開啟線上客服', close: '關閉線上客服', unread: '則未讀訊息', dismiss: '關閉提示' },
  en: { title: 'Chat', open: 'Open chat', close: 'Close chat', unread: 'unread messages', dismiss: 'Dismiss' },
};

/** The greeting bubble's text in the visitor's language, else the nearest one the workspace wrote. */
const pickText = (texts: Record<string, unknown>, locale: Locale): string | null => {
  for (const l of [locale, locale === 'en' ? 'zh-CN' : locale === 'zh-TW' ? 'zh-CN' : 'zh-TW', 'en', 'zh-CN']) {
    const t = texts[l];
    if (typeof t === 'string' && t.trim()) return t.trim().slice(0, 500);
  }
  return null;
};

const CSS = `
:host{all:initial}
.l{position:fixed;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;display:grid;place-items:center;
color:#fff;background:var(--c);box-shadow:0 8px 24px rgb(0 0 0/.22);z-index:2147483646;padding:0;transition:transform .15s}
.l:hover{transform:scale(1.06)}.l:focus-visible{outline:3px solid #111;outline-offset:3px}
.l svg{width:28px;height:28px}.l img{width:34px;height:34px;border-radius:50%;object-fit:cover}
.b{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#c4322b;color:#fff;
font:600 12px/20px system-ui,sans-serif;box-sizing:border-box}
.f{position:fixed;bottom:92px;width:400px;height:min(640px,calc(100vh - 112px));border:0;border-radius:18px;background:#f6f8fc;
box-shadow:0 24px 60px -16px rgb(0 0 0/.35);z-index:2147483647;color-scheme:light}
.right{right:20px}.left{left:20px}[hidden]{display:none!important}
.p{position:fixed;bottom:92px;max-width:min(300px,calc(100vw - 40px));display:flex;align-items:flex-start;gap:6px;padding:12px 8px 12px 14px;
border-radius:14px;background:#fff;color:#1d2433;box-shadow:0 12px 32px -8px rgb(0 0 0/.3);z-index:2147483646;font:14px/1.5 system-ui,sans-serif;
animation:kfp .25s ease-out}
.p button{border:0;background:none;font:inherit;color:inherit;cursor:pointer;padding:0;text-align:start}
.p .t{white-space:pre-wrap;overflow-wrap:anywhere}.p .x{flex:none;width:24px;height:24px;border-radius:50%;display:grid;place-items:center;color:#5b6472}
.p .x svg{width:14px;height:14px}.p button:focus-visible{outline:2px solid #111;outline-offset:2px}.p .x:hover{background:#eef1f6}
@keyframes kfp{from{opacity:0;transform:translateY(8px)}}
@media (max-width:480px){.f{inset:0;width:100%;height:100%;border-radius:0}.open.l{display:none}}
@media (prefers-reduced-motion:reduce){.l{transition:none}.p{animation:none}}`;

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"><path d="M6 6l12 12M18 6 6 18"/></svg>';

function boot() {
  const w = window as unknown as { kefu?: KefuApi; kefuSettings?: Settings };
  if (w.kefu?.loaded) return;
  const script = (document.currentScript ?? document.querySelector('script[data-widget-key]')) as HTMLScriptElement | null;
  if (!script?.src) return;
  const src = new URL(script.src, location.href);
  const origin = src.origin;
  const data = script.dataset;
  const settings: Settings = { ...(w.kefuSettings ?? {}) };
  for (const k of ['widgetKey', 'locale', 'color', 'position', 'logo'] as const) if (data[k]) settings[k] = data[k];
  const widgetKey = settings.widgetKey;
  if (!widgetKey) {
    console.error('[kefu] data-widget-key is missing');
    return;
  }

  let locale: Locale | null = isLocale(settings.locale) ? settings.locale : null;
  let identity: Identity | null = null;
  let opened = false;
  let ready = false;
  let frame: HTMLIFrameElement | null = null;
  const listeners: Record<string, Set<Listener>> = {};
  const emit = (event: string, payload?: unknown) => {
    for (const cb of listeners[event] ?? []) {
      try {
        cb(payload);
      } catch (err) {
        console.error(err);
      }
    }
  };

  const host = document.createElement('div');
  host.setAttribute('data-kefu-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'l';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-haspopup', 'dialog');
  const face = document.createElement('span');
  const badge = document.createElement('span');
  badge.className = 'b';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(face, badge);
  root.append(style, launcher);

  let logo: string | null = null;
  let unread = 0;
  /** The greeting bubble's count towards the badge (1 while it is shown). */
  let greeting = 0;
  let bubble: HTMLElement | null = null;
  const browserLocale = (): Locale =>
    navigator.language.toLowerCase().startsWith('zh') ? (/hant|tw|hk|mo/i.test(navigator.language) ? 'zh-TW' : 'zh-CN') : 'en';
  const texts = () => TEXT[locale ?? browserLocale()];
  const render = () => {
    const t = texts();
    const count = unread + greeting;
    launcher.setAttribute('aria-label', (opened ? t.close : t.open) + (count && !opened ? `, ${count} ${t.unread}` : ''));
    launcher.setAttribute('aria-expanded', String(opened));
    launcher.classList.toggle('open', opened);
    if (opened || !logo) face.innerHTML = opened ? CLOSE_ICON : CHAT_ICON;
    else {
      const img = document.createElement('img');
      img.src = logo;
      img.alt = '';
      face.replaceChildren(img);
    }
    badge.hidden = opened || count === 0;
    badge.textContent = count > 99 ? '99+' : String(count);
  };
  const applyTheme = (theme: { color?: unknown; position?: unknown; logoUrl?: unknown }) => {
    // Data attributes win over the workspace's settings.
    const color = safeColor(settings.color) ?? safeColor(theme.color) ?? '#2f6df6';
    const position = settings.position === 'left' || settings.position === 'right' ? settings.position : theme.position === 'left' ? 'left' : 'right';
    const logoUrl = settings.logo ?? (typeof theme.logoUrl === 'string' ? theme.logoUrl : null);
    logo = logoUrl && /^https?:\/\//.test(logoUrl) ? logoUrl : null;
    host.style.setProperty('--c', color);
    for (const el of [launcher, frame, bubble]) {
      el?.classList.remove('left', 'right');
      el?.classList.add(position);
    }
    render();
  };
  applyTheme({});
  // A simple GET (key in the query, no custom header) needs no CORS preflight.
  fetch(`${origin}/v1/widget/config?key=${encodeURIComponent(widgetKey)}`)
    .then((r) => (r.ok ? r.json() : null))
    .then((config: { theme?: Record<string, unknown>; proactive?: { delaySeconds?: unknown; message?: Record<string, unknown> } | null } | null) => {
      if (config?.theme) applyTheme(config.theme);
      const p = config?.proactive;
      if (p?.message && !meta.a && !meta.p) {
        const delay = typeof p.delaySeconds === 'number' && p.delaySeconds >= 0 ? Math.min(p.delaySeconds, 600) : 10;
        setTimeout(() => showGreeting(p.message!), delay * 1000);
      }
    })
    .catch(() => {});

  /** What the loader remembers per site and widget key: `a` the visitor has a conversation, `p` the greeting was seen. */
  const metaKey = `kefu.widget.${widgetKey}.meta`;
  const meta: { a?: 1; p?: 1 } = (() => {
    try {
      const v = JSON.parse(localStorage.getItem(metaKey) ?? '{}');
      return v && typeof v === 'object' ? { ...(v.a === 1 ? { a: 1 as const } : {}), ...(v.p === 1 ? { p: 1 as const } : {}) } : {};
    } catch {
      return {};
    }
  })();
  const remember = (k: 'a' | 'p') => {
    if (meta[k]) return;
    meta[k] = 1;
    try {
      localStorage.setItem(metaKey, JSON.stringify(meta));
    } catch {
      // Storage blocked: the greeting may show again on the next page.
    }
  };

  /** The proactive greeting: a bubble beside the launcher that opens the chat, until opened or dismissed. */
  const showGreeting = (messages: Record<string, unknown>) => {
    const text = pickText(messages, locale ?? browserLocale());
    if (opened || meta.a || meta.p || bubble || !text) return;
    const t = texts();
    bubble = document.createElement('div');
    bubble.className = `p ${launcher.classList.contains('left') ? 'left' : 'right'}`;
    bubble.setAttribute('role', 'status');
    bubble.setAttribute('data-testid', 'kefu-greeting');
    const body = document.createElement('button');
    body.type = 'button';
    body.className = 't';
    body.textContent = text;
    body.addEventListener('click', () => api.open());
    const x = document.createElement('button');
    x.type = 'button';
    x.className = 'x';
    x.innerHTML = CLOSE_ICON;
    x.setAttribute('aria-label', t.dismiss);
    x.title = t.dismiss;
    x.addEventListener('click', () => {
      hideGreeting();
      launcher.focus();
    });
    bubble.append(body, x);
    root.append(bubble);
    greeting = 1;
    render();
    emit('unread', unread + greeting);
  };
  const hideGreeting = () => {
    remember('p');
    if (!bubble) return;
    bubble.remove();
    bubble = null;
    greeting = 0;
    render();
  };

  const post = (msg: HostMessage) => {
    if (frame?.contentWindow && ready) frame.contentWindow.postMessage(msg, origin);
  };

  const createFrame = () => {
    frame = document.createElement('iframe');
    const url = new URL('frame.html', src);
    url.searchParams.set('key', widgetKey);
    url.searchParams.set('host', location.origin);
    if (locale) url.searchParams.set('locale', locale);
    frame.src = url.toString();
    frame.className = `f ${launcher.classList.contains('left') ? 'left' : 'right'}`;
    frame.title = texts().title;
    frame.setAttribute('allow', 'clipboard-write');
    frame.hidden = true;
    root.append(frame);
  };

  window.addEventListener('message', (event) => {
    // Only our own frame, from the kefu origin; anything else (other frames, the page itself) is ignored.
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    const msg: FrameMessage | null = parseFrameMessage(event.data);
    if (!msg) return;
    if (msg.type === 'ready') {
      ready = true;
      post({ source: 'kefu', type: 'boot', identity, locale, store: readStore() });
      if (opened) post({ source: 'kefu', type: 'open' });
      for (const text of pendingAsks.splice(0)) post({ source: 'kefu', type: 'ask', text });
      emit('ready');
    } else if (msg.type === 'unread') {
      unread = msg.count;
      render();
      emit('unread', msg.count);
    } else if (msg.type === 'store') {
      const store = readStore();
      if (msg.value === null) delete store[msg.key];
      else store[msg.key] = msg.value;
      try {
        localStorage.setItem(storeKey, JSON.stringify(store));
      } catch {
        // The page forbids storage too: the chat forgets on reload.
      }
    } else if (msg.type === 'active') {
      remember('a');
      hideGreeting();
    } else if (msg.type === 'close-request') {
      api.close();
      launcher.focus();
    } else emit('error', { code: msg.code });
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && opened) {
      api.close();
      launcher.focus();
    }
  });
  launcher.addEventListener('click', () => api.toggle());

  const pendingAsks: string[] = [];
  const storeKey = `kefu.widget.${widgetKey}`;
  const readStore = (): Record<string, string> => {
    try {
      return parseStore(JSON.parse(localStorage.getItem(storeKey) ?? '{}')) ?? {};
    } catch {
      return {};
    }
  };
  const api = Object.assign((...args: unknown[]) => call(args), {
    loaded: true,
    open() {
      if (opened) return;
      if (!frame) createFrame();
      opened = true;
      hideGreeting();
      frame!.hidden = false;
      render();
      post({ source: 'kefu', type: 'open' });
      frame!.focus();
      emit('open');
    },
    close() {
      if (!opened) return;
      opened = false;
      if (frame) frame.hidden = true;
      render();
      post({ source: 'kefu', type: 'close' });
      emit('close');
    },
    toggle() {
      if (opened) api.close();
      else api.open();
    },
    identify(value: Identity | null) {
      const parsed = value === null ? null : parseIdentity(value);
      if (value !== null && !parsed) {
        console.error('[kefu] identify() needs { id, name?, email?, attributes?, hash? } with short strings');
        return;
      }
      identity = parsed;
      post({ source: 'kefu', type: 'identify', identity });
    },
    setLocale(next: Locale) {
      if (!isLocale(next)) return;
      locale = next;
      render();
      post({ source: 'kefu', type: 'locale', locale: next });
    },
    ask(text: string) {
      if (typeof text !== 'string' || !text.trim()) return;
      api.open();
      if (ready) post({ source: 'kefu', type: 'ask', text });
      else pendingAsks.push(text);
    },
    on(event: string, cb: Listener) {
      if (typeof cb !== 'function') return () => {};
      const set = (listeners[event] ??= new Set());
      set.add(cb);
      return () => set.delete(cb);
    },
  }) as KefuApi;

  /** `kefu('open')`, `kefu('identify', {...})`: the queued form of every method. */
  function call(args: unknown[]) {
    const [name, ...rest] = args;
    const method = typeof name === 'string' && name !== 'q' && name !== 'loaded' ? (api as unknown as Record<string, unknown>)[name] : undefined;
    if (typeof method === 'function') (method as (...a: unknown[]) => void)(...rest);
  }

  const queued = w.kefu?.q ?? [];
  w.kefu = api;
  (document.body ?? document.documentElement).append(host);
  for (const args of queued) call(Array.from(args));
  // A visitor who has written before gets the chat loaded (hidden) once the page is idle, so replies that
  // arrive while they browse show on the launcher's badge.
  if (meta.a && !frame) {
    const early = () => {
      if (!frame) createFrame();
    };
    if ('requestIdleCallback' in window) requestIdleCallback(early, { timeout: 3000 });
    else setTimeout(early, 1500);
  }
}

boot();
