import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { ApiError, fieldErrors, humanize } from '../api/errors';
import { SchemaForm } from '../components/schema-form';
import { useToast } from '../components/toast';
import { Badge, EmptyState, ErrorNotice, Field, PageHeader, Panel, QueryStatus } from '../components/ui';
import { buildValue, compileSchema, initialDraft, type Draft } from '../lib/schema-form';
import { formatRelative } from '../lib/format';
import { useTenantScope } from '../session';

type Pack = Schemas['Pack'];

export function usePacks(tenant: string) {
  return useQuery({
    queryKey: ['tenant', tenant, 'packs'],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/packs', { params: { path: { tenant } } })),
    staleTime: 5 * 60_000,
  });
}

export function ConnectionsPage() {
  const tenant = useTenantScope();
  const [adding, setAdding] = useState(false);
  const list = useQuery({
    queryKey: ['tenant', tenant.slug, 'connections'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/connections', {
          params: { path: { tenant: tenant.slug }, query: { limit: 200 } },
        }),
      ),
  });
  return (
    <>
      <PageHeader
        title="Connections"
        description="The systems Claude reaches through Switchboard. Credentials stay in Switchboard's encrypted vault and are never shown to Claude — or to anyone, once saved."
        actions={
          tenant.canManage && !adding ? (
            <button type="button" className="primary" onClick={() => setAdding(true)}>
              Add integration
            </button>
          ) : null
        }
      />
      {adding ? <AddIntegration onCancel={() => setAdding(false)} /> : null}
      <Panel title="Your connections">
        <QueryStatus query={list} />
        {list.data && list.data.items.length === 0 ? (
          <EmptyState>No connections yet. Add an integration to give Claude tools.</EmptyState>
        ) : null}
        {list.data && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Integration</th>
                  <th scope="col">Status</th>
                  <th scope="col">Endpoints</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={c.id}>{c.name}</Link>
                    </td>
                    <td>{c.packTitle ?? c.packId}</td>
                    <td>
                      <div className="row">
                        {c.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="warn">disabled</Badge>}
                        {c.missingSecrets.length > 0 ? (
                          <Badge tone="bad">needs {c.missingSecrets.map(humanize).join(', ')}</Badge>
                        ) : null}
                      </div>
                    </td>
                    <td>
                      {c.endpoints.length === 0 ? (
                        <span className="muted">none</span>
                      ) : (
                        c.endpoints.join(', ')
                      )}
                    </td>
                    <td>{formatRelative(c.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>
    </>
  );
}

function AddIntegration(props: { onCancel: () => void }) {
  const tenant = useTenantScope();
  const packs = usePacks(tenant.slug);
  const [pack, setPack] = useState<Pack | null>(null);
  const offered = (packs.data?.items ?? []).filter((p) => p.id !== 'workspace');
  return (
    <Panel
      title={pack ? `Add ${pack.title}` : 'Add an integration'}
      actions={
        <button type="button" onClick={pack ? () => setPack(null) : props.onCancel}>
          {pack ? 'Back to the list' : 'Cancel'}
        </button>
      }
    >
      <QueryStatus query={packs} />
      {!pack && packs.data ? (
        <ul className="cards" aria-label="Integrations">
          {offered.map((p) => (
            <li key={p.id} className="stack">
              <button type="button" className="card" onClick={() => setPack(p)}>
                <strong>{p.title}</strong>
                <span>{p.description}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {pack ? <IntegrationForm pack={pack} /> : null}
    </Panel>
  );
}

function IntegrationForm(props: { pack: Pack }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const node = useMemo(() => compileSchema(props.pack.configSchema), [props.pack]);
  const [name, setName] = useState(props.pack.title);
  const [draft, setDraft] = useState<Draft>(() => initialDraft(node));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const create = useMutation({
    mutationFn: async (config: unknown) => {
      const connection = await ok(
        api.POST('/api/v1/tenants/{tenant}/connections', {
          params: { path: { tenant: tenant.slug } },
          body: {
            packId: props.pack.id,
            name: name.trim(),
            config: (config ?? {}) as Record<string, unknown>,
          },
        }),
      );
      const failed: string[] = [];
      for (const [secret, value] of Object.entries(secrets)) {
        if (value === '') continue;
        try {
          await ok(
            api.PUT('/api/v1/tenants/{tenant}/connections/{connection}/secrets/{name}', {
              params: { path: { tenant: tenant.slug, connection: connection.id, name: secret } },
              body: { value },
            }),
          );
        } catch {
          failed.push(humanize(secret));
        }
      }
      return { connection, failed };
    },
    onSuccess: async ({ connection, failed }) => {
      setSecrets({});
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
      toast(
        failed.length === 0
          ? `${connection.name} added`
          : `${connection.name} added, but ${failed.join(', ')} could not be saved: set it again below`,
        failed.length === 0 ? 'ok' : 'bad',
      );
      navigate(`/t/${tenant.slug}/connections/${connection.id}`);
    },
  });

  const serverErrors =
    create.error instanceof ApiError
      ? { ...fieldErrors(create.error.issues, 'config.'), ...fieldErrors(create.error.issues) }
      : {};
  const errors = { ...serverErrors, ...localErrors };

  function submit(e: FormEvent) {
    e.preventDefault();
    const built = buildValue(node, draft);
    const missing = props.pack.secrets.filter((s) => s.required && !secrets[s.name]);
    const errs: Record<string, string> = { ...built.errors };
    for (const s of missing) errs[`secret:${s.name}`] = 'Required.';
    if (name.trim() === '') errs.name = 'Required.';
    setLocalErrors(errs);
    if (Object.keys(errs).length > 0) return;
    create.mutate(built.value);
  }

  return (
    <form onSubmit={submit} noValidate>
      <p className="muted">{props.pack.description}</p>
      <ErrorNotice error={create.error} />
      {Object.keys(localErrors).length > 0 ? (
        <div className="notice bad" role="alert">
          Some fields need attention: they are marked below.
        </div>
      ) : null}
      <Field
        label="Connection name"
        required
        hint="How admins recognise it, e.g. “Jira — engineering”."
        error={errors.name}
      >
        {(f) => (
          <input
            id={f.id}
            type="text"
            aria-describedby={f.describedBy}
            aria-invalid={f.invalid}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <SchemaForm node={node} draft={draft} onChange={setDraft} errors={errors} />
      {props.pack.secrets.length > 0 ? (
        <fieldset>
          <legend>Credentials</legend>
          <p className="small muted">
            Stored encrypted in the vault. Nobody can read them back — not even admins; you can only replace
            them.
          </p>
          {props.pack.secrets.map((s) => (
            <Field
              key={s.name}
              label={humanize(s.name)}
              hint={s.description}
              required={s.required}
              error={errors[`secret:${s.name}`]}
            >
              {(f) => (
                <input
                  id={f.id}
                  type="password"
                  autoComplete="new-password"
                  spellCheck={false}
                  aria-describedby={f.describedBy}
                  aria-invalid={f.invalid}
                  value={secrets[s.name] ?? ''}
                  onChange={(e) => setSecrets((x) => ({ ...x, [s.name]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </fieldset>
      ) : null}
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Adding…' : `Add ${props.pack.title}`}
      </button>
    </form>
  );
}
