import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { ApiError, fieldErrors, humanize } from '../api/errors';
import { SchemaForm } from '../components/schema-form';
import { useToast } from '../components/toast';
import { Badge, ConfirmButton, ErrorNotice, Field, Loading, PageHeader, Panel } from '../components/ui';
import { formatDateTime, formatMs } from '../lib/format';
import { buildValue, compileSchema, initialDraft, type Draft } from '../lib/schema-form';
import { useTenantScope } from '../session';
import { usePacks } from './connections';

type Connection = Schemas['Connection'];
type Secret = Schemas['SecretStatus'];

export function ConnectionPage() {
  const tenant = useTenantScope();
  const { connection: id = '' } = useParams();
  const connection = useQuery({
    queryKey: ['tenant', tenant.slug, 'connection', id],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/connections/{connection}', {
          params: { path: { tenant: tenant.slug, connection: id } },
        }),
      ),
  });
  if (connection.isPending) return <Loading />;
  if (connection.isError)
    return <ErrorNotice error={connection.error} onRetry={() => void connection.refetch()} />;
  const c = connection.data;
  return (
    <>
      <PageHeader
        title={c.name}
        description={
          <>
            <Link to={`/t/${tenant.slug}/connections`}>Connections</Link> · {c.packTitle ?? c.packId} ·{' '}
            {c.enabled ? 'enabled' : 'disabled'}
          </>
        }
      />
      {c.missingSecrets.length > 0 ? (
        <div className="notice warn" role="status">
          <strong>Not ready yet</strong>
          Set {c.missingSecrets.map(humanize).join(', ')} below: its tools fail until then.
        </div>
      ) : null}
      <TestConnection connection={c} />
      <Secrets connection={c} />
      {tenant.canManage ? <Configuration connection={c} /> : <ReadOnlyConfig connection={c} />}
      <Panel title="Exposed on">
        {c.endpoints.length === 0 ? (
          <p className="muted">
            No endpoint exposes it yet. Open an <Link to={`/t/${tenant.slug}/endpoints`}>endpoint</Link> and
            choose its tools.
          </p>
        ) : (
          <ul>
            {c.endpoints.map((e) => (
              <li key={e}>
                <Link to={`/t/${tenant.slug}/endpoints/${e}`}>{e}</Link>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}

function TestConnection(props: { connection: Connection }) {
  const tenant = useTenantScope();
  const c = props.connection;
  const test = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/tenants/{tenant}/connections/{connection}/test', {
          params: { path: { tenant: tenant.slug, connection: c.id } },
        }),
      ),
  });
  const r = test.data;
  return (
    <Panel
      title="Test connection"
      actions={
        tenant.role !== 'viewer' && c.testable ? (
          <button type="button" className="primary" disabled={test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? 'Testing…' : 'Test connection'}
          </button>
        ) : null
      }
    >
      {!c.testable ? <p className="muted">This integration has no connection test.</p> : null}
      {c.testable && !r && !test.isPending && !test.error ? (
        <p className="muted">
          Makes one harmless signed-in request to {c.packTitle ?? 'the system'} with the saved credentials.
        </p>
      ) : null}
      <div aria-live="polite">
        {test.isPending ? <Loading label="Testing the connection…" /> : null}
        {r ? (
          <div className={`notice ${r.ok ? 'ok' : 'bad'}`}>
            <strong>{r.ok ? 'The connection works' : 'The connection does not work'}</strong>
            {r.message} <span className="muted small">({formatMs(r.durationMs)})</span>
            {r.details && Object.keys(r.details).length > 0 ? (
              <ul>
                {Object.entries(r.details).map(([k, v]) => (
                  <li key={k}>
                    {humanize(k)}: {String(v)}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      <ErrorNotice error={test.error} />
    </Panel>
  );
}

function Secrets(props: { connection: Connection }) {
  const tenant = useTenantScope();
  const c = props.connection;
  return (
    <Panel title="Credentials">
      <p className="small muted">
        Values are write-only: once saved they are never shown again. To change one, set a new value (rotate).
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Secret</th>
              <th scope="col">Status</th>
              <th scope="col">Last set</th>
              {tenant.canManage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {c.secrets.map((s) => (
              <SecretRow key={s.name} connection={c} secret={s} />
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function SecretRow(props: { connection: Connection; secret: Secret }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const s = props.secret;
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const path = { tenant: tenant.slug, connection: props.connection.id, name: s.name };
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PUT('/api/v1/tenants/{tenant}/connections/{connection}/secrets/{name}', {
          params: { path },
          body: { value },
        }),
      ),
    onSuccess: async (saved) => {
      setValue('');
      setEditing(false);
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
      toast(`${humanize(s.name)} saved (version ${saved.version ?? 1})`);
    },
    onError: () => setValue(''),
  });
  const label = humanize(s.name);
  return (
    <tr>
      <td>
        <strong>{label}</strong> {s.required ? <span className="muted small">required</span> : null}
        {s.description ? <div className="small muted">{s.description}</div> : null}
      </td>
      <td>
        {s.set ? (
          <Badge tone="ok">set · version {s.version}</Badge>
        ) : (
          <Badge tone={s.required ? 'bad' : 'neutral'}>not set</Badge>
        )}
      </td>
      <td>{formatDateTime(s.updatedAt)}</td>
      {tenant.canManage ? (
        <td>
          {editing ? (
            <form
              className="inline-form"
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                if (value !== '') save.mutate();
              }}
            >
              <Field label={`New value for ${label}`}>
                {(f) => (
                  <input
                    id={f.id}
                    type="password"
                    autoComplete="new-password"
                    spellCheck={false}
                    autoFocus
                    value={value}
                    onChange={(e) => setValue(e.target.value)}
                  />
                )}
              </Field>
              <button type="submit" className="primary small" disabled={save.isPending || value === ''}>
                Save
              </button>
              <button
                type="button"
                className="small"
                onClick={() => {
                  setValue('');
                  setEditing(false);
                }}
              >
                Cancel
              </button>
              <ErrorNotice error={save.error} />
            </form>
          ) : (
            <div className="row">
              <button
                type="button"
                className="small"
                onClick={() => setEditing(true)}
                aria-label={`${s.set ? 'Rotate' : 'Set'} ${label}`}
              >
                {s.set ? 'Rotate' : 'Set'}
              </button>
              {s.set ? (
                <ConfirmButton
                  label="Delete"
                  accessibleLabel={`Delete ${label}`}
                  title={`Delete ${label}?`}
                  message={<p>Tools of this connection that need it fail until a new value is set.</p>}
                  onConfirm={async () => {
                    await ok(
                      api.DELETE('/api/v1/tenants/{tenant}/connections/{connection}/secrets/{name}', {
                        params: { path },
                      }),
                    );
                    await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
                    toast(`${label} deleted`);
                  }}
                />
              ) : null}
            </div>
          )}
        </td>
      ) : null}
    </tr>
  );
}

function Configuration(props: { connection: Connection }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const packs = usePacks(tenant.slug);
  const c = props.connection;
  const pack = packs.data?.items.find((p) => p.id === c.packId);
  const node = useMemo(() => (pack ? compileSchema(pack.configSchema) : null), [pack]);
  const [name, setName] = useState(c.name);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const current = draft ?? (node ? initialDraft(node, c.config) : null);
  const path = { tenant: tenant.slug, connection: c.id };
  const save = useMutation({
    mutationFn: (body: { name?: string; config?: Record<string, unknown>; enabled?: boolean }) =>
      ok(api.PATCH('/api/v1/tenants/{tenant}/connections/{connection}', { params: { path }, body })),
    onSuccess: async (saved) => {
      setDraft(null);
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
      toast(`${saved.name} saved`);
    },
  });
  const errors = {
    ...(save.error instanceof ApiError ? fieldErrors(save.error.issues) : {}),
    ...localErrors,
  };
  return (
    <Panel title="Configuration">
      {packs.isPending ? <Loading /> : null}
      <ErrorNotice error={packs.error ?? save.error} />
      {node && current !== null ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const built = buildValue(node, current);
            setLocalErrors(built.errors);
            if (Object.keys(built.errors).length > 0) return;
            save.mutate({ name: name.trim(), config: (built.value ?? {}) as Record<string, unknown> });
          }}
        >
          <Field label="Connection name" required error={errors.name}>
            {(f) => <input id={f.id} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <SchemaForm node={node} draft={current} onChange={setDraft} errors={errors} />
          <div className="row">
            <button type="submit" className="primary" disabled={save.isPending}>
              Save configuration
            </button>
            <button
              type="button"
              disabled={save.isPending}
              onClick={() => save.mutate({ enabled: !c.enabled })}
            >
              {c.enabled ? 'Disable connection' : 'Enable connection'}
            </button>
            <ConfirmButton
              label="Delete connection"
              title={`Delete ${c.name}?`}
              message={
                <p>
                  Its credentials are destroyed and every endpoint stops offering its tools at once. This
                  cannot be undone.
                </p>
              }
              onConfirm={async () => {
                await ok(
                  api.DELETE('/api/v1/tenants/{tenant}/connections/{connection}', { params: { path } }),
                );
                await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
                toast(`${c.name} deleted`);
                navigate(`/t/${tenant.slug}/connections`);
              }}
            />
          </div>
        </form>
      ) : null}
      {packs.data && !pack ? (
        <p className="muted">
          The {c.packId} integration is no longer offered by this server; its configuration cannot be edited.
        </p>
      ) : null}
    </Panel>
  );
}

function ReadOnlyConfig(props: { connection: Connection }) {
  return (
    <Panel title="Configuration">
      <pre className="json">{JSON.stringify(props.connection.config, null, 2)}</pre>
    </Panel>
  );
}
