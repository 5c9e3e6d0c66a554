import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import {
  Badge,
  CopyField,
  EmptyState,
  ErrorNotice,
  Loading,
  PageHeader,
  Panel,
  type Tone,
} from '../components/ui';
import { formatDateTime, formatMs, formatNumber, formatRelative } from '../lib/format';
import { useTenantScope } from '../session';

type Health = Schemas['Home']['endpoints'][number]['health'];

const HEALTH: Record<Health['status'], { label: string; tone: Tone }> = {
  ok: { label: 'Healthy', tone: 'ok' },
  idle: { label: 'No calls yet', tone: 'neutral' },
  degraded: { label: 'Degraded', tone: 'warn' },
  needs_attention: { label: 'Needs attention', tone: 'bad' },
};

const OUTCOME_TONE: Record<string, Tone> = { success: 'ok', failure: 'bad', error: 'bad', denied: 'warn' };

export function outcomeTone(outcome: string): Tone {
  return OUTCOME_TONE[outcome] ?? 'neutral';
}

export function HomePage() {
  const tenant = useTenantScope();
  const home = useQuery({
    queryKey: ['tenant', tenant.slug, 'home'],
    queryFn: () =>
      ok(api.GET('/api/v1/tenants/{tenant}/home', { params: { path: { tenant: tenant.slug } } })),
    refetchInterval: 30_000,
  });
  if (home.isPending) return <Loading />;
  if (home.isError) return <ErrorNotice error={home.error} onRetry={() => void home.refetch()} />;
  const data = home.data;
  const main = data.endpoints.find((e) => e.isDefault) ?? data.endpoints[0];

  return (
    <>
      <PageHeader
        title={data.tenant.name}
        description={`Plan: ${data.tenant.plan} · your role: ${data.tenant.role}`}
      />
      <div className="grid-2">
        <Panel title="Add Switchboard to Claude">
          {main ? (
            <>
              <p>Your MCP URL:</p>
              <CopyField value={main.mcpUrl} label="MCP URL" />
              <ol className="steps">
                <li>
                  In Claude, open <strong>Settings → Connectors</strong>.
                </li>
                <li>
                  Choose <strong>Add custom connector</strong>.
                </li>
                <li>Paste the MCP URL above and give the connector a name, e.g. {data.tenant.name}.</li>
                <li>
                  Select <strong>Connect</strong>: Claude opens Switchboard&apos;s sign-in page.
                </li>
                <li>
                  Sign in with your Switchboard account (or your company account, if your tenant uses one).
                </li>
                <li>
                  Review what Claude asks for and select <strong>Allow</strong>. The tools your role permits
                  appear in Claude.
                </li>
              </ol>
              <p className="small muted">
                Something not working?{' '}
                <Link to={`/t/${tenant.slug}/checker`}>Run the connection checker</Link>: it walks the same
                path and says which step fails.
              </p>
            </>
          ) : (
            <EmptyState>This tenant has no endpoint yet.</EmptyState>
          )}
        </Panel>
        <Panel title="Endpoints">
          <ul className="stack" aria-label="Endpoint health">
            {data.endpoints.map((e) => {
              const h = HEALTH[e.health.status];
              return (
                <li key={e.slug} className="stack tight">
                  <div className="row">
                    <Link to={`/t/${tenant.slug}/endpoints/${e.slug}`}>
                      <strong>{e.name}</strong>
                    </Link>
                    {e.isDefault ? <Badge>default</Badge> : null}
                    <Badge tone={h.tone}>{h.label}</Badge>
                  </div>
                  <div className="small muted">
                    Last 24 h: {formatNumber(e.health.calls24h)} calls, {formatNumber(e.health.errors24h)}{' '}
                    errors, {formatNumber(e.health.rateLimited24h)} rate-limited · p95{' '}
                    {formatMs(e.health.p95LatencyMs)} · last call {formatRelative(e.health.lastCallAt)}
                  </div>
                  {e.health.problems.length > 0 ? (
                    <ul className="small">
                      {e.health.problems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </Panel>
      </div>
      <Panel title="Last calls" actions={<Link to={`/t/${tenant.slug}/audit`}>Open the audit log</Link>}>
        {data.lastCalls.length === 0 ? (
          <EmptyState>No tool calls yet. Once Claude uses your tools, the latest calls show here.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Tool</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Caller</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="num">
                    Latency
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.lastCalls.map((c) => (
                  <tr key={c.seq}>
                    <td>{formatDateTime(c.at)}</td>
                    <td className="mono">{c.tool ?? '—'}</td>
                    <td>{c.endpoint ?? '—'}</td>
                    <td className="small">
                      {c.actor.type}
                      {c.actor.id ? <span className="muted"> {c.actor.id.slice(0, 8)}</span> : null}
                    </td>
                    <td>
                      <Badge tone={outcomeTone(c.outcome)}>{c.outcome}</Badge>
                    </td>
                    <td className="num">{formatMs(c.latencyMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </>
  );
}
