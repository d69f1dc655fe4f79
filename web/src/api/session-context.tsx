import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, setCsrfToken, setSessionLostHandler } from './api-client.js';
import { ApiError } from './api-error.js';
import { roleCan } from './permissions.js';
import type { Permission, SessionInfo } from './types.js';

export interface SignInInput {
  name: string;
  password: string;
  totpCode?: string;
}

interface SessionState {
  /** Undefined while the first check runs, null when signed out. */
  session: SessionInfo | null | undefined;
  signIn(input: SignInInput): Promise<void>;
  signOut(): Promise<void>;
  can(permission: Permission): boolean;
}

const SessionContext = createContext<SessionState | null>(null);

/** Holds who is signed in and the CSRF token every state-changing call echoes. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);

  const adopt = useCallback((next: SessionInfo | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
  }, []);

  useEffect(() => {
    loadSession().then(adopt, () => adopt(null));
    setSessionLostHandler(() => adopt(null));
    return () => setSessionLostHandler(null);
  }, [adopt]);

  const signIn = useCallback(
    async (input: SignInInput) => {
      await api.post<unknown>('/session', input);
      adopt(await loadSession());
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    await api.delete<unknown>('/session').catch(() => undefined);
    adopt(null);
  }, [adopt]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      signIn,
      signOut,
      can: (permission) => (session ? roleCan(session.role, permission) : false),
    }),
    [session, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

async function loadSession(): Promise<SessionInfo | null> {
  try {
    return await api.get<SessionInfo>('/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new TypeError('useSession needs a SessionProvider above it');
  return state;
}
