import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { call } from '../api/client';
import { ApiError } from '../api/errors';
import type { InvitationLookup } from '../api/jobs';
import { Badge, ErrorNotice, Field, Loading } from '../components/ui';
import { formatDateTime } from '../lib/format';
import { useSessionApi, type Session } from '../session';

/** The token travels in the fragment (#token=…): never sent to a server in a URL, never in logs. */
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
    queryFn: () => call<InvitationLookup>('POST', '/api/v1/invitations/lookup', { token }),
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
        {lookup.error ? (
          <div className="notice bad" role="alert">
            <strong>This invitation cannot be used</strong>
            {lookup.error instanceof ApiError && (lookup.error.status === 404 || lookup.error.status === 410)
              ? 'It may have expired, been used already or been revoked. Ask an admin of the tenant for a new one.'
              : null}
            <ErrorNotice
              error={lookup.error instanceof ApiError && lookup.error.status === 404 ? null : lookup.error}
            />
          </div>
        ) : null}
        {lookup.data && token ? <Accept token={token} invitation={lookup.data} /> : null}
      </main>
    </div>
  );
}

function Accept(props: { token: string; invitation: InvitationLookup }) {
  const { signedIn } = useSessionApi();
  const navigate = useNavigate();
  const inv = props.invitation;
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
      const session = await call<Session>('POST', '/api/v1/invitations/accept', {
        token: props.token,
        ...(inv.needsPassword ? { password } : {}),
      });
      // The token is spent: drop it from the address bar and history.
      window.history.replaceState(null, '', window.location.pathname);
      signedIn(session);
      navigate(`/t/${inv.tenant.slug}`, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit}>
      <p>
        You are invited to <strong>{inv.tenant.name}</strong> as <Badge tone="info">{inv.role}</Badge>, with
        the email address <strong>{inv.email}</strong>.
      </p>
      <p className="small muted">The invitation expires {formatDateTime(inv.expiresAt)}.</p>
      <ErrorNotice error={error} />
      {inv.needsPassword ? (
        <>
          <input type="email" autoComplete="username" value={inv.email} readOnly hidden />
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
      ) : (
        <p>You already have an account: accepting adds this tenant to it.</p>
      )}
      <button type="submit" className="primary full" disabled={busy}>
        {busy ? 'Joining…' : `Join ${inv.tenant.name}`}
      </button>
    </form>
  );
}
