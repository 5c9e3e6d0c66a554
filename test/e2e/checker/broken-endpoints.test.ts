/**
 * The checker against deliberately broken deployments on loopback: each report must fail and name the
 * step that is broken, and only that one, so an administrator knows what to fix.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  authorizationHook,
  renderReport,
  runCheck,
  type CheckReport,
  type StepId,
} from '@switchboard/checker';

import {
  followRedirect,
  startBrokenDeployment,
  type BrokenDeployment,
  type Defects,
} from './broken-servers.js';

let deployment: BrokenDeployment | null = null;

afterEach(async () => {
  await deployment?.close();
  deployment = null;
});

async function check(defects: Defects): Promise<CheckReport> {
  deployment = await startBrokenDeployment(defects);
  const report = await runCheck({
    url: deployment.mcpUrl,
    auth: {
      kind: 'oauth',
      strategy: authorizationHook((url, redirectUri) => followRedirect(url, redirectUri), {
        redirectUri: 'http://127.0.0.1/callback',
        name: 'auto-approve',
      }),
    },
    burst: 5,
  });
  process.stdout.write(`${renderReport(report)}\n\n`);
  return report;
}

function outcomes(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.steps.map((s) => [s.id, s.skip ? `skipped:${s.skip}` : s.outcome]));
}

function step(report: CheckReport, id: StepId) {
  return report.steps.find((s) => s.id === id)!;
}

describe('checker against broken servers', () => {
  it('the control: the same deployment without a defect passes', async () => {
    const report = await check({});
    expect(report.summary.failedSteps).toEqual([]);
    expect(report.outcome).toBe('pass');
    expect(step(report, 'legacy.tool-call').data).toMatchObject({ tool: 'server_status' });
    expect(step(report, 'legacy.prompts').skip).toBe('not-applicable');
    // The issued token never appears in the report.
    expect(deployment!.issuedTokens).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain(deployment!.issuedTokens[0]);
  });

  it('no protected-resource metadata: names that step, and the challenge without resource_metadata', async () => {
    const report = await check({ noProtectedResourceMetadata: true });
    expect(report.outcome).toBe('fail');
    expect(report.summary.failedSteps).toEqual(['protected-resource-metadata']);
    const prm = step(report, 'protected-resource-metadata');
    expect(prm.summary).toBe('no protected-resource metadata (RFC 9728) was found');
    expect(prm.hint).toContain(`${deployment!.origin}/.well-known/oauth-protected-resource/mcp`);
    expect(prm.details).toEqual([
      `GET ${deployment!.origin}/.well-known/oauth-protected-resource/mcp → 404`,
      `GET ${deployment!.origin}/.well-known/oauth-protected-resource → 404`,
    ]);
    expect(step(report, 'unauthenticated-challenge').outcome).toBe('warn');
    expect(outcomes(report)).toMatchObject({
      'authorization-server-metadata': 'skipped:blocked',
      'token-exchange': 'skipped:blocked',
      'legacy.initialize': 'skipped:blocked',
      'errors.malformed-json': 'skipped:blocked',
    });
    expect(step(report, 'legacy.initialize').summary).toBe(
      'not run: Protected-resource metadata (RFC 9728) did not pass',
    );
  });

  it('a token for the wrong audience: names the audience step, while the rest works', async () => {
    const report = await check({ tokenAudience: 'https://api.other.example/' });
    expect(report.outcome).toBe('fail');
    expect(report.summary.failedSteps).toEqual(['token-audience']);
    const audience = step(report, 'token-audience');
    expect(audience.summary).toBe(
      `the token's audience is https://api.other.example/, not this endpoint (${deployment!.mcpUrl})`,
    );
    expect(audience.hint).toMatch(/RFC 8707/);
    expect(audience.data).toMatchObject({ format: 'jwt', aud: ['https://api.other.example/'] });
    expect(outcomes(report)).toMatchObject({ 'legacy.tool-call': 'pass', 'modern.tool-call': 'pass' });
  });

  it('an authorization server without PKCE S256: names the metadata step and stops before authorizing', async () => {
    const report = await check({ pkceMethods: ['plain'] });
    expect(report.outcome).toBe('fail');
    expect(report.summary.failedSteps).toEqual(['authorization-server-metadata']);
    const as = step(report, 'authorization-server-metadata');
    expect(as.summary).toBe('PKCE S256 is not supported (code_challenge_methods_supported: [plain])');
    expect(as.hint).toMatch(/S256/);
    expect(outcomes(report)).toMatchObject({
      'client-registration': 'skipped:blocked',
      authorization: 'skipped:blocked',
      'legacy.initialize': 'skipped:blocked',
    });
  });

  it('an MCP server that crashes on bad requests: names each error-handling probe', async () => {
    const report = await check({ crashOnBadRequest: true });
    expect(report.outcome).toBe('fail');
    expect(report.summary.failedSteps).toEqual([
      'errors.malformed-json',
      'errors.unknown-method',
      'errors.invalid-params',
    ]);
    expect(step(report, 'errors.malformed-json').summary).toMatch(
      /^no answer: .* closed the connection without an HTTP response/,
    );
    expect(step(report, 'errors.malformed-json').hint).toMatch(/must survive bad input/);
    expect(step(report, 'errors.unknown-method').summary).toBe('HTTP 500: the server failed on bad input');
    expect(step(report, 'errors.invalid-params').summary).toBe('HTTP 500: the server failed on bad input');
    // It requires no authorization: said as a warning, and the OAuth steps do not apply.
    expect(report.authMode).toBe('none');
    expect(outcomes(report)).toMatchObject({
      'unauthenticated-challenge': 'warn',
      'protected-resource-metadata': 'skipped:not-applicable',
      'token-exchange': 'skipped:not-applicable',
      'legacy.tools': 'pass',
      latency: 'pass',
    });
  });

  it('a server without the 2026-07-28 protocol passes with a warning, its modern steps not applicable', async () => {
    const report = await check({ legacyOnly: true });
    expect(report.outcome).toBe('pass');
    expect(report.summary.warningSteps).toEqual(['modern.discover']);
    expect(step(report, 'modern.discover').summary).toBe(
      'the server does not offer protocol 2026-07-28 (it answered server/discover without it)',
    );
    expect(outcomes(report)).toMatchObject({
      'legacy.tool-call': 'pass',
      'modern.tools': 'skipped:not-applicable',
      'errors.unknown-method': 'pass',
    });
  });

  it('a cancelled check stops where it is and is incomplete, not failed', async () => {
    deployment = await startBrokenDeployment({});
    const controller = new AbortController();
    const report = await runCheck({ url: deployment.mcpUrl, signal: controller.signal }, (event) => {
      if (event.type === 'step-finished' && event.step.id === 'protected-resource-metadata')
        controller.abort();
    });
    expect(report.outcome).toBe('incomplete');
    expect(report.summary.failed).toBe(0);
    expect(outcomes(report)).toMatchObject({
      'protected-resource-metadata': 'pass',
      'authorization-server-metadata': 'skipped:unverified',
      latency: 'skipped:blocked',
    });
    expect(step(report, 'authorization-server-metadata').summary).toBe('not run: the check was cancelled');
  });
});
