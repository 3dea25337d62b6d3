import { ApolloProvider } from '@apollo/client/react';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createShopClient } from '../apollo/create-client';
import { loadSession, SESSION_KEY, sessionFromToken, type Session } from './session';

interface SessionState {
  readonly session: Session | undefined;
  /** Why the last session ended, when it was not the user's choice (an expired token). */
  readonly notice: string | undefined;
  /** Throws TokenFormatError for something that is not a usable token. */
  signIn(token: string): Session;
  signOut(notice?: string): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession needs a SessionProvider');
  return state;
}

/** The longest a timer may wait in browsers (2^31 - 1 ms); a token living longer is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;

export function SessionProvider({ children, persistedQueries }: { children: ReactNode; persistedQueries: boolean }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession(window.localStorage));
  const [notice, setNotice] = useState<string | undefined>();

  const signOut = useCallback((reason?: string) => {
    window.localStorage.removeItem(SESSION_KEY);
    setSession(undefined);
    setNotice(reason);
  }, []);
  const signIn = useCallback((token: string) => {
    const next = sessionFromToken(token);
    window.localStorage.setItem(SESSION_KEY, next.token);
    setSession(next);
    setNotice(undefined);
    return next;
  }, []);

  // Another tab signed in or out.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_KEY || event.key === null) setSession(loadSession(window.localStorage));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  useEffect(() => {
    if (session?.expiresAt === undefined) return;
    const ms = Math.min(session.expiresAt * 1000 - Date.now(), MAX_TIMER_MS);
    const timer = window.setTimeout(() => signOut('Your sign-in expired. Please sign in again.'), Math.max(0, ms));
    return () => window.clearTimeout(timer);
  }, [session, signOut]);

  const client = useMemo(() => createShopClient({ token: session?.token, persistedQueries }), [session?.token, persistedQueries]);
  useEffect(() => () => client.dispose(), [client]);

  const value = useMemo(() => ({ session, notice, signIn, signOut }), [session, notice, signIn, signOut]);
  return (
    <SessionContext.Provider value={value}>
      <ApolloProvider client={client.apollo}>{children}</ApolloProvider>
    </SessionContext.Provider>
  );
}
