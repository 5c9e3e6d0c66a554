import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { fieldErrors } from '../api/errors';
import { ApiError } from '../api/errors';
import {
  Badge,
  CopyButton,
  EmptyState,
  ErrorNotice,
  Field,
  PageHeader,
  Panel,
  QueryStatus,
} from '../components/ui';
import { useToast } from '../components/toast';
import { useTenantScope } from '../session';

export function EndpointsPage() {
  const tenant = useTenantScope();
  const list = useQuery({
    queryKey: ['tenant', tenant.slug, 'endpoints'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/endpoints', {
          params: { path: { tenant: tenant.slug }, query: { limit: 200 } },
        }),
      ),
  });
  return (
    <>
      <PageHeader
        title="Endpoints"
        description="Each endpoint is an MCP URL with its own selection of tools. Give a team or a use the endpoint it needs."
      />
      {tenant.canManage ? <CreateEndpoint /> : null}
      <Panel title="Your endpoints">
        <QueryStatus query={list} />
        {list.data && list.data.items.length === 0 ? <EmptyState>No endpoints yet.</EmptyState> : null}
        {list.data && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">MCP URL</th>
                  <th scope="col">Connections</th>
                  <th scope="col">Access</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link to={e.slug}>{e.name}</Link> {e.isDefault ? <Badge>default</Badge> : null}
                      {e.description ? <div className="small muted">{e.description}</div> : null}
                    </td>
                    <td>
                      <div className="row">
                        <code>{e.mcpUrl}</code>
                        <CopyButton text={e.mcpUrl} label={`MCP URL of ${e.name}`} />
                      </div>
                    </td>
                    <td>
                      {e.connections.length === 0 ? (
                        <span className="muted">none</span>
                      ) : (
                        e.connections.map((c) => c.name).join(', ')
                      )}
                    </td>
                    <td>
                      {e.public ? (
                        <Badge tone="warn">public (read-only tools)</Badge>
                      ) : (
                        <Badge tone="ok">sign-in required</Badge>
                      )}
                    </td>
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

function CreateEndpoint() {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [isPublic, setPublic] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/tenants/{tenant}/endpoints', {
          params: { path: { tenant: tenant.slug } },
          body: {
            slug: slug.trim(),
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(description.trim() ? { description: description.trim() } : {}),
            public: isPublic,
          },
        }),
      ),
    onSuccess: async (endpoint) => {
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
      toast(`Endpoint ${endpoint.name} created`);
      navigate(endpoint.slug);
    },
  });
  const errors = create.error instanceof ApiError ? fieldErrors(create.error.issues) : {};
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <Panel title="New endpoint">
      <form onSubmit={submit}>
        <ErrorNotice error={create.error} />
        <div className="grid-2">
          <Field
            label="Slug"
            required
            hint={`Lowercase letters, digits and dashes. The URL becomes …/t/${tenant.slug}/e/${slug || 'slug'}/mcp`}
            error={errors.slug}
          >
            {(f) => (
              <input
                id={f.id}
                type="text"
                required
                pattern="[a-z0-9][a-z0-9\-]{1,39}"
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid}
                value={slug}
                onChange={(e) => setSlug(e.target.value.toLowerCase())}
              />
            )}
          </Field>
          <Field label="Name" error={errors.name}>
            {(f) => <input id={f.id} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
        </div>
        <Field
          label="Description"
          hint="What this endpoint is for (shown to admins only)."
          error={errors.description}
        >
          {(f) => (
            <input
              id={f.id}
              type="text"
              aria-describedby={f.describedBy}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} />
          Public: serve its read-only tools without sign-in
        </label>
        <p />
        <button type="submit" className="primary" disabled={create.isPending || slug.trim() === ''}>
          {create.isPending ? 'Creating…' : 'Create endpoint'}
        </button>
      </form>
    </Panel>
  );
}
