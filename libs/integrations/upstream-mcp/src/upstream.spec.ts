import { describe, expect, it } from '@jest/globals';
import { ProtocolError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { EgressRefusedError } from '@switchboard/http-client';

import { classifyUpstreamError, redact } from './upstream.errors.js';
import { configDigest, parseUpstreamConfig, upstreamConfigSchema } from './upstream.config.js';
import { namespacedName } from './upstream.pack.js';

describe('upstream configuration', () => {
  it('fills defaults and rejects bad namespaces, schemes and unknown keys', () => {
    const config = parseUpstreamConfig({ url: 'https://mcp.example.com/mcp', namespace: 'gh' });
    expect(config).toMatchObject({ auth: { kind: 'none' }, protocol: 'auto', resources: true });
    expect(upstreamConfigSchema.safeParse({ url: 'https://x.example/mcp', namespace: 'GH' }).success).toBe(
      false,
    );
    expect(upstreamConfigSchema.safeParse({ url: 'file:///etc/passwd', namespace: 'gh' }).success).toBe(
      false,
    );
    expect(
      upstreamConfigSchema.safeParse({ url: 'https://x.example/mcp', namespace: 'gh', token: 'x' }).success,
    ).toBe(false);
    expect(
      upstreamConfigSchema.safeParse({
        url: 'https://x.example/mcp',
        namespace: 'gh',
        auth: { kind: 'oauth_client_credentials' },
      }).success,
    ).toBe(false);
  });

  it('digests only what needs a new client', () => {
    const a = parseUpstreamConfig({ url: 'https://x.example/mcp', namespace: 'gh' });
    const b = parseUpstreamConfig({ url: 'https://x.example/mcp', namespace: 'other', tools: ['a'] });
    const c = parseUpstreamConfig({
      url: 'https://x.example/mcp',
      namespace: 'gh',
      auth: { kind: 'bearer' },
    });
    expect(configDigest(a)).toBe(configDigest(b));
    expect(configDigest(a)).not.toBe(configDigest(c));
  });
});

describe('namespacedName', () => {
  it('prefixes, lowercases and replaces characters a tool name may not have', () => {
    expect(namespacedName('gh', 'search')).toBe('gh_search');
    expect(namespacedName('gh', 'Search Issues!')).toBe('gh_search_issues');
    expect(namespacedName('gh', 'repo.list-all')).toBe('gh_repo.list-all');
    expect(namespacedName('gh', '***')).toBeNull();
    expect(namespacedName('gh', 'x'.repeat(80))).toBeNull();
  });
});

describe('classifyUpstreamError', () => {
  it('keeps the upstream words for JSON-RPC errors but scrubs secrets', () => {
    const failure = classifyUpstreamError(
      new ProtocolError(-32602, 'bad token s3cr3t-value'),
      'mcp.example.com',
      ['s3cr3t-value'],
    );
    expect(failure.kind).toBe('rejected');
    expect(failure.message).toContain('[redacted]');
    expect(failure.message).not.toContain('s3cr3t-value');
  });

  it('recognises refused egress, 401, lost sessions and refused connections anywhere in the cause chain', () => {
    const refused = new EgressRefusedError('localhost', '127.0.0.1', 'a loopback address');
    expect(classifyUpstreamError(new Error('wrapped', { cause: refused }), 'h').kind).toBe('refused');
    const unauthorized = new SdkHttpError(SdkErrorCode.ClientHttpAuthentication, 'nope', {
      status: 401,
    } as ConstructorParameters<typeof SdkHttpError>[2]);
    expect(classifyUpstreamError(unauthorized, 'h').kind).toBe('unauthorized');
    const econnrefused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyUpstreamError(econnrefused, 'h')).toMatchObject({ kind: 'unavailable', retryable: true });
  });

  it('redacts every occurrence and ignores very short values', () => {
    expect(redact('a-b a-b abc', ['a-b', 'abc'])).toBe('a-b a-b abc');
    expect(redact('tok1234 and tok1234', ['tok1234'])).toBe('[redacted] and [redacted]');
  });
});
