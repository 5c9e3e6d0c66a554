import { describe, expect, it } from '@jest/globals';
import type { KoaContextWithOIDC } from 'oidc-provider';
import {
  sessionServesTenant,
  tenantBoundInteractionPolicy,
  upstreamAcr,
  upstreamTenantOf,
} from './tenant-bound-session.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('tenant-bound sessions', () => {
  it('names the tenant in the acr of an upstream sign-in', () => {
    expect(upstreamTenantOf(upstreamAcr(A))).toBe(A);
    expect(upstreamTenantOf(undefined)).toBeNull();
    expect(upstreamTenantOf('urn:mace:incommon:iap:silver')).toBeNull();
  });

  it('lets password sessions act anywhere and upstream sessions in their tenant only', () => {
    expect(sessionServesTenant({}, A)).toBe(true);
    expect(sessionServesTenant(undefined, A)).toBe(true);
    expect(sessionServesTenant({ acr: upstreamAcr(A) }, A)).toBe(true);
    expect(sessionServesTenant({ acr: upstreamAcr(A) }, B)).toBe(false);
  });

  it('asks for a new sign-in when the request is for another tenant', async () => {
    const policy = tenantBoundInteractionPolicy(async (resource) => (resource.includes('/t/a/') ? A : B));
    const check = policy.get('login')!.checks.get('upstream_session_other_tenant')!;
    const ctx = (acr: string | undefined, resource: string) =>
      ({
        oidc: { session: { accountId: 'u1', acr }, params: { resource } },
      }) as unknown as KoaContextWithOIDC;
    expect(await check.check(ctx(upstreamAcr(A), 'https://h/t/a/mcp'))).toBe(false);
    expect(await check.check(ctx(upstreamAcr(A), 'https://h/t/b/mcp'))).toBe(true);
    expect(await check.check(ctx(undefined, 'https://h/t/b/mcp'))).toBe(false);
    expect(check.error).toBe('login_required');
  });
});
