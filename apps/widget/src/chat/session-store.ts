import type { Locale } from '@kefu/protocol';
import { isLocale } from '../i18n.js';

/** A message written while the network was down, kept until the server has it. */
export interface OutboxEntry {
  clientMessageId: string;
  text: string;
  createdAt: string;
}

/** What a visitor needs to come back to their conversation after a reload. */
export interface SavedSession {
  widgetKey: string;
  conversationId: string;
  visitorToken: string;
  locale: Locale;
  /** What they gave in the pre-chat form (a new conversation does not ask again). */
  details?: { name?: string; email?: string; phone?: string };
  /** Messages not yet delivered: sent again after a reload, with the same clientMessageId. */
  outbox?: OutboxEntry[];
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** Only well-formed entries survive a reload; anything else in storage is dropped. */
function parseOutbox(v: unknown): OutboxEntry[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v
    .filter((e): e is OutboxEntry => typeof e === 'object' && e !== null && str(e.clientMessageId, 100) && str(e.text, 20_000) && str(e.createdAt, 40))
    .slice(0, 50)
    .map(({ clientMessageId, text, createdAt }) => ({ clientMessageId, text, createdAt }));
}

function parseDetails(v: unknown): SavedSession['details'] {
  if (typeof v !== 'object' || v === null) return undefined;
  const d = v as Record<string, unknown>;
  const out: NonNullable<SavedSession['details']> = {};
  for (const k of ['name', 'email', 'phone'] as const) if (str(d[k], 254)) out[k] = d[k];
  return out;
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
        const outbox = parseOutbox(value.outbox);
        const details = parseDetails(value.details);
        return {
          widgetKey: value.widgetKey,
          conversationId: value.conversationId,
          visitorToken: value.visitorToken,
          locale: value.locale,
          ...(details ? { details } : {}),
          ...(outbox?.length ? { outbox } : {}),
        };
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
