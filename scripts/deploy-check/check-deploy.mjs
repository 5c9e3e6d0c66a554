#!/usr/bin/env node
// Static checks of deploy/ (no Docker engine or Kubernetes cluster needed), run by `npm test`:
// 1. the Dockerfile: dockerfile-utils' validator, plus hadolint's rules that apply to it (DLxxxx ids);
// 2. compose.yaml against the Compose Specification's JSON schema, plus references between its parts;
// 3. the Helm chart rendered (helm-render.mjs) with its defaults and with every optional part on, each
//    object validated against the Kubernetes OpenAPI schemas (kubernetes-models, prometheus-operator),
//    plus cross-object checks (selectors, ports, hooks, secret references, known variables);
// 4. the Grafana dashboard queries only metrics the code defines;
// 5. README's deployment section and the chart's README match the files.
// Prints one line per check; exits 1 listing every problem.
import { join } from 'node:path';

import { checkChart, checkCompose, checkDashboard, checkDocs, deploy, lintDockerfile } from './checks.mjs';

const problems = [];
const report = (check, list) => {
  process.stdout.write(`${list.length === 0 ? 'ok  ' : 'FAIL'} ${check}\n`);
  for (const p of list) problems.push(`${check}: ${p}`);
};

report('Dockerfile lint (dockerfile-utils + hadolint rules)', lintDockerfile(join(deploy, 'Dockerfile')));
report('compose.yaml against the Compose Specification schema', checkCompose(join(deploy, 'compose.yaml')));
report(
  'Helm chart rendered and validated against Kubernetes schemas',
  checkChart(join(deploy, 'helm/switchboard')),
);
report(
  'Grafana dashboard queries emitted metrics',
  checkDashboard(join(deploy, 'compose/grafana/dashboards/switchboard.json')),
);
report('README deployment section and chart values documented', checkDocs());
if (problems.length > 0) {
  process.stderr.write(`\n${problems.join('\n')}\n`);
  process.exit(1);
}
