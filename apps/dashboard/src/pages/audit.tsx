import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { Badge, EmptyState, ErrorNotice, Field, Loading, PageHeader, Panel } from '../components/ui';
import { formatDateTime, formatNumber } from '../lib/format';

import { useTenantScope } from '../session';
import { ExportPanel } from './audit-export';
import { outcomeTone } from './home';

type Event = Schemas['AuditEvent'];
const FILTERS = ['kind', 'action', 'actorType', 'outcome', 'tool', 'from', 'to'] as const;
type FilterName = (typeof FILTERS)[number];
type Filters = Partial<Record<FilterName, string>>;

const KINDS = ['tool_call', 'auth', 'token', 'denial', 'admin'];
const OUTCOMES = ['success', 'failure', 'denied', 'error'];
const ACTORS = ['user', 'api_key', 'oauth_client', 'anonymous', 'system', 'cli'];

/** datetime-local ("2026-01-02T10:00") in the browser's zone → ISO 8601 for the API. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function apiQuery(f: Filters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = f[k]?.trim();
    if (!v) continue;
    q[k] = k === 'from' || k === 'to' ? (toIso(v) ?? v) : v;
  }
  return q;
}

export function AuditPage() {
  const tenant = useTenantScope();
  const [params, setParams] = useSearchParams();
  const filters: Filters = useMemo(() => {
    const f: Filters = {};
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every tool call, sign-in and change, in a tamper-evident chain."
        actions={<VerifyBadge />}
      />
      <FilterForm
        key={`filters:${params.toString()}`}
        initial={filters}
        onApply={(f) => {
          const next = new URLSearchParams();
          for (const k of FILTERS) if (f[k]) next.set(k, f[k]!);
          setParams(next);
        }}
      />
      <ExportPanel query={apiQuery(filters)} tenant={tenant.slug} />
      <Events key={`events:${params.toString()}`} filters={filters} />
    </>
  );
}

function VerifyBadge() {
  const tenant = useTenantScope();
  const verify = useQuery({
    queryKey: ['tenant', tenant.slug, 'audit-verify'],
    queryFn: () =>
      ok(api.GET('/api/v1/tenants/{tenant}/audit/verify', { params: { path: { tenant: tenant.slug } } })),
    staleTime: 60_000,
  });
  return (
    <div className="row" aria-live="polite">
      {verify.isFetching ? (
        <Badge>verifying the chain…</Badge>
      ) : verify.data?.ok ? (
        <Badge tone="ok" title={`Events ${verify.data.firstSeq ?? '—'} to ${verify.data.lastSeq ?? '—'}`}>
          Chain verified · {formatNumber(verify.data.checked)} events
        </Badge>
      ) : verify.data ? (
        <Badge tone="bad" title={verify.data.break?.message}>
          Chain broken at #{verify.data.break?.seq}: {verify.data.break?.message}
        </Badge>
      ) : verify.isError ? (
        <Badge tone="warn">could not verify</Badge>
      ) : null}
      <button
        type="button"
        className="small"
        onClick={() => void verify.refetch()}
        disabled={verify.isFetching}
      >
        Verify again
      </button>
    </div>
  );
}

function FilterForm(props: { initial: Filters; onApply: (f: Filters) => void }) {
  const [f, setF] = useState<Filters>(props.initial);
  const set = (k: FilterName) => (e: { target: { value: string } }) =>
    setF((x) => ({ ...x, [k]: e.target.value }));
  function submit(e: FormEvent) {
    e.preventDefault();
    props.onApply(f);
  }
  const select = (k: FilterName, label: string, options: string[]) => (
    <Field label={label}>
      {(ids) => (
        <select id={ids.id} value={f[k] ?? ''} onChange={set(k)}>
          <option value="">Any</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {o.replace('_', ' ')}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <Panel title="Filters">
      <form className="inline-form" onSubmit={submit} aria-label="Audit log filters">
        {select('kind', 'Kind', KINDS)}
        {select('outcome', 'Outcome', OUTCOMES)}
        {select('actorType', 'Actor', ACTORS)}
        <Field label="Action">
          {(ids) => (
            <input
              id={ids.id}
              type="text"
              size={18}
              placeholder="e.g. signin.*"
              title="An action such as connection.create, or a prefix ending with *"
              value={f.action ?? ''}
              onChange={set('action')}
            />
          )}
        </Field>
        <Field label="Tool">
          {(ids) => <input id={ids.id} type="text" size={14} value={f.tool ?? ''} onChange={set('tool')} />}
        </Field>
        <Field label="From">
          {(ids) => <input id={ids.id} type="datetime-local" value={f.from ?? ''} onChange={set('from')} />}
        </Field>
        <Field label="To">
          {(ids) => <input id={ids.id} type="datetime-local" value={f.to ?? ''} onChange={set('to')} />}
        </Field>
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            setF({});
            props.onApply({});
          }}
        >
          Clear
        </button>
      </form>
    </Panel>
  );
}

function Events(props: { filters: Filters }) {
  const tenant = useTenantScope();
  const query = apiQuery(props.filters);
  const [live, setLive] = useState(false);
  const [tail, setTail] = useState<Event[]>([]);
  const [tailError, setTailError] = useState<unknown>(null);
  const [announce, setAnnounce] = useState('');
  const pages = useInfiniteQuery({
    queryKey: ['tenant', tenant.slug, 'audit', query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/audit', {
          params: {
            path: { tenant: tenant.slug },
            query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const paged = useMemo(() => pages.data?.pages.flatMap((p) => p.events) ?? [], [pages.data]);
  const events = useMemo(() => [...tail, ...paged], [tail, paged]);

  // The tail goes on from the newest event shown (seq is a 64-bit counter: compared as BigInt).
  const after = useRef<string>('0');
  const newest = events[0]?.seq;
  useEffect(() => {
    if (newest !== undefined && BigInt(newest) > BigInt(after.current)) after.current = newest;
  }, [newest]);
  const filterKey = JSON.stringify(query);

  useEffect(() => {
    if (!live || pages.isPending) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const res = await ok(
          api.GET('/api/v1/tenants/{tenant}/audit', {
            params: { path: { tenant: tenant.slug }, query: { ...query, after: after.current, limit: 200 } },
          }),
        );
        if (stopped) return;
        setTailError(null);
        if (res.events.length > 0) {
          const newest = [...res.events].reverse();
          after.current = res.nextAfter ?? newest[0]!.seq;
          setTail((t) => [...newest, ...t].slice(0, 500));
          setAnnounce(`${res.events.length} new event${res.events.length === 1 ? '' : 's'}`);
        }
      } catch (e) {
        if (!stopped) setTailError(e);
      }
      if (!stopped) timer = setTimeout(() => void poll(), 3000);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the filter key stands for the query
  }, [live, pages.isPending, filterKey, tenant.slug]);

  return (
    <Panel
      title="Events"
      actions={
        <label className="checkbox">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
          Live tail {live ? <span className="spinner" aria-hidden="true" /> : null}
        </label>
      }
    >
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      {pages.isPending ? <Loading /> : null}
      <ErrorNotice error={pages.error ?? tailError} onRetry={() => void pages.refetch()} />
      {!pages.isPending && events.length === 0 ? (
        <EmptyState>No events match these filters.</EmptyState>
      ) : null}
      {events.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="num small muted">{e.seq}</td>
                  <td className="small">{formatDateTime(e.at)}</td>
                  <td>
                    <span className="mono">{e.action}</span> <span className="small muted">{e.kind}</span>
                    {Object.keys(e.data).length > 0 ? (
                      <details>
                        <summary className="small">Details</summary>
                        <pre className="json">{JSON.stringify(e.data, null, 2)}</pre>
                      </details>
                    ) : null}
                  </td>
                  <td className="small">
                    {e.actor.type}
                    {e.actor.id ? <div className="muted mono">{e.actor.id}</div> : null}
                  </td>
                  <td className="small">{e.target ?? '—'}</td>
                  <td>
                    <Badge tone={outcomeTone(e.outcome)}>{e.outcome}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pages.hasNextPage ? (
        <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? 'Loading…' : 'Load older events'}
        </button>
      ) : null}
    </Panel>
  );
}
