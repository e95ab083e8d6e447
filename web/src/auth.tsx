import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from './types';

export interface AuthState {
  me: Me | null;
  setMe: (me: Me | null) => void;
}

export const AuthContext = createContext<AuthState>({ me: null, setMe: () => {} });

export function useAuth(): AuthState {
  return useContext(AuthContext);
}

/** Where to return after signing in: only same-site paths. */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/signin')) return '/';
  return next;
}
