import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { ApiError, fieldErrors, humanize } from '../api/errors';
import { SchemaForm } from '../components/schema-form';
import { useToast } from '../components/toast';
import { ConfirmButton, ErrorNotice, Field, Loading, PageHeader, Panel } from '../components/ui';
import { formatMs } from '../lib/format';
import { buildValue, compileSchema, initialDraft, type Draft } from '../lib/schema-form';
import { useTenantScope } from '../session';
import { Secrets } from './connection-secrets';
import { usePacks } from './connections';

type Connection = Schemas['Connection'];

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
