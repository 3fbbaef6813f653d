import type { LoginResponse, Member, MeResponse, Workspace } from '@kefu/protocol';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiClient, ApiError } from '../api/client';

const STORAGE_KEY = 'kefu.console.session';

export interface Session {
  token: string;
  expiresAt: string;
  member: Member | null;
  workspace: Workspace;
}

interface SessionValue {
  session: Session | null;
  /** Set when the server ended the session (expired or revoked token), to explain the login page. */
  expired: boolean;
  api: ApiClient;
  login(email: string, password: string, workspace?: string): Promise<void>;
  logout(): Promise<void>;
  /** Drops a session the server no longer accepts and says so on the login page. */
  expire(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * Keeps the member session in localStorage (token plus the member and workspace it belongs to, so a
 * reload renders at once) and checks it against GET /v1/me in the background.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(readStored);
  const [expired, setExpired] = useState(false);

  const save = useCallback((s: Session | null) => {
    setSession(s);
    try {
      if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
      else localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage blocked: the session lasts for this page.
    }
  }, []);

  const expire = useCallback(() => {
    save(null);
    setExpired(true);
  }, [save]);

  const token = session?.token ?? null;
  const api = useMemo(() => new ApiClient({ token, onUnauthorized: expire }), [token, expire]);

  useEffect(() => {
    if (!token) return;
    const ctrl = new AbortController();
    api
      .get<MeResponse>('/v1/me', undefined, ctrl.signal)
      .then((me) => setSession((s) => (s && s.token === token ? { ...s, member: me.member, workspace: me.workspace } : s)))
      .catch(() => {
        // 401 already signed out through onUnauthorized; a network error keeps the cached session.
      });
    return () => ctrl.abort();
  }, [api, token]);

  const login = useCallback(
    async (email: string, password: string, workspace?: string) => {
      const anonymous = new ApiClient();
      const r = await anonymous.post<LoginResponse>('/v1/auth/login', { email, password, ...(workspace ? { workspace } : {}) });
      setExpired(false);
      save({ token: r.token, expiresAt: r.expiresAt, member: r.member, workspace: r.workspace });
    },
    [save],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/v1/auth/logout');
    } catch (err) {
      // The session is dropped locally either way; a dead token is already logged out.
      if (!(err instanceof ApiError)) throw err;
    } finally {
      setExpired(false);
      save(null);
    }
  }, [api, save]);

  const value = useMemo(() => ({ session, expired, api, login, logout, expire }), [session, expired, api, login, logout, expire]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The signed-in session; only for components rendered behind the login page. */
export function useSignedIn(): SessionValue & { session: Session } {
  const v = useSession();
  if (!v.session) throw new Error('useSignedIn without a session');
  return v as SessionValue & { session: Session };
}

function readStored(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s?.token || !s.workspace) return null;
    if (s.expiresAt && Date.parse(s.expiresAt) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}
