import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import { ErrorNotice, Field } from '../components/ui';
import { useSessionApi, type Session } from '../session';

const SSO_TENANT = 'switchboard.ssoTenant';

/** Why single sign-on sent the browser back without a session (`?signin_error=`), in plain words. */
export const SIGNIN_ERRORS: Record<string, string> = {
  not_member: 'Your company account is not a member of this tenant. Ask one of its admins to invite you.',
  domain_not_allowed: 'Accounts of your email domain cannot sign in to this tenant.',
  email_unverified: 'Your identity provider has not verified your email address.',
  no_email: 'Your identity provider did not tell us your email address.',
  account_disabled: 'Your account is disabled. Ask an admin of your tenant.',
  configuration_changed: 'The tenant changed its sign-in settings while you were signing in. Start again.',
  idp_error: 'Your identity provider refused the sign-in.',
  discovery_failed: 'Your identity provider could not be reached. Try again later or tell your admin.',
  address_refused: 'Your identity provider is at an address this server may not reach. Tell your admin.',
  invalid_response: 'Your identity provider answered in a way we could not verify. Start again.',
  token_failed: 'Your identity provider did not complete the sign-in. Start again.',
};

/** Only paths inside the dashboard: never an open redirect. */
function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/sign-in') ? next : '/';
}

function storedTenant(): string {
  try {
    return localStorage.getItem(SSO_TENANT) ?? '';
  } catch {
    return '';
  }
}

export function SignInPage() {
  const { state, signedIn } = useSessionApi();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const signinError = params.get('signin_error');

  useEffect(() => {
    document.title = 'Sign in · Switchboard';
  }, []);

  if (state.status === 'signed-in') return <Navigate to={next} replace />;

  return (
    <div className="center-page">
      <main className="auth-card panel" id="main">
        <div className="brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={24} height={24} />
          Switchboard
        </div>
        <h1>Sign in</h1>
        {params.get('ended') ? (
          <div className="notice info" role="status">
            Your session ended. Sign in again to carry on where you were.
          </div>
        ) : null}
        {signinError ? (
          <div className="notice bad" role="alert">
            <strong>Single sign-on did not work</strong>
            {SIGNIN_ERRORS[signinError] ?? 'The sign-in was refused. Start again.'}
          </div>
        ) : null}
        <PasswordForm onSignedIn={signedIn} />
        <div className="divider">or</div>
        <SingleSignOn initialTenant={params.get('tenant') ?? storedTenant()} next={next} />
      </main>
    </div>
  );
}

function PasswordForm(props: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await ok(api.POST('/api/v1/session', { body: { email: email.trim(), password } }));
      props.onSignedIn(session);
    } catch (err) {
      setPassword('');
      setError(
        err instanceof ApiError && err.status === 401
          ? new ApiError(
              401,
              'invalid_argument',
              'That email and password do not match an account that may sign in here',
            )
          : err,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit}>
      <ErrorNotice error={error} />
      <Field label="Email" required>
        {(f) => (
          <input
            id={f.id}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        )}
      </Field>
      <Field label="Password" required>
        {(f) => (
          <input
            id={f.id}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="primary full" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** "Continue with <IdP>" for tenants that sign in through their own OpenID Connect provider. */
function SingleSignOn(props: { initialTenant: string; next: string }) {
  const inputId = useId();
  const [tenant, setTenant] = useState(props.initialTenant);
  const [lookedUp, setLookedUp] = useState<string | null>(props.initialTenant.trim().toLowerCase() || null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const providers = useQuery({
    queryKey: ['sign-in-providers', lookedUp],
    queryFn: async () => {
      const found = await ok(
        api.GET('/api/v1/session/providers', { params: { query: { tenant: lookedUp! } } }),
      );
      try {
        localStorage.setItem(SSO_TENANT, lookedUp!);
      } catch {
        // storage disabled: nothing to remember
      }
      return found.providers;
    },
    enabled: lookedUp !== null,
    retry: false,
  });

  async function start(slug: string) {
    setStarting(true);
    setError(null);
    try {
      const back = `/admin/sign-in?${new URLSearchParams({ tenant: slug, next: props.next }).toString()}`;
      const { redirectUrl } = await ok(
        api.POST('/api/v1/session/sso', { body: { tenant: slug, returnTo: back } }),
      );
      window.location.assign(redirectUrl);
    } catch (e) {
      setError(e);
      setStarting(false);
    }
  }

  const list = lookedUp !== null && providers.data ? providers.data : null;
  return (
    <div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setLookedUp(tenant.trim().toLowerCase() || null);
        }}
      >
        <div className="field">
          <label htmlFor={inputId}>Company sign-in</label>
          <div className="field-row">
            <input
              id={inputId}
              type="text"
              aria-describedby={`${inputId}-hint`}
              autoComplete="organization"
              value={tenant}
              onChange={(e) => {
                setTenant(e.target.value);
                setLookedUp(null);
              }}
              placeholder="acme"
            />
            <button type="submit" disabled={providers.isFetching || tenant.trim() === ''}>
              Find
            </button>
          </div>
          <div className="hint" id={`${inputId}-hint`}>
            Your organisation&apos;s name in Switchboard, as in its MCP URL (/t/name/mcp).
          </div>
        </div>
      </form>
      <ErrorNotice error={error ?? providers.error} />
      <div aria-live="polite">
        {list && list.length === 0 ? (
          <p className="muted small">This organisation has no single sign-on: use your email and password.</p>
        ) : null}
        {list?.map((p) => (
          <button
            key={p.tenant}
            type="button"
            className="primary full"
            disabled={starting}
            onClick={() => void start(p.tenant)}
          >
            Continue with {p.name}
          </button>
        ))}
      </div>
    </div>
  );
}
