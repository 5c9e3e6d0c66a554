import { describe, expect, it } from '@jest/globals';
import type { AuditRecorder } from '../../audit/audit.contract.js';
import type { RbacService } from '../../rbac/rbac.service.js';
import type { MembershipRepository } from '../../tenancy/membership.repository.js';
import type { UserRepository } from '../../tenancy/user.repository.js';
import type { OAuthServer } from '../oauth-server.service.js';
import type { OAuthPayloadRepository } from '../store/oauth-payload.repository.js';
import { DelegatedAuthorizationService, DelegationRefusedError } from './delegated-authorization.service.js';

const ISSUER = 'https://sb.example/oauth';
const RESOURCE = 'https://sb.example/t/acme/mcp';
const REDIRECT = 'https://sb.example/api/v1/checks/callback';

function service(opts: { member?: boolean; tenantId?: string } = {}) {
  const server = {
    issuer: ISSUER,
    resolveResource: async (r: string) =>
      r === RESOURCE
        ? {
            resource: r,
            tenantId: opts.tenantId ?? 't1',
            tenantName: 'Acme',
            endpointId: 'e1',
            endpointName: 'Default',
          }
        : null,
  } as unknown as OAuthServer;
  const users = { findById: async () => ({ id: 'u1', email: 'ada@acme.example', disabled: false }) };
  const memberships = { find: async () => (opts.member === false ? null : { role: 'member' }) };
  const rbac = { prepare: async () => undefined, can: () => true };
  return new DelegatedAuthorizationService(
    server,
    users as unknown as UserRepository,
    memberships as unknown as MembershipRepository,
    rbac as unknown as RbacService,
    {} as OAuthPayloadRepository,
    { record: async () => undefined } as AuditRecorder,
  );
}

function request(over: Record<string, string> = {}, base = `${ISSUER}/auth`) {
  const url = new URL(base);
  const params = { client_id: 'dcr_1', resource: RESOURCE, redirect_uri: REDIRECT, state: 's', ...over };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return {
    authorizationUrl: url,
    redirectUri: REDIRECT,
    userId: 'u1',
    tenantId: 't1',
    resource: RESOURCE,
    signal: new AbortController().signal,
  };
}

describe('DelegatedAuthorizationService refuses before signing anyone in', () => {
  it.each([
    ['another authorization server', request({}, 'https://evil.example/oauth/auth'), /not this server/],
    ['another endpoint', request({ resource: 'https://sb.example/t/other/mcp' }), /not for/],
    ['another redirect', request({ redirect_uri: 'https://evil.example/cb' }), /another redirect URI/],
    ['no client', request({ client_id: '' }), /names no client/],
  ])('%s', async (_what, req, message) => {
    await expect(service().authorize(req)).rejects.toThrow(message);
  });

  it('a non-member, or an endpoint of another tenant', async () => {
    await expect(service({ member: false }).authorize(request())).rejects.toBeInstanceOf(
      DelegationRefusedError,
    );
    await expect(service({ tenantId: 't2' }).authorize(request())).rejects.toThrow(
      /not an endpoint of this tenant/,
    );
  });
});
