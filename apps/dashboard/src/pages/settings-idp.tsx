import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError, fieldErrors } from '../api/errors';
import type { IdentityProvider } from '../api/jobs';
import { useToast } from '../components/toast';
import { Badge, ConfirmButton, CopyField, ErrorNotice, Field, Panel, QueryStatus } from '../components/ui';
import { formatDateTime } from '../lib/format';
import { useTenantScope } from '../session';

/** Sign-in through the tenant's own OpenID Connect provider (Okta, Entra ID, Google Workspace…). */
export function IdentityProviderPanel() {
  const tenant = useTenantScope();
  const key = ['tenant', tenant.slug, 'identity-provider'];
  const idp = useQuery({
    queryKey: key,
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/identity-provider', { params: { path: { tenant: tenant.slug } } }),
      ),
  });
  const redirectUri = idp.data?.provider?.redirectUri ?? `${window.location.origin}/oauth/upstream/callback`;
  return (
    <Panel title="Sign-in provider">
      <p className="muted">
        Let members sign in with their company account through your OpenID Connect provider, in the dashboard
        and when connecting Claude.
      </p>
      <QueryStatus query={idp} />
      {idp.data ? (
        <>
          <p>
            {idp.data.provider ? (
              <>
                <Badge tone="ok">configured</Badge>{' '}
                <span className="small muted">updated {formatDateTime(idp.data.provider.updatedAt)}</span>
              </>
            ) : (
              <Badge>not configured</Badge>
            )}
          </p>
          <div className="field">
            <span className="label">Redirect URI to register with your provider</span>
            <CopyField value={redirectUri} label="Redirect URI" />
          </div>
          {tenant.canManage ? (
            <IdpForm
              key={idp.data.provider?.updatedAt ?? 'none'}
              provider={idp.data.provider}
              queryKey={key}
            />
          ) : idp.data.provider ? (
            <ul>
              <li>Issuer: {idp.data.provider.issuer}</li>
              <li>Client ID: {idp.data.provider.clientId}</li>
              <li>Domains: {idp.data.provider.domains.join(', ') || '—'}</li>
            </ul>
          ) : null}
        </>
      ) : null}
    </Panel>
  );
}

function IdpForm(props: { provider: IdentityProvider | null; queryKey: unknown[] }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const p = props.provider;
  const [issuer, setIssuer] = useState(p?.issuer ?? '');
  const [displayName, setDisplayName] = useState(p?.displayName ?? '');
  const [clientId, setClientId] = useState(p?.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [domains, setDomains] = useState((p?.domains ?? []).join(', '));
  const [jitRole, setJitRole] = useState<'' | 'member' | 'viewer'>(p?.jitRole ?? '');
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PUT('/api/v1/tenants/{tenant}/identity-provider', {
          params: { path: { tenant: tenant.slug } },
          body: {
            issuer: issuer.trim(),
            clientId: clientId.trim(),
            ...(secret ? { clientSecret: secret } : {}),
            ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
            domains: domains
              .split(/[\s,]+/)
              .map((d) => d.trim().toLowerCase())
              .filter(Boolean),
            jitRole: jitRole === '' ? null : jitRole,
          },
        }),
      ),
    onSuccess: async () => {
      setSecret('');
      await queries.invalidateQueries({ queryKey: props.queryKey });
      toast('Sign-in provider saved');
    },
    onError: () => setSecret(''),
  });
  const errors = save.error instanceof ApiError ? fieldErrors(save.error.issues) : {};
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit}>
      <ErrorNotice error={save.error} />
      <div className="grid-2">
        <Field label="Issuer URL" required hint="e.g. https://acme.okta.com" error={errors.issuer}>
          {(f) => (
            <input
              id={f.id}
              type="url"
              required
              aria-describedby={f.describedBy}
              aria-invalid={f.invalid}
              value={issuer}
              onChange={(e) => setIssuer(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Button label"
          hint="The sign-in page shows “Continue with …” and this name, e.g. Okta or Acme SSO."
          error={errors.displayName}
        >
          {(f) => (
            <input
              id={f.id}
              type="text"
              aria-describedby={f.describedBy}
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Client ID" required error={errors.clientId}>
          {(f) => (
            <input
              id={f.id}
              type="text"
              required
              aria-invalid={f.invalid}
              value={clientId}
              onChange={(e) => setClientId(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Client secret"
          hint={
            p?.clientSecretSet
              ? 'A secret is set. Leave empty to keep it; type a new one to replace it.'
              : 'Write-only: it is never shown again.'
          }
          error={errors.clientSecret}
        >
          {(f) => (
            <input
              id={f.id}
              type="password"
              autoComplete="new-password"
              aria-describedby={f.describedBy}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Email domains"
          hint="Comma-separated, e.g. acme.com. Only these accounts may sign in this way."
          error={errors.domains}
        >
          {(f) => (
            <input
              id={f.id}
              type="text"
              aria-describedby={f.describedBy}
              value={domains}
              onChange={(e) => setDomains(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="New people from these domains"
          hint="Join on their first sign-in with this role, or must be invited first."
          error={errors.jitRole}
        >
          {(f) => (
            <select
              id={f.id}
              aria-describedby={f.describedBy}
              value={jitRole}
              onChange={(e) => setJitRole(e.target.value as '' | 'member' | 'viewer')}
            >
              <option value="">Must be invited first</option>
              <option value="member">Join as member</option>
              <option value="viewer">Join as viewer</option>
            </select>
          )}
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save sign-in provider
        </button>
        {p ? (
          <ConfirmButton
            label="Remove provider"
            title="Remove the sign-in provider?"
            message={
              <p>
                Members who only sign in through it cannot sign in until it is set again or they get a
                password.
              </p>
            }
            onConfirm={async () => {
              await ok(
                api.DELETE('/api/v1/tenants/{tenant}/identity-provider', {
                  params: { path: { tenant: tenant.slug } },
                }),
              );
              await queries.invalidateQueries({ queryKey: props.queryKey });
              toast('Sign-in provider removed');
            }}
          />
        ) : null}
      </div>
    </form>
  );
}
