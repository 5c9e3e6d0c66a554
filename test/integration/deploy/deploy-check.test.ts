/**
 * The static checks of deploy/ pass on the committed files and catch what they are for: Go-template
 * semantics as Helm has them, schema errors in rendered manifests and in compose files, Dockerfile
 * rules, and dashboards querying metrics nobody emits.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import {
  checkChart,
  checkCompose,
  checkDashboard,
  checkDocs,
  deploy,
  lintDockerfile,
  VARIANTS,
} from '../../../scripts/deploy-check/checks.mjs';
import { Engine } from '../../../scripts/deploy-check/go-template.mjs';
import { renderChart } from '../../../scripts/deploy-check/helm-render.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'sb-deploy-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function render(src: string, dot: unknown, funcs: Record<string, (...a: never[]) => unknown> = {}): string {
  const engine = new Engine({
    include: function (this: { engine: Engine }, name: string, d: unknown) {
      return this.engine.render(name, d);
    },
    eq: (a: unknown, b: unknown) => a === b,
    ...funcs,
  } as Record<string, (...a: never[]) => unknown>);
  engine.add('t', src);
  return engine.render('t', dot);
}

describe('Go templates as Helm renders them', () => {
  it('trims whitespace around {{- and -}} and drops comments', () => {
    expect(render('a  {{- .x -}}  b {{/* note */}}c', { x: 1 })).toBe('a1b c');
  });

  it('branches, iterates and scopes like text/template', () => {
    const src =
      '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}|{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ else }}none{{ end }}|{{ with .m }}{{ .k }}{{ end }}|{{ $x := "o" }}{{ if true }}{{ $x = "n" }}{{ end }}{{ $x }}';
    expect(render(src, { a: false, b: 1, l: ['p', 'q'], m: { k: 'v' } })).toBe('B|0=p;1=q;|v|n');
    expect(render(src, { a: 0, b: '', l: [], m: {} })).toBe('C|none||n');
  });

  it('ranges over maps in key order and shares defines across templates', () => {
    expect(
      render(
        '{{ define "kv" }}{{ .k }}{{ end }}{{ range $k, $v := . }}{{ $k }}{{ include "kv" $v }} {{ end }}',
        { b: { k: 2 }, a: { k: 1 } },
      ),
    ).toBe('a1 b2 ');
  });

  it('fails on a field of a missing value, as Go does, and renders a missing key as nothing', () => {
    expect(render('[{{ .missing }}]', {})).toBe('[]');
    expect(() => render('{{ .missing.field }}', {})).toThrow(/nil pointer/);
  });
});

describe('deploy/ as committed', () => {
  it('passes every check', () => {
    expect(lintDockerfile(join(deploy, 'Dockerfile'))).toEqual([]);
    expect(checkCompose(join(deploy, 'compose.yaml'))).toEqual([]);
    expect(checkChart(join(deploy, 'helm/switchboard'))).toEqual([]);
    expect(checkDashboard(join(deploy, 'compose/grafana/dashboards/switchboard.json'))).toEqual([]);
    expect(checkDocs()).toEqual([]);
  });

  it('renders the optional parts only when asked, without replicas under an HPA', () => {
    const chart = join(deploy, 'helm/switchboard');
    const kinds = (values: Record<string, unknown>) =>
      renderChart(chart, { values })
        .documents.map((d) => d.object.kind)
        .sort();
    expect(kinds(VARIANTS.defaults!)).toEqual([
      'Deployment',
      'Job',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    const all = renderChart(chart, { values: VARIANTS['everything on'] });
    expect(all.documents.map((d) => d.object.kind)).toEqual(
      expect.arrayContaining(['Ingress', 'HorizontalPodAutoscaler', 'ServiceMonitor']),
    );
    const deployment = all.documents.find((d) => d.object.kind === 'Deployment')!.object as unknown as {
      spec: { replicas?: number };
    };
    expect(deployment.spec.replicas).toBeUndefined();
  });
});

describe('what the checks catch', () => {
  it('a manifest that breaks the Kubernetes schema', () => {
    const problems = checkChart(join(deploy, 'helm/switchboard'), {
      broken: { ...VARIANTS.defaults, replicaCount: 'two', service: { port: 'http' } },
    });
    expect(problems.join('\n')).toMatch(/replicas must be integer/);
    expect(problems.join('\n')).toMatch(/port must be integer/);
  });

  it('a variable the server does not read, and a probe on a port that does not exist', () => {
    const chart = join(scratch, 'chart');
    cpSync(join(deploy, 'helm/switchboard'), chart, { recursive: true });
    const file = join(chart, 'templates/deployment.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('name: SWITCHBOARD_SEED_DEMO', 'name: SWITCHBOARD_SEED_DEMOS')
        .replace(
          'path: /health/ready\n              port: http',
          'path: /health/ready\n              port: web',
        ),
    );
    const problems = checkChart(chart, { defaults: VARIANTS.defaults! }).join('\n');
    expect(problems).toMatch(/unknown variable SWITCHBOARD_SEED_DEMOS/);
    expect(problems).toMatch(/readinessProbe uses unknown port web/);
  });

  it('a compose file outside the Compose Specification', () => {
    const dir = join(scratch, 'compose');
    cpSync(deploy, dir, { recursive: true });
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('stop_grace_period: 45s', 'stop_grace_period: soon'),
    );
    expect(checkCompose(file).join('\n')).toMatch(/stop_grace_period must match format "duration"/);
  });

  it('a Dockerfile that runs as root with a shell-form CMD on an untagged image', () => {
    const file = join(scratch, 'Dockerfile');
    writeFileSync(file, 'FROM node AS build\nRUN npm ci\nFROM node:24-slim\nWORKDIR app\nCMD node main.js\n');
    const problems = lintDockerfile(file).join('\n');
    expect(problems).toMatch(/DL3006/);
    expect(problems).toMatch(/DL3002/);
    expect(problems).toMatch(/DL3025/);
    expect(problems).toMatch(/DL3000/);
    expect(problems).toMatch(/SB002/);
  });

  it('a dashboard panel on a metric no code emits', () => {
    const file = join(scratch, 'dashboard.json');
    writeFileSync(
      file,
      JSON.stringify({
        panels: [{ title: 'x', targets: [{ expr: 'rate(switchboard_made_up_total[1m])' }] }],
      }),
    );
    expect(checkDashboard(file)).toEqual([
      'panel "x" queries switchboard_made_up_total, which no code emits',
    ]);
  });
});
