import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { ApiError, fieldErrors } from '../api/errors';
import { useToast } from '../components/toast';
import {
  Badge,
  ConfirmButton,
  CopyButton,
  EmptyState,
  ErrorNotice,
  Field,
  PageHeader,
  Panel,
  QueryStatus,
} from '../components/ui';
import { formatDateTime, formatRelative } from '../lib/format';
import { useTenantScope } from '../session';

type Scope = 'mcp' | 'mcp:read' | 'mcp:write' | 'mcp:admin' | 'admin';

const SCOPES: readonly { scope: Scope; says: string; adminOnly?: boolean }[] = [
  { scope: 'mcp', says: 'use every tool the holder’s role allows' },
  { scope: 'mcp:read', says: 'read-only tools only' },
  { scope: 'mcp:write', says: 'read and write tools' },
  { scope: 'mcp:admin', says: 'admin-level tools too' },
  { scope: 'admin', says: 'the admin API (automation)', adminOnly: true },
];

export function ApiKeysPage() {
  const tenant = useTenantScope();
  const [showRevoked, setShowRevoked] = useState(false);
  const list = useQuery({
    queryKey: ['tenant', tenant.slug, 'api-keys', showRevoked],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/api-keys', {
          params: {
            path: { tenant: tenant.slug },
            query: { limit: 200, includeRevoked: showRevoked ? 'true' : 'false' },
          },
        }),
      ),
  });
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          tenant.canManage
            ? 'Keys for scripts and MCP clients that cannot sign in. Each key acts as the member holding it.'
            : 'Your keys for scripts and MCP clients that cannot sign in. They act as you.'
        }
      />
      {tenant.role !== 'viewer' ? <CreateKey /> : null}
      <Panel
        title="Keys"
        actions={
          <label className="checkbox">
            <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
            Show revoked keys
          </label>
        }
      >
        <QueryStatus query={list} />
        {list.data && list.data.items.length === 0 ? <EmptyState>No keys.</EmptyState> : null}
        {list.data && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Holder</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((k) => (
                  <KeyRow key={k.id} apiKey={k} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>
    </>
  );
}

function KeyRow(props: { apiKey: Schemas['ApiKey'] }) {
  const tenant = useTenantScope();
  const [now] = useState(() => Date.now());
  const queries = useQueryClient();
  const toast = useToast();
  const k = props.apiKey;
  const expired = k.expiresAt !== null && new Date(k.expiresAt).getTime() < now;
  return (
    <tr>
      <td>{k.name}</td>
      <td>
        <code>{k.prefix}…</code>
      </td>
      <td className="small">{k.userEmail ?? '—'}</td>
      <td>
        <div className="row">
          {k.scopes.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </div>
      </td>
      <td>{formatRelative(k.lastUsedAt)}</td>
      <td>{k.expiresAt ? formatDateTime(k.expiresAt) : 'never'}</td>
      <td>
        {k.revokedAt ? (
          <Badge tone="bad">revoked {formatRelative(k.revokedAt)}</Badge>
        ) : expired ? (
          <Badge tone="warn">expired</Badge>
        ) : (
          <ConfirmButton
            label="Revoke"
            accessibleLabel={`Revoke ${k.name}`}
            title={`Revoke ${k.name}?`}
            message={<p>Anything using this key stops working at once. This cannot be undone.</p>}
            onConfirm={async () => {
              await ok(
                api.DELETE('/api/v1/tenants/{tenant}/api-keys/{keyId}', {
                  params: { path: { tenant: tenant.slug, keyId: k.id } },
                }),
              );
              await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug, 'api-keys'] });
              toast(`${k.name} revoked`);
            }}
          />
        )}
      </td>
    </tr>
  );
}

function CreateKey() {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['mcp']);
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<{ key: string; name: string; prefix: string } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/tenants/{tenant}/api-keys', {
          params: { path: { tenant: tenant.slug } },
          body: { name: name.trim(), scopes, ...(days ? { expiresInDays: Number(days) } : {}) },
        }),
      ),
    onSuccess: async (answer) => {
      setCreated({ key: answer.key, name: answer.apiKey.name, prefix: answer.apiKey.prefix });
      setName('');
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug, 'api-keys'] });
    },
  });
  const errors = create.error instanceof ApiError ? fieldErrors(create.error.issues) : {};
  function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(null);
    create.mutate();
  }
  return (
    <Panel title="Create a key">
      <form onSubmit={submit}>
        <ErrorNotice error={create.error} />
        <div className="grid-2">
          <Field label="Name" required hint="What uses it, e.g. “nightly report script”." error={errors.name}>
            {(f) => (
              <input
                id={f.id}
                type="text"
                required
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field label="Expires after" error={errors.expiresInDays}>
            {(f) => (
              <select id={f.id} value={days} onChange={(e) => setDays(e.target.value)}>
                <option value="7">7 days</option>
                <option value="30">30 days</option>
                <option value="90">90 days</option>
                <option value="365">1 year</option>
                <option value="">Never</option>
              </select>
            )}
          </Field>
        </div>
        <fieldset>
          <legend>What the key may do</legend>
          {SCOPES.filter((s) => !s.adminOnly || tenant.canManage).map((s) => (
            <label key={s.scope} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(s.scope)}
                onChange={(e) =>
                  setScopes((x) => (e.target.checked ? [...x, s.scope] : x.filter((y) => y !== s.scope)))
                }
              />
              <code>{s.scope}</code> <span className="muted">— {s.says}</span>
            </label>
          ))}
          <p />
        </fieldset>
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || name.trim() === '' || scopes.length === 0}
        >
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      <div aria-live="polite">
        {created ? (
          <div className="notice warn">
            <p />
            <strong>Copy the key “{created.name}” now</strong>
            <p>It is shown only this once. Afterwards only its start ({created.prefix}…) is shown.</p>
            <div className="row">
              <code className="secret-once" aria-label="The new API key">
                {created.key}
              </code>
              <CopyButton text={created.key} label="the new API key" />
              <button type="button" className="small" onClick={() => setCreated(null)}>
                I have stored it
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </Panel>
  );
}
