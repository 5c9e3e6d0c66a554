import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { ConfirmButton, CopyField, ErrorNotice, Field, Loading, PageHeader, Panel } from '../components/ui';
import { useToast } from '../components/toast';
import { AccessRules } from './access-rules';
import { ToolPicker } from './tool-picker';
import { useTenantScope } from '../session';

export function EndpointPage() {
  const tenant = useTenantScope();
  const { endpoint: slug = '' } = useParams();
  const path = { tenant: tenant.slug, endpoint: slug };
  const endpoint = useQuery({
    queryKey: ['tenant', tenant.slug, 'endpoint', slug],
    queryFn: () => ok(api.GET('/api/v1/tenants/{tenant}/endpoints/{endpoint}', { params: { path } })),
  });
  if (endpoint.isPending) return <Loading />;
  if (endpoint.isError) return <ErrorNotice error={endpoint.error} onRetry={() => void endpoint.refetch()} />;
  const e = endpoint.data;
  return (
    <>
      <PageHeader
        title={e.name}
        description={
          <>
            <Link to={`/t/${tenant.slug}/endpoints`}>Endpoints</Link> ·{' '}
            {e.isDefault ? 'the default endpoint' : e.slug}
          </>
        }
      />
      <Panel title="MCP URL">
        <CopyField value={e.mcpUrl} label={`MCP URL of ${e.name}`} />
      </Panel>
      <ToolPicker endpoint={slug} />
      <EndpointAccessRules endpoint={slug} />
      {tenant.canManage ? <EndpointSettings endpoint={e} /> : null}
    </>
  );
}

function EndpointSettings(props: { endpoint: Schemas['Endpoint'] }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const e = props.endpoint;
  const [name, setName] = useState(e.name);
  const [description, setDescription] = useState(e.description ?? '');
  const [isPublic, setPublic] = useState(e.public);
  const path = { tenant: tenant.slug, endpoint: e.slug };
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/api/v1/tenants/{tenant}/endpoints/{endpoint}', {
          params: { path },
          body: {
            name: name.trim(),
            description: description.trim() === '' ? null : description.trim(),
            public: isPublic,
          },
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
      toast('Endpoint saved');
    },
  });
  return (
    <Panel title="Endpoint settings">
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          save.mutate();
        }}
      >
        <ErrorNotice error={save.error} />
        <div className="grid-2">
          <Field label="Name" required>
            {(f) => (
              <input
                id={f.id}
                type="text"
                required
                value={name}
                onChange={(ev) => setName(ev.target.value)}
              />
            )}
          </Field>
          <Field label="Description">
            {(f) => (
              <input
                id={f.id}
                type="text"
                value={description}
                onChange={(ev) => setDescription(ev.target.value)}
              />
            )}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={isPublic} onChange={(ev) => setPublic(ev.target.checked)} />
          Public: serve its read-only tools without sign-in
        </label>
        <p />
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save
          </button>
          {!e.isDefault ? (
            <ConfirmButton
              label="Delete endpoint"
              title={`Delete ${e.name}?`}
              message={<p>Its MCP URL stops working at once for everyone using it. Connections are kept.</p>}
              onConfirm={async () => {
                await ok(api.DELETE('/api/v1/tenants/{tenant}/endpoints/{endpoint}', { params: { path } }));
                await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
                toast(`Endpoint ${e.name} deleted`);
                navigate(`/t/${tenant.slug}/endpoints`);
              }}
            />
          ) : null}
        </div>
      </form>
    </Panel>
  );
}

/** The rules panel, offered the tools this endpoint exposes. */
function EndpointAccessRules(props: { endpoint: string }) {
  const tenant = useTenantScope();
  const catalogue = useQuery({
    queryKey: ['tenant', tenant.slug, 'endpoint', props.endpoint, 'tools'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/endpoints/{endpoint}/tools', {
          params: { path: { tenant: tenant.slug, endpoint: props.endpoint } },
        }),
      ),
  });
  const tools = (catalogue.data?.groups ?? []).flatMap((g) =>
    g.tools.filter((t) => t.enabled).map((t) => t.name),
  );
  return <AccessRules endpoint={props.endpoint} tools={tools} />;
}
