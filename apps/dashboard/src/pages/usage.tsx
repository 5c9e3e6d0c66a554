import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { TimeChart, type Series } from '../components/chart';
import { EmptyState, PageHeader, Panel, QueryStatus } from '../components/ui';
import { formatDateTime, formatMs, formatNumber, formatRelative } from '../lib/format';
import { useTenantScope } from '../session';

type Bucket = '1m' | '5m' | '15m' | '1h' | '6h' | '1d';
const RANGES: readonly { id: string; label: string; hours: number; bucket: Bucket }[] = [
  { id: '1h', label: 'Last hour', hours: 1, bucket: '1m' },
  { id: '24h', label: 'Last 24 hours', hours: 24, bucket: '1h' },
  { id: '7d', label: 'Last 7 days', hours: 24 * 7, bucket: '6h' },
  { id: '30d', label: 'Last 30 days', hours: 24 * 30, bucket: '1d' },
];

const COLORS = { calls: '#3451c7', errors: '#c5221f', limited: '#d48806', p95: '#0b8a5f' };

export function UsagePage() {
  const tenant = useTenantScope();
  const [range, setRange] = useState('24h');
  const [endpoint, setEndpoint] = useState('');
  const rangeId = useId();
  const endpointId = useId();
  const r = RANGES.find((x) => x.id === range) ?? RANGES[1]!;
  const endpoints = useQuery({
    queryKey: ['tenant', tenant.slug, 'endpoints'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/endpoints', {
          params: { path: { tenant: tenant.slug }, query: { limit: 200 } },
        }),
      ),
  });
  const usage = useQuery({
    queryKey: ['tenant', tenant.slug, 'usage', range, endpoint],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - r.hours * 3600_000);
      return ok(
        api.GET('/api/v1/tenants/{tenant}/usage', {
          params: {
            path: { tenant: tenant.slug },
            query: {
              from: from.toISOString(),
              to: to.toISOString(),
              bucket: r.bucket,
              top: 10,
              ...(endpoint ? { endpoint } : {}),
            },
          },
        }),
      );
    },
    refetchInterval: 60_000,
  });
  return (
    <>
      <PageHeader title="Usage" description="Tool calls through this tenant's endpoints." />
      <div className="inline-form">
        <div className="field">
          <label htmlFor={rangeId}>Period</label>
          <select id={rangeId} value={range} onChange={(e) => setRange(e.target.value)}>
            {RANGES.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={endpointId}>Endpoint</label>
          <select id={endpointId} value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
            <option value="">All endpoints</option>
            {endpoints.data?.items.map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p />
      <QueryStatus query={usage} />
      {usage.data ? <UsageView usage={usage.data} /> : null}
    </>
  );
}

function UsageView(props: { usage: Schemas['Usage'] }) {
  const u = props.usage;
  const times = useMemo(() => u.series.map((s) => new Date(s.bucket).getTime()), [u]);
  const counts = useMemo<Series[]>(
    () => [
      { label: 'Calls', values: u.series.map((s) => s.calls), color: COLORS.calls, bars: true },
      { label: 'Errors', values: u.series.map((s) => s.errors), color: COLORS.errors },
      { label: 'Rate-limited', values: u.series.map((s) => s.rateLimited), color: COLORS.limited },
    ],
    [u],
  );
  const latency = useMemo<Series[]>(
    () => [{ label: 'p95 latency', values: u.series.map((s) => s.p95LatencyMs), color: COLORS.p95 }],
    [u],
  );
  const maxTool = Math.max(1, ...u.topTools.map((t) => t.calls));
  return (
    <>
      <div className="grid-4" aria-label="Totals">
        <Stat label="Calls" value={formatNumber(u.totals.calls)} />
        <Stat label="Errors" value={formatNumber(u.totals.errors)} />
        <Stat label="Rate-limited" value={formatNumber(u.totals.rateLimited)} />
        <Stat label="p95 latency" value={formatMs(u.totals.p95LatencyMs)} />
      </div>
      <p className="small muted">
        {formatDateTime(u.from)} – {formatDateTime(u.to)} · last call {formatRelative(u.totals.lastCallAt)} ·{' '}
        {formatNumber(u.totals.denied)} refused by access rules
      </p>
      {u.totals.calls === 0 && u.totals.rateLimited === 0 ? (
        <Panel>
          <EmptyState>No tool calls in this period.</EmptyState>
        </Panel>
      ) : (
        <>
          <div className="grid-2">
            <Panel title="Calls over time">
              <TimeChart
                times={times}
                series={counts}
                summary={`Calls per ${u.bucket}: ${u.totals.calls} calls, ${u.totals.errors} errors, ${u.totals.rateLimited} rate-limited in total`}
              />
            </Panel>
            <Panel title="p95 latency">
              <TimeChart
                times={times}
                series={latency}
                unit=" ms"
                summary={`95th percentile latency per ${u.bucket}; ${formatMs(u.totals.p95LatencyMs)} over the period`}
              />
            </Panel>
          </div>
          <div className="grid-2">
            <Panel title="Top tools">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Tool</th>
                    <th scope="col">Calls</th>
                    <th scope="col" className="num">
                      Errors
                    </th>
                    <th scope="col" className="num">
                      p95
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {u.topTools.map((t) => (
                    <tr key={t.tool}>
                      <td className="mono">{t.tool}</td>
                      <td>
                        <div className="bar-cell">
                          <Bar fraction={t.calls / maxTool} />
                          {formatNumber(t.calls)}
                        </div>
                      </td>
                      <td className="num">{formatNumber(t.errors)}</td>
                      <td className="num">{formatMs(t.p95LatencyMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
            <Panel title="Per endpoint">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Endpoint</th>
                    <th scope="col" className="num">
                      Calls
                    </th>
                    <th scope="col" className="num">
                      Errors
                    </th>
                    <th scope="col" className="num">
                      Rate-limited
                    </th>
                    <th scope="col" className="num">
                      p95
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {u.endpoints.map((e) => (
                    <tr key={e.endpoint ?? '(none)'}>
                      <td>{e.endpoint ?? <span className="muted">unknown</span>}</td>
                      <td className="num">{formatNumber(e.calls)}</td>
                      <td className="num">{formatNumber(e.errors)}</td>
                      <td className="num">{formatNumber(e.rateLimited)}</td>
                      <td className="num">{formatMs(e.p95LatencyMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
          </div>
        </>
      )}
    </>
  );
}

function Stat(props: { label: string; value: string }) {
  return (
    <div className="stat">
      <div className="label">{props.label}</div>
      <div className="value">{props.value}</div>
    </div>
  );
}

/** A proportional bar; its width is set through the DOM (the CSP allows no inline style attributes). */
function Bar(props: { fraction: number }) {
  return (
    <span
      className="bar"
      aria-hidden="true"
      ref={(el) => {
        if (el) el.style.width = `${Math.max(2, Math.round(props.fraction * 120))}px`;
      }}
    />
  );
}
