// `helm template` for this repository's chart without a helm binary: Chart.yaml and values.yaml are read,
// overrides merged over the values, every template parsed with go-template.mjs (defines shared across
// files, `_*.tpl` rendered to nothing), and the output split into documents. The functions are the subset
// of Helm's and Sprig's the chart uses, with their documented behaviour.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import YAML from 'yaml';

import { Engine, isTrue, printValue, TemplateError } from './go-template.mjs';

function isMap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Helm's value merge: maps merge recursively, anything else is replaced; null deletes a default. */
export function mergeValues(base, over) {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in base ? mergeValues(base[k], v) : v;
  }
  return out;
}

/** sigs.k8s.io/yaml as Helm's toYaml uses it: keys sorted, no trailing newline. */
export function toYaml(v) {
  if (v === undefined || v === null) return 'null';
  return YAML.stringify(v, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
}

function indent(n, s) {
  const pad = ' '.repeat(n);
  return String(s)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function goSprintf(format, ...args) {
  let i = 0;
  return String(format).replace(/%([-+# 0]*\d*(?:\.\d+)?)([sdvqtf%])/g, (_, _flags, verb) => {
    if (verb === '%') return '%';
    const a = args[i++];
    switch (verb) {
      case 'd':
        return String(Math.trunc(Number(a)));
      case 'q':
        return JSON.stringify(printValue(a));
      case 'f':
        return Number(a).toFixed(6);
      default:
        return printValue(a);
    }
  });
}

function empty(v) {
  return !isTrue(v);
}

function helmFunctions() {
  return {
    // Go builtins (and/or are special-cased by the engine).
    and: () => undefined,
    or: () => undefined,
    not: (v) => !isTrue(v),
    eq: (a, ...bs) => bs.some((b) => a === b),
    ne: (a, b) => a !== b,
    lt: (a, b) => a < b,
    le: (a, b) => a <= b,
    gt: (a, b) => a > b,
    ge: (a, b) => a >= b,
    len: (v) =>
      v === undefined || v === null
        ? 0
        : Array.isArray(v) || typeof v === 'string'
          ? v.length
          : Object.keys(v).length,
    index: (v, ...keys) =>
      keys.reduce((acc, k) => (acc === undefined || acc === null ? undefined : acc[k]), v),
    print: (...a) => a.map(printValue).join(''),
    println: (...a) => `${a.map(printValue).join(' ')}\n`,
    printf: goSprintf,
    // Sprig
    default: (dflt, ...given) => (given.length === 0 || empty(given[0]) ? dflt : given[0]),
    empty,
    coalesce: (...vs) => vs.find((v) => isTrue(v)),
    ternary: (a, b, cond) => (isTrue(cond) ? a : b),
    quote: (...vs) => vs.map((v) => JSON.stringify(printValue(v))).join(' '),
    squote: (...vs) => vs.map((v) => `'${printValue(v)}'`).join(' '),
    toString: (v) => printValue(v),
    int: (v) => Math.trunc(Number(v) || 0),
    int64: (v) => Math.trunc(Number(v) || 0),
    add: (...n) => n.reduce((a, b) => a + Number(b), 0),
    sub: (a, b) => Number(a) - Number(b),
    mul: (...n) => n.reduce((a, b) => a * Number(b), 1),
    max: (...n) => Math.max(...n.map(Number)),
    min: (...n) => Math.min(...n.map(Number)),
    trunc: (n, s) => {
      const str = printValue(s);
      return n >= 0 ? str.slice(0, n) : str.slice(n);
    },
    trim: (s) => printValue(s).trim(),
    trimSuffix: (suffix, s) =>
      printValue(s).endsWith(suffix) ? printValue(s).slice(0, -suffix.length) : printValue(s),
    trimPrefix: (prefix, s) =>
      printValue(s).startsWith(prefix) ? printValue(s).slice(prefix.length) : printValue(s),
    replace: (from, to, s) => printValue(s).split(from).join(to),
    lower: (s) => printValue(s).toLowerCase(),
    upper: (s) => printValue(s).toUpperCase(),
    contains: (sub, s) => printValue(s).includes(sub),
    hasPrefix: (p, s) => printValue(s).startsWith(p),
    hasSuffix: (p, s) => printValue(s).endsWith(p),
    join: (sep, list) => (list ?? []).map(printValue).join(sep),
    b64enc: (s) => Buffer.from(printValue(s)).toString('base64'),
    sha256sum: (s) => createHash('sha256').update(printValue(s)).digest('hex'),
    list: (...vs) => vs,
    dict: (...kv) => {
      const out = {};
      for (let i = 0; i + 1 < kv.length; i += 2) out[printValue(kv[i])] = kv[i + 1];
      return out;
    },
    hasKey: (m, k) => isMap(m) && Object.prototype.hasOwnProperty.call(m, k),
    keys: (...ms) => ms.flatMap((m) => Object.keys(m ?? {})),
    sortAlpha: (l) => [...(l ?? [])].map(printValue).sort(),
    merge: (dst, ...srcs) => srcs.reduce((acc, s) => mergeValues(s, acc), dst),
    kindIs: (kind, v) =>
      kind === 'map'
        ? isMap(v)
        : kind === 'slice'
          ? Array.isArray(v)
          : kind === 'string'
            ? typeof v === 'string'
            : kind === 'bool'
              ? typeof v === 'boolean'
              : false,
    toYaml,
    toJson: (v) => JSON.stringify(v ?? null),
    indent,
    nindent: (n, s) => `\n${indent(n, s)}`,
    fail: (msg) => {
      throw new TemplateError(printValue(msg));
    },
    // Helm
    required: function (msg, v) {
      if (v === undefined || v === null || v === '') throw new TemplateError(`${this.where}: ${msg}`);
      return v;
    },
    include: function (name, dot) {
      return this.engine.render(name, dot);
    },
    tpl: function (text, dot) {
      const name = `tpl:${createHash('sha1').update(text).digest('hex')}`;
      this.engine.add(name, text);
      return this.engine.render(name, dot);
    },
    // `helm template` has no cluster to look things up in.
    lookup: () => ({}),
  };
}

/**
 * Renders `chartDir` like `helm template RELEASE chartDir -f overrides`: returns the documents (parsed
 * YAML objects, empty ones dropped) with the template each came from, and NOTES.txt rendered.
 */
export function renderChart(chartDir, options = {}) {
  const chart = YAML.parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
  const defaults = YAML.parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) ?? {};
  const values = mergeValues(defaults, options.values ?? {});
  const apiVersions = new Set(options.apiVersions ?? []);
  const release = {
    Name: options.releaseName ?? 'switchboard',
    Namespace: options.namespace ?? 'default',
    Service: 'Helm',
    IsInstall: true,
    IsUpgrade: false,
    Revision: 1,
  };
  const engine = new Engine(helmFunctions());
  const dir = join(chartDir, 'templates');
  const files = readdirSync(dir)
    .filter((f) => /\.(ya?ml|tpl|txt)$/.test(f))
    .sort();
  for (const f of files) engine.add(`templates/${f}`, readFileSync(join(dir, f), 'utf8'));
  const top = {
    Values: values,
    Release: release,
    Chart: {
      Name: chart.name,
      Version: chart.version,
      AppVersion: chart.appVersion,
      Description: chart.description,
    },
    Capabilities: {
      KubeVersion: { Version: options.kubeVersion ?? 'v1.31.0', Major: '1', Minor: '31' },
      APIVersions: { Has: (v) => apiVersions.has(v) },
    },
    Files: { Get: () => '' },
  };
  const documents = [];
  let notes = '';
  for (const f of files) {
    if (f.startsWith('_')) continue;
    const name = `templates/${f}`;
    const out = engine.render(name, {
      ...top,
      Template: { Name: `${chart.name}/${name}`, BasePath: `${chart.name}/templates` },
    });
    if (f === 'NOTES.txt') {
      notes = out;
      continue;
    }
    for (const doc of YAML.parseAllDocuments(out)) {
      if (doc.errors.length > 0) {
        throw new TemplateError(`${name}: rendered YAML is invalid: ${doc.errors[0].message}\n${out}`);
      }
      const obj = doc.toJS();
      if (obj !== null && obj !== undefined) documents.push({ source: name, object: obj });
    }
  }
  return { documents, notes, values };
}
