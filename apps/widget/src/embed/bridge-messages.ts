/**
 * The postMessage protocol between the loader (host page) and the frame (kefu origin). Hand-written
 * validation instead of zod keeps both bundles small; anything that does not match exactly is ignored.
 */
export type Locale = 'zh-CN' | 'zh-TW' | 'en';

export interface Identity {
  id: string;
  name?: string;
  email?: string;
  attributes?: Record<string, string | number | boolean>;
  hash?: string;
}

/** Frame → host page. */
export type FrameMessage =
  | { source: 'kefu'; type: 'ready' }
  | { source: 'kefu'; type: 'unread'; count: number }
  | { source: 'kefu'; type: 'close-request' }
  /** The visitor has written in their conversation: the loader loads the frame early on later pages, for the unread badge. */
  | { source: 'kefu'; type: 'active' }
  | { source: 'kefu'; type: 'error'; code: string }
  /** The frame's own storage is blocked (third-party iframe): it keeps its saved session in the page's. */
  | { source: 'kefu'; type: 'store'; key: string; value: string | null };

/** Host page → frame. */
export type HostMessage =
  | { source: 'kefu'; type: 'boot'; identity: Identity | null; locale: Locale | null; store: Record<string, string> }
  | { source: 'kefu'; type: 'identify'; identity: Identity | null }
  | { source: 'kefu'; type: 'open' }
  | { source: 'kefu'; type: 'close' }
  | { source: 'kefu'; type: 'locale'; locale: Locale }
  | { source: 'kefu'; type: 'ask'; text: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;
const optStr = (v: unknown, max: number) => v === undefined || str(v, max);

export const isLocale = (v: unknown): v is Locale => v === 'zh-CN' || v === 'zh-TW' || v === 'en';

/** An identity as identify() takes it; null when anything is off (wrong types, too long, extra keys). */
export function parseIdentity(v: unknown): Identity | null {
  if (!isObj(v) || !str(v.id, 200) || !(v.id as string).trim()) return null;
  if (!optStr(v.name, 200) || !optStr(v.email, 254) || !optStr(v.hash, 128)) return null;
  for (const key of Object.keys(v)) if (!['id', 'name', 'email', 'attributes', 'hash'].includes(key)) return null;
  let attributes: Identity['attributes'];
  if (v.attributes !== undefined) {
    if (!isObj(v.attributes)) return null;
    attributes = {};
    const entries = Object.entries(v.attributes);
    if (entries.length > 50) return null;
    for (const [k, a] of entries) {
      if (k.length > 64) return null;
      if (!(str(a, 500) || typeof a === 'number' || typeof a === 'boolean')) return null;
      attributes[k] = a as string | number | boolean;
    }
  }
  const out: Identity = { id: v.id as string };
  if (v.name !== undefined) out.name = v.name as string;
  if (v.email !== undefined) out.email = v.email as string;
  if (attributes) out.attributes = attributes;
  if (v.hash !== undefined) out.hash = v.hash as string;
  return out;
}

export function parseFrameMessage(data: unknown): FrameMessage | null {
  if (!isObj(data) || data.source !== 'kefu') return null;
  switch (data.type) {
    case 'ready':
    case 'close-request':
    case 'active':
      return { source: 'kefu', type: data.type };
    case 'unread':
      return Number.isInteger(data.count) && (data.count as number) >= 0 && (data.count as number) < 1e6
        ? { source: 'kefu', type: 'unread', count: data.count as number }
        : null;
    case 'store':
      return str(data.key, 300) && (data.value === null || str(data.value, 4000))
        ? { source: 'kefu', type: 'store', key: data.key as string, value: data.value as string | null }
        : null;
    case 'error':
      return str(data.code, 64) && /^[A-Z_]+$/.test(data.code as string) ? { source: 'kefu', type: 'error', code: data.code as string } : null;
    default:
      return null;
  }
}

export function parseHostMessage(data: unknown): HostMessage | null {
  if (!isObj(data) || data.source !== 'kefu') return null;
  switch (data.type) {
    case 'open':
    case 'close':
      return { source: 'kefu', type: data.type };
    case 'boot': {
      const identity = data.identity === null ? null : parseIdentity(data.identity);
      if (data.identity !== null && !identity) return null;
      if (data.locale !== null && !isLocale(data.locale)) return null;
      const store = parseStore(data.store);
      if (!store) return null;
      return { source: 'kefu', type: 'boot', identity, locale: data.locale as Locale | null, store };
    }
    case 'identify': {
      const identity = data.identity === null ? null : parseIdentity(data.identity);
      if (data.identity !== null && !identity) return null;
      return { source: 'kefu', type: 'identify', identity };
    }
    case 'locale':
      return isLocale(data.locale) ? { source: 'kefu', type: 'locale', locale: data.locale } : null;
    case 'ask':
      return str(data.text, 4000) && (data.text as string).trim() ? { source: 'kefu', type: 'ask', text: data.text as string } : null;
    default:
      return null;
  }
}

/** Saved sessions kept for the frame: a few short strings. */
export function parseStore(v: unknown): Record<string, string> | null {
  if (!isObj(v)) return null;
  const entries = Object.entries(v);
  if (entries.length > 20 || entries.some(([k, s]) => k.length > 300 || !str(s, 4000))) return null;
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `#rrggbb` only: the colour goes into a style, so nothing else may pass. */
export const safeColor = (v: unknown): string | null => (typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v) ? v : null);
