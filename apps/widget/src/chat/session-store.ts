import type { Locale } from '@kefu/protocol';
import { isLocale } from '../i18n.js';

/** What a visitor needs to come back to their conversation after a reload. */
export interface SavedSession {
  widgetKey: string;
  conversationId: string;
  visitorToken: string;
  locale: Locale;
}

export interface SessionStore {
  load(): SavedSession | null;
  save(session: SavedSession): void;
  clear(): void;
}

/**
 * Keeps the session in Web Storage. Storage can be missing or throw (private mode, blocked third-party
 * storage inside an iframe); the chat then still works, it just forgets on reload.
 */
export function webSessionStore(key: string, storage: () => Storage = () => globalThis.localStorage): SessionStore {
  return {
    load() {
      try {
        const raw = storage().getItem(key);
        if (!raw) return null;
        const value = JSON.parse(raw) as Partial<SavedSession>;
        if (typeof value.widgetKey !== 'string' || typeof value.conversationId !== 'string' || typeof value.visitorToken !== 'string') return null;
        if (!isLocale(value.locale)) return null;
        return value as SavedSession;
      } catch {
        return null;
      }
    },
    save(session) {
      try {
        storage().setItem(key, JSON.stringify(session));
      } catch {
        // Best effort, see above.
      }
    },
    clear() {
      try {
        storage().removeItem(key);
      } catch {
        // Best effort, see above.
      }
    },
  };
}

/** For tests and for hosts that forbid storage. */
export function memorySessionStore(): SessionStore {
  let saved: SavedSession | null = null;
  return {
    load: () => saved,
    save: (session) => {
      saved = session;
    },
    clear: () => {
      saved = null;
    },
  };
}
