import { describe, expect, it } from '@jest/globals';

import {
  compareResource,
  protectedResourceMetadataUrls,
  validateAuthorizationServerMetadata,
  validateProtectedResourceMetadata,
} from './metadata.js';

const URL_ = 'https://mcp.example/t/acme/mcp';
const ISSUER = 'https://mcp.example/oauth';

function levels(findings: readonly { level: string; message: string }[]) {
  return findings.filter((f) => f.level !== 'note').map((f) => `${f.level}: ${f.message}`);
}

const goodAs = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  registration_endpoint: `${ISSUER}/reg`,
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code', 'refresh_token'],
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
  client_id_metadata_document_supported: true,
};

describe('protectedResourceMetadataUrls', () => {
  it('inserts the well-known path before the resource path, then falls back to the root', () => {
    expect(protectedResourceMetadataUrls(URL_)).toEqual([
      'https://mcp.example/.well-known/oauth-protected-resource/t/acme/mcp',
      'https://mcp.example/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls('https://mcp.example/')).toEqual([
      'https://mcp.example/.well-known/oauth-protected-resource',
    ]);
  });
});

describe('compareResource', () => {
  it('tells the same resource, a parent resource and another resource apart', () => {
    expect(compareResource(URL_, URL_)).toBe('same');
    expect(compareResource('https://MCP.example/t/acme/mcp', URL_)).toBe('same');
    expect(compareResource('https://mcp.example/t/acme', URL_)).toBe('covers');
    expect(compareResource('https://mcp.example/t/ac', URL_)).toBe('different');
    expect(compareResource('https://other.example/t/acme/mcp', URL_)).toBe('different');
    expect(compareResource('not a url', URL_)).toBe('different');
  });
});

describe('validateProtectedResourceMetadata', () => {
  it('accepts a document naming this URL and an https issuer', () => {
    const r = validateProtectedResourceMetadata(
      { resource: URL_, authorization_servers: [ISSUER], scopes_supported: ['mcp'] },
      URL_,
    );
    expect(levels(r.findings)).toEqual([]);
    expect(r.metadata).toEqual({
      resource: URL_,
      authorization_servers: [ISSUER],
      scopes_supported: ['mcp'],
    });
  });

  it('fails a resource for another URL and names the fix', () => {
    const r = validateProtectedResourceMetadata(
      { resource: 'https://old.example/mcp', authorization_servers: [ISSUER] },
      URL_,
    );
    const error = r.findings.find((f) => f.level === 'error');
    expect(error?.message).toContain('not this URL');
    expect(error?.hint).toContain(URL_);
  });

  it('warns when the resource is a parent of the URL', () => {
    const r = validateProtectedResourceMetadata(
      { resource: 'https://mcp.example/', authorization_servers: [ISSUER] },
      URL_,
    );
    expect(levels(r.findings)).toEqual([
      expect.stringMatching(/^warning: "resource" is https:\/\/mcp.example\/, a parent/),
    ]);
  });

  it('fails without authorization servers, or with one on plain http', () => {
    expect(levels(validateProtectedResourceMetadata({ resource: URL_ }, URL_).findings)).toEqual([
      'error: the document lists no "authorization_servers"',
    ]);
    const http = validateProtectedResourceMetadata(
      { resource: URL_, authorization_servers: ['http://as.example'] },
      URL_,
    );
    expect(levels(http.findings)).toEqual(['error: authorization server http://as.example is not https']);
    // Loopback http is fine for local testing.
    const local = validateProtectedResourceMetadata(
      { resource: 'http://localhost:3000/mcp', authorization_servers: ['http://localhost:3000/oauth'] },
      'http://localhost:3000/mcp',
    );
    expect(levels(local.findings)).toEqual([]);
  });

  it('warns when bearer tokens cannot go in the header', () => {
    const r = validateProtectedResourceMetadata(
      { resource: URL_, authorization_servers: [ISSUER], bearer_methods_supported: ['body'] },
      URL_,
    );
    expect(levels(r.findings)[0]).toMatch(/^warning: bearer_methods_supported/);
  });
});

describe('validateAuthorizationServerMetadata', () => {
  it('accepts what Claude needs', () => {
    const r = validateAuthorizationServerMetadata(goodAs, ISSUER);
    expect(levels(r.findings)).toEqual([]);
    expect(r.metadata).toMatchObject({ issuer: ISSUER, registration_endpoint: `${ISSUER}/reg` });
  });

  it('fails without S256, and warns when plain is offered too', () => {
    const noS256 = validateAuthorizationServerMetadata(
      { ...goodAs, code_challenge_methods_supported: ['plain'] },
      ISSUER,
    );
    expect(levels(noS256.findings)).toEqual([
      'error: PKCE S256 is not supported (code_challenge_methods_supported: [plain])',
    ]);
    const absent = validateAuthorizationServerMetadata(
      { ...goodAs, code_challenge_methods_supported: undefined },
      ISSUER,
    );
    expect(levels(absent.findings)[0]).toMatch(/^error: code_challenge_methods_supported is missing/);
    const both = validateAuthorizationServerMetadata(
      { ...goodAs, code_challenge_methods_supported: ['plain', 'S256'] },
      ISSUER,
    );
    expect(levels(both.findings)).toEqual([expect.stringMatching(/^warning: the "plain" PKCE method/)]);
  });

  it('fails an issuer that differs from the one the resource named', () => {
    const r = validateAuthorizationServerMetadata({ ...goodAs, issuer: `${ISSUER}/` }, ISSUER);
    expect(levels(r.findings)[0]).toMatch(/^error: "issuer" is "https:\/\/mcp.example\/oauth\/"/);
  });

  it('fails when the client cannot identify itself at all', () => {
    const r = validateAuthorizationServerMetadata(
      { ...goodAs, registration_endpoint: undefined, client_id_metadata_document_supported: false },
      ISSUER,
    );
    expect(levels(r.findings)).toEqual([
      expect.stringMatching(/^error: neither client ID metadata documents nor dynamic/),
    ]);
  });

  it('requires "none" for metadata documents, and only warns about it with registration', () => {
    const cimdOnly = validateAuthorizationServerMetadata(
      {
        ...goodAs,
        registration_endpoint: undefined,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      },
      ISSUER,
    );
    expect(levels(cimdOnly.findings)[0]).toMatch(
      /^error: token_endpoint_auth_methods_supported is \[private_key_jwt\]/,
    );
    const withDcr = validateAuthorizationServerMetadata(
      { ...goodAs, token_endpoint_auth_methods_supported: undefined },
      ISSUER,
    );
    expect(levels(withDcr.findings)).toEqual([
      expect.stringMatching(
        /^warning: token_endpoint_auth_methods_supported is absent \(defaults to client_secret_basic\)/,
      ),
    ]);
  });

  it('fails missing endpoints, plain-http endpoints and a missing code response type', () => {
    const r = validateAuthorizationServerMetadata(
      {
        ...goodAs,
        authorization_endpoint: undefined,
        token_endpoint: 'http://mcp.example/oauth/token',
        response_types_supported: ['token'],
      },
      ISSUER,
    );
    expect(levels(r.findings)).toEqual([
      'error: "authorization_endpoint" is missing',
      'error: "token_endpoint" (http://mcp.example/oauth/token) is not https',
      'error: response_types_supported is [token] without "code"',
    ]);
    expect(r.metadata).toBeNull();
  });

  it('warns without a refresh_token grant', () => {
    const r = validateAuthorizationServerMetadata(
      { ...goodAs, grant_types_supported: ['authorization_code'] },
      ISSUER,
    );
    expect(levels(r.findings)).toEqual([expect.stringMatching(/^warning: no refresh_token grant/)]);
  });
});
