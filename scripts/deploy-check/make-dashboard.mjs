// Writes deploy/compose/grafana/dashboards/switchboard.json: the starter dashboard, from the metrics the
// server emits (src/telemetry/README.md). Run it after changing the panels; check-deploy verifies that
// every metric the dashboard queries is one the code defines.
import { writeFileSync } from 'node:fs';

const R = '$__rate_interval';
let id = 0;
const panels = [];
function panel(title, exprs, { unit = 'short', x, y, w = 12, h = 8, type = 'timeseries', description } = {}) {
  panels.push({
    id: ++id,
    type,
    title,
    ...(description && { description }),
    datasource: { type: 'prometheus', uid: 'prometheus' },
    gridPos: { x, y, w, h },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: type === 'timeseries' ? { legend: { displayMode: 'list', placement: 'bottom' } } : {},
    targets: exprs.map(([expr, legendFormat], i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: { type: 'prometheus', uid: 'prometheus' },
      expr,
      legendFormat,
    })),
  });
}

const sel = 'job="$job", instance=~"$instance"';
panel(
  'MCP requests by method',
  [[`sum by (mcp_method_name) (rate(switchboard_mcp_requests_total{${sel}}[${R}]))`, '{{mcp_method_name}}']],
  { unit: 'reqps', x: 0, y: 0 },
);
panel(
  'MCP request latency',
  [
    [
      `histogram_quantile(0.5, sum by (le) (rate(switchboard_mcp_request_duration_bucket{${sel}}[${R}])))`,
      'p50',
    ],
    [
      `histogram_quantile(0.99, sum by (le) (rate(switchboard_mcp_request_duration_bucket{${sel}}[${R}])))`,
      'p99',
    ],
  ],
  { unit: 's', x: 12, y: 0 },
);
panel(
  'Requests by outcome (not ok)',
  [
    [
      `sum by (switchboard_outcome) (rate(switchboard_mcp_requests_total{${sel}, switchboard_outcome!="ok"}[${R}]))`,
      '{{switchboard_outcome}}',
    ],
    [`sum(rate(switchboard_mcp_errors_total{${sel}}[${R}]))`, 'server errors'],
  ],
  { unit: 'reqps', x: 0, y: 8 },
);
panel(
  'Requests per node',
  [[`sum by (instance) (rate(switchboard_mcp_requests_total{${sel}}[${R}]))`, '{{instance}}']],
  {
    unit: 'reqps',
    x: 12,
    y: 8,
    description: 'Round robin without affinity: the nodes should carry about the same load.',
  },
);
panel(
  'Tool calls by tool',
  [
    [
      `sum by (switchboard_tool_pack, switchboard_tool_pack_tool) (rate(switchboard_tool_calls_total{${sel}}[${R}]))`,
      '{{switchboard_tool_pack}}/{{switchboard_tool_pack_tool}}',
    ],
  ],
  { unit: 'reqps', x: 0, y: 16 },
);
panel(
  'Tool call latency p99',
  [
    [
      `histogram_quantile(0.99, sum by (le, switchboard_tool_pack) (rate(switchboard_tool_call_duration_bucket{${sel}}[${R}])))`,
      '{{switchboard_tool_pack}}',
    ],
  ],
  { unit: 's', x: 12, y: 16 },
);
panel('Legacy sessions held per node', [[`switchboard_mcp_legacy_sessions{${sel}}`, '{{instance}}']], {
  x: 0,
  y: 24,
  w: 8,
});
panel(
  'Rate-limit rejections',
  [
    [
      `sum by (switchboard_ratelimit_scope) (rate(switchboard_ratelimit_rejections_total{${sel}}[${R}]))`,
      '{{switchboard_ratelimit_scope}}',
    ],
    [
      `sum(rate(switchboard_ratelimit_insurance_decisions_total{${sel}}[${R}]))`,
      'decided in memory (Redis away)',
    ],
  ],
  { unit: 'reqps', x: 8, y: 24, w: 8 },
);
panel(
  'Sign-in throttle',
  [[`sum by (event) (rate(switchboard_login_throttle_total{${sel}}[${R}]))`, '{{event}}']],
  { unit: 'reqps', x: 16, y: 24, w: 8 },
);
panel(
  'Audit events written',
  [
    [`sum by (instance) (rate(switchboard_audit_events_written_total{${sel}}[${R}]))`, '{{instance}}'],
    [`sum(switchboard_audit_pending{${sel}})`, 'pending'],
  ],
  { x: 0, y: 32, w: 8 },
);
panel(
  'Audit write latency p99',
  [
    [
      `histogram_quantile(0.99, sum by (le) (rate(switchboard_audit_write_duration_bucket{${sel}}[${R}])))`,
      'p99',
    ],
  ],
  { unit: 's', x: 8, y: 32, w: 8 },
);
panel(
  'Vault',
  [
    [`sum by (operation) (rate(switchboard_vault_operations_total{${sel}}[${R}]))`, '{{operation}}'],
    [`sum(rate(switchboard_vault_decrypt_failures_total{${sel}}[${R}]))`, 'decrypt failures'],
  ],
  { unit: 'ops', x: 16, y: 32, w: 8 },
);

const dashboard = {
  uid: 'switchboard',
  title: 'Switchboard',
  description: 'Starter dashboard for a Switchboard cluster: MCP traffic, tools, limits, audit and vault.',
  tags: ['switchboard', 'mcp'],
  timezone: 'browser',
  schemaVersion: 39,
  version: 1,
  refresh: '30s',
  time: { from: 'now-1h', to: 'now' },
  templating: {
    list: [
      {
        name: 'job',
        type: 'custom',
        query: 'switchboard',
        current: { text: 'switchboard', value: 'switchboard' },
        hide: 2,
      },
      {
        name: 'instance',
        type: 'query',
        datasource: { type: 'prometheus', uid: 'prometheus' },
        query: 'label_values(switchboard_mcp_requests_total{job="$job"}, instance)',
        includeAll: true,
        multi: true,
        allValue: '.*',
        current: { text: 'All', value: '$__all' },
        refresh: 2,
      },
    ],
  },
  panels,
};
writeFileSync(
  new URL('../../deploy/compose/grafana/dashboards/switchboard.json', import.meta.url),
  `${JSON.stringify(dashboard, null, 2)}\n`,
);
