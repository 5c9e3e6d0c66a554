import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
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
import { formatDateTime } from '../lib/format';
import { useSession, useSessionApi } from '../session';

type Tenant = Schemas['Tenant'];

export function PlatformTenantsPage() {
  const session = useSession();
  if (session.platformRole !== 'operator') {
    return (
      <>
        <PageHeader title="All tenants" />
        <Panel>
          <p>Only platform operators see this page.</p>
        </Panel>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="All tenants"
        description="Platform operators create, suspend and reactivate tenants here."
      />
      <CreateTenant />
      <TenantList />
    </>
  );
}

function TenantList() {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'' | 'active' | 'suspended'>('');
  const searchId = useId();
  const statusId = useId();
  const list = useInfiniteQuery({
    queryKey: ['platform', 'tenants', q, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/api/v1/platform/tenants', {
          params: {
            query: {
              limit: 50,
              ...(q.trim() ? { q: q.trim() } : {}),
              ...(status ? { status } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel title="Tenants">
      <div className="inline-form">
        <div className="field">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Slug or name"
          />
        </div>
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            value={status}
            onChange={(e) => setStatus(e.target.value as '' | 'active' | 'suspended')}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
          </select>
        </div>
      </div>
      <p />
      <QueryStatus query={list} />
      {list.data && items.length === 0 ? <EmptyState>No tenant matches.</EmptyState> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Status</th>
                <th scope="col">Plan</th>
                <th scope="col">MCP URL</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <TenantRow key={t.slug} tenant={t} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.hasNextPage ? (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          Load more
        </button>
      ) : null}
    </Panel>
  );
}

function TenantRow(props: { tenant: Tenant }) {
  const queries = useQueryClient();
  const session = useSession();
  const { refresh } = useSessionApi();
  const toast = useToast();
  const t = props.tenant;
  const member = session.tenants.some((x) => x.slug === t.slug);
  const act = async (what: 'suspend' | 'reactivate') => {
    const path = { params: { path: { tenant: t.slug } } };
    await ok(
      what === 'suspend'
        ? api.POST('/api/v1/platform/tenants/{tenant}/suspend', path)
        : api.POST('/api/v1/platform/tenants/{tenant}/reactivate', path),
    );
    await queries.invalidateQueries({ queryKey: ['platform', 'tenants'] });
    await refresh();
    toast(`${t.name} ${what === 'suspend' ? 'suspended' : 'reactivated'}`);
  };
  return (
    <tr>
      <td>
        {member ? <Link to={`/t/${t.slug}`}>{t.name}</Link> : <strong>{t.name}</strong>}
        <div className="small muted mono">{t.slug}</div>
      </td>
      <td>{t.status === 'active' ? <Badge tone="ok">active</Badge> : <Badge tone="bad">suspended</Badge>}</td>
      <td>{t.plan}</td>
      <td>
        <div className="row">
          <code className="small">{t.mcpUrl}</code>
          <CopyButton text={t.mcpUrl} label={`MCP URL of ${t.name}`} />
        </div>
      </td>
      <td className="small">{formatDateTime(t.createdAt)}</td>
      <td>
        {t.status === 'active' ? (
          <ConfirmButton
            label="Suspend"
            accessibleLabel={`Suspend ${t.name}`}
            title={`Suspend ${t.name}?`}
            message={
              <p>
                Its MCP URLs refuse every request and nothing can be changed until it is reactivated. Data is
                kept.
              </p>
            }
            onConfirm={() => act('suspend')}
          />
        ) : (
          <ConfirmButton
            label="Reactivate"
            className="small"
            accessibleLabel={`Reactivate ${t.name}`}
            title={`Reactivate ${t.name}?`}
            message={<p>Its MCP URLs work again at once.</p>}
            onConfirm={() => act('reactivate')}
          />
        )}
      </td>
    </tr>
  );
}

function CreateTenant() {
  const queries = useQueryClient();
  const toast = useToast();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/platform/tenants', {
          body: {
            slug: slug.trim(),
            ownerEmail: owner.trim(),
            ...(name.trim() ? { name: name.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (t) => {
      setSlug('');
      setName('');
      setOwner('');
      await queries.invalidateQueries({ queryKey: ['platform', 'tenants'] });
      toast(`Tenant ${t.name} created; its owner is ${owner.trim()}`);
    },
  });
  const errors = create.error instanceof ApiError ? fieldErrors(create.error.issues) : {};
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <Panel title="Create a tenant">
      <form className="inline-form" onSubmit={submit}>
        <Field label="Slug" required hint="2–40 lowercase letters, digits or dashes" error={errors.slug}>
          {(f) => (
            <input
              id={f.id}
              type="text"
              required
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
        <Field label="Owner email" required error={errors.ownerEmail}>
          {(f) => (
            <input
              id={f.id}
              type="email"
              required
              aria-invalid={f.invalid}
              value={owner}
              onChange={(e) => setOwner(e.target.value)}
            />
          )}
        </Field>
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || !slug.trim() || !owner.trim()}
        >
          {create.isPending ? 'Creating…' : 'Create tenant'}
        </button>
      </form>
      <p />
      <ErrorNotice error={create.error} />
    </Panel>
  );
}
