import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useParams } from 'react-router';
import { api, ok, onUnauthenticated, setCsrfToken, type Schemas } from './api/client';
import { ApiError } from './api/errors';
import { ErrorNotice, Loading } from './components/ui';

export type Session = Schemas['Session'];
export type Role = Session['tenants'][number]['role'];

type State =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly ended: boolean }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'signed-in'; readonly session: Session };

interface SessionApi {
  readonly state: State;
  /** After a sign-in or an accepted invitation: the answer is the session. */
  signedIn(session: Session): void;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SESSION_KEY = ['session'];
const SessionContext = createContext<SessionApi | null>(null);

/** The current session, or null when signed out (401). */
async function fetchSession(): Promise<Session | null> {
  try {
    const session = await ok(api.GET('/api/v1/session'));
    setCsrfToken(session.csrfToken);
    return session;
  } catch (e) {
    setCsrfToken(null);
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function SessionProvider(props: { children: ReactNode }) {
  const queries = useQueryClient();
  const [ended, setEnded] = useState(false);
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, retry: 1 });

  useEffect(() => {
    // Any API call answering 401: the session ended (idle, expired, or signed out elsewhere).
    onUnauthenticated(() => {
      setCsrfToken(null);
      setEnded(true);
      queries.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      queries.setQueryData(SESSION_KEY, null);
    });
    return () => onUnauthenticated(null);
  }, [queries]);

  const value = useMemo<SessionApi>(() => {
    const state: State = session.isPending
      ? { status: 'loading' }
      : session.isError
        ? { status: 'error', error: session.error }
        : session.data
          ? { status: 'signed-in', session: session.data }
          : { status: 'signed-out', ended };
    return {
      state,
      async refresh() {
        await queries.invalidateQueries({ queryKey: SESSION_KEY });
      },
      signedIn(s) {
        setCsrfToken(s.csrfToken);
        setEnded(false);
        queries.setQueryData(SESSION_KEY, s);
      },
      async signOut() {
        try {
          await ok(api.DELETE('/api/v1/session'));
        } finally {
          setCsrfToken(null);
          setEnded(false);
          queries.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
          queries.setQueryData(SESSION_KEY, null);
        }
      },
    };
  }, [session.isPending, session.isError, session.error, session.data, ended, queries]);
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSessionApi(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSessionApi outside SessionProvider');
  return s;
}

/** The signed-in session (inside RequireSession). */
export function useSession(): Session {
  const { state } = useSessionApi();
  if (state.status !== 'signed-in') throw new Error('useSession outside RequireSession');
  return state.session;
}

/** Renders its children only when signed in; sends everyone else to the sign-in page and back. */
export function RequireSession(props: { children: ReactNode }) {
  const { state, refresh } = useSessionApi();
  const location = useLocation();
  if (state.status === 'loading') return <Loading label="Checking your session…" />;
  if (state.status === 'error')
    return (
      <div className="center-page">
        <ErrorNotice error={state.error} onRetry={() => void refresh()} />
      </div>
    );
  if (state.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    const params = new URLSearchParams({ next });
    if (state.ended) params.set('ended', '1');
    return <Navigate to={`/sign-in?${params.toString()}`} replace />;
  }
  return <>{props.children}</>;
}

export interface TenantScope {
  readonly slug: string;
  readonly name: string;
  readonly role: Role;
  readonly status: 'active' | 'suspended';
  /** Owners and admins manage; members test connections and keep their own keys; viewers read. */
  readonly canManage: boolean;
  readonly isOwner: boolean;
}

/** The tenant named in the URL, with the caller's role in it (null when they are not a member). */
export function useTenant(): TenantScope | null {
  const { tenant } = useParams();
  const session = useSession();
  const t = session.tenants.find((x) => x.slug === tenant);
  if (!t) return null;
  return {
    slug: t.slug,
    name: t.name,
    role: t.role,
    status: t.status,
    canManage: t.role === 'owner' || t.role === 'admin',
    isOwner: t.role === 'owner',
  };
}

/** Inside the tenant routes, where the layout has already checked membership. */
export function useTenantScope(): TenantScope {
  const t = useTenant();
  if (!t) throw new Error('useTenantScope outside a tenant the caller belongs to');
  return t;
}
