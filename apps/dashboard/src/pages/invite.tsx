import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import type { InvitationLookup } from '../api/jobs';
import { Badge, ErrorNotice, Field, Loading } from '../components/ui';
import { formatDateTime } from '../lib/format';
import { useSessionApi } from '../session';

/** The token travels in the fragment (#token=…): browsers never send it to a server, so it is in no log. */
function tokenFromHash(): string | null {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  return hash.get('token');
}

export function InvitePage() {
  const [token] = useState(tokenFromHash);
  useEffect(() => {
    document.title = 'Accept invitation · Switchboard';
  }, []);
  const lookup = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => ok(api.POST('/api/v1/invitations/lookup', { body: { token: token! } })),
    enabled: token !== null,
    retry: false,
    staleTime: Infinity,
  });
  return (
    <div className="center-page">
      <main className="auth-card panel" id="main">
        <div className="brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={24} height={24} />
          Switchboard
        </div>
        <h1>Accept invitation</h1>
        {token === null ? (
          <div className="notice bad" role="alert">
            This link is incomplete. Open the whole invitation link you were sent, or ask for a new one.
          </div>
        ) : null}
        {lookup.isPending && token !== null ? <Loading label="Checking the invitation…" /> : null}
        {lookup.error ? <LinkRefused error={lookup.error} /> : null}
        {lookup.data && token ? <Accept token={token} invitation={lookup.data} /> : null}
      </main>
    </div>
  );
}

/** The API says why a link cannot be used (unknown, used, withdrawn, expired) in words meant for people. */
function LinkRefused(props: { error: unknown }) {
  const e = props.error;
  if (e instanceof ApiError && (e.status === 404 || e.status === 412) && e.message) {
    return (
      <div className="notice bad" role="alert">
        <strong>This invitation cannot be used</strong>
        {e.message}
      </div>
    );
  }
  return <ErrorNotice error={e} />;
}

function Accept(props: { token: string; invitation: InvitationLookup }) {
  const { state, signedIn } = useSessionApi();
  const navigate = useNavigate();
  const inv = props.invitation;
  const current = state.status === 'signed-in' ? state.session : null;
  // Signed in with a password as the invited person: the session proves who they are.
  const bySession =
    !inv.needsPassword &&
    current !== null &&
    current.method === 'password' &&
    current.boundTenant === null &&
    current.user.email.toLowerCase() === inv.email.toLowerCase();
  const byPassword = !inv.needsPassword && !bySession && inv.canSignInWithPassword !== false;
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inv.needsPassword && password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    setError(null);
    try {
      const session = await ok(
        api.POST('/api/v1/invitations/accept', {
          body: { token: props.token, ...(inv.needsPassword || byPassword ? { password } : {}) },
        }),
      );
      // The token is spent: drop it from the address bar and the history entry.
      window.history.replaceState(null, '', window.location.pathname);
      signedIn(session);
      navigate(`/t/${inv.tenant.slug}`, { replace: true });
    } catch (err) {
      setPassword('');
      setConfirm('');
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (!inv.needsPassword && !bySession && !byPassword) {
    return (
      <div className="notice warn" role="status">
        <strong>Sign in first</strong>
        {inv.email} already has an account that signs in through a company provider. Sign in to the dashboard
        as {inv.email}, then open this link again — or ask an admin of {inv.tenant.name} to add you directly.
      </div>
    );
  }

  return (
    <form onSubmit={submit}>
      <p>
        You are invited to <strong>{inv.tenant.name}</strong> as <Badge tone="info">{inv.role}</Badge>, with
        the email address <strong>{inv.email}</strong>.
      </p>
      <p className="small muted">The invitation expires {formatDateTime(inv.expiresAt)}.</p>
      <ErrorNotice error={error} />
      <input type="email" autoComplete="username" value={inv.email} readOnly hidden />
      {inv.needsPassword ? (
        <>
          <Field
            label="Choose a password"
            required
            hint="At least 12 characters; a passphrase is easiest to remember."
          >
            {(f) => (
              <input
                id={f.id}
                type="password"
                autoComplete="new-password"
                required
                minLength={12}
                aria-describedby={f.describedBy}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <Field label="Type it again" required error={mismatch ? 'The two passwords differ.' : null}>
            {(f) => (
              <input
                id={f.id}
                type="password"
                autoComplete="new-password"
                required
                aria-invalid={f.invalid}
                aria-describedby={f.describedBy}
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
            )}
          </Field>
        </>
      ) : null}
      {byPassword ? (
        <Field
          label="Your password"
          required
          hint="You already have an account: its password proves it is you."
        >
          {(f) => (
            <input
              id={f.id}
              type="password"
              autoComplete="current-password"
              required
              aria-describedby={f.describedBy}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
      ) : null}
      {bySession ? (
        <p>
          You are signed in as {inv.email}: joining adds {inv.tenant.name} to your account.
        </p>
      ) : null}
      <button type="submit" className="primary full" disabled={busy}>
        {busy ? 'Joining…' : `Join ${inv.tenant.name}`}
      </button>
    </form>
  );
}
