/**
 * `switchboard check` run in-process (the binary's code path): exit codes, `--json`, live progress, the
 * ways credentials are given, and that it never opens the platform database.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CheckReport } from '@switchboard/checker';
import { run } from '../../../apps/cli/src/main.js';
import { ApiKeyService } from '../../../src/auth/api-key.service.js';
import { createOAuthTenant, startOAuthTestApp, type OAuthTestApp } from '../oauth/support.js';
import { startBrokenDeployment } from './broken-servers.js';

let app: OAuthTestApp;
let dataDir: string;
/** An environment whose database could never be opened: the command must not try. */
let env: Record<string, string>;

beforeAll(async () => {
  app = await startOAuthTestApp();
  dataDir = await mkdtemp(join(tmpdir(), 'sb-check-cli-'));
  env = { SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' };
});

afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function cli(argv: string[], stdin = '', extraEnv: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await run(
    argv,
    { ...env, ...extraEnv },
    { out: (s) => void (out += s), err: (s) => void (err += s), input: Readable.from([stdin]) },
  );
  return { code, out, err };
}

describe('switchboard check', () => {
  it('exits 0 with a readable report and live progress for a healthy endpoint', async () => {
    const t = await createOAuthTenant(app, 'member');
    const r = await cli(
      ['check', t.mcpUrl, '--user', t.member.email, '--burst', '5'],
      `${t.member.password}\n`,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Connection check: ${t.mcpUrl}`);
    expect(r.out).toContain('Result: PASS');
    // Progress goes to stderr as the steps finish, so stdout stays the report alone.
    expect(r.err).toContain(`Checking ${t.mcpUrl}`);
    expect(r.err).toMatch(/ {2}PASS {2}Reachability/);
    expect(r.err).toMatch(/ {2}PASS {2}2026-07-28: read-only tool call/);
    expect(`${r.out}${r.err}`).not.toContain(t.member.password);
    // Nothing was created where the platform keeps its database.
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('prints only the JSON report with --json', async () => {
    const t = await createOAuthTenant(app, 'member');
    const r = await cli(
      ['check', t.mcpUrl, '--user', t.member.email, '--json', '--burst', '3'],
      `${t.member.password}\n`,
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const report = JSON.parse(r.out) as CheckReport;
    expect(report).toMatchObject({ version: 1, url: t.mcpUrl, outcome: 'pass', authMode: 'oauth' });
    expect(report.steps.find((s) => s.id === 'latency')?.data).toMatchObject({ requests: 3 });
  });

  it('takes an API key from SWITCHBOARD_CHECK_API_KEY or standard input', async () => {
    const t = await createOAuthTenant(app, 'member');
    const { key } = await app.running.app.get(ApiKeyService).create(t.slug, { userEmail: t.member.email });
    const fromEnv = await cli(['check', t.mcpUrl, '--api-key', '--json', '--burst', '2'], '', {
      SWITCHBOARD_CHECK_API_KEY: key,
    });
    expect(fromEnv.code).toBe(0);
    expect((JSON.parse(fromEnv.out) as CheckReport).authMode).toBe('api-key');
    const fromStdin = await cli(['check', t.mcpUrl, '--api-key', '--json', '--burst', '2'], `${key}\n`);
    expect(fromStdin.code).toBe(0);
    expect(`${fromEnv.out}${fromStdin.out}`).not.toContain(key);
  });

  it('exits 1 and names the failing step against a broken server', async () => {
    const broken = await startBrokenDeployment({ noProtectedResourceMetadata: true });
    try {
      const json = await cli(['check', broken.mcpUrl, '--no-sign-in', '--json']);
      expect(json.code).toBe(1);
      const report = JSON.parse(json.out) as CheckReport;
      expect(report.outcome).toBe('fail');
      expect(report.summary.failedSteps).toEqual(['protected-resource-metadata']);
      const human = await cli(['check', broken.mcpUrl, '--no-sign-in']);
      expect(human.code).toBe(1);
      expect(human.out).toContain('First to fix: Protected-resource metadata (RFC 9728).');
      expect(human.out).toMatch(
        /FAIL {2}Protected-resource metadata \(RFC 9728\) +no protected-resource metadata/,
      );
    } finally {
      await broken.close();
    }
  });

  it('exits 1 when the check is incomplete (no sign-in)', async () => {
    const t = await createOAuthTenant(app, 'member');
    const r = await cli(['check', t.mcpUrl, '--no-sign-in', '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as CheckReport).outcome).toBe('incomplete');
  });

  it('exits 2 on bad input, with a structured error under --json', async () => {
    const cases: [string[], string, RegExp][] = [
      [['check', 'not a url', '--json'], '', /not a URL/],
      [['check', 'ftp://example.com/mcp', '--json', '--no-sign-in'], '', /not an http\(s\) URL/],
      [['check', 'https://example.com/mcp', '--burst', '-1', '--json'], '', /--burst must be a whole number/],
      [
        ['check', 'https://example.com/mcp', '--timeout', '0', '--json'],
        '',
        /--timeout must be a whole number/,
      ],
      [
        ['check', 'https://example.com/mcp', '--user', 'a@b.c', '--api-key', '--json'],
        '',
        /either --user or --api-key/,
      ],
      [
        ['check', 'https://example.com/mcp', '--user', 'a@b.c', '--json'],
        '',
        /no password on standard input/,
      ],
    ];
    for (const [argv, stdin, message] of cases) {
      const r = await cli(argv, stdin);
      expect(`${argv.join(' ')} → ${r.code}`).toBe(`${argv.join(' ')} → 2`);
      const body = JSON.parse(r.out) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_argument');
      expect(body.error.message).toMatch(message);
    }
    expect((await cli(['check'])).code).toBe(2);
  });
});
