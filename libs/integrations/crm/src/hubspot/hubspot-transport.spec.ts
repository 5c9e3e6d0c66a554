import { describe, expect, it } from '@jest/globals';
import { HttpClientError, type HttpRequestOptions, type HttpResponse } from '@switchboard/http-client';

import { CrmError } from '../core/crm.errors.js';
import { staticTokenSource } from './hubspot-auth.js';
import { HubSpotTransport, type SdkRequest, type TokenSource } from './hubspot-transport.js';
import { RateLimitGate } from './rate-limit-gate.js';

type Answer = { status: number; body?: string; headers?: Record<string, string> } | HttpClientError;

function stubHttp(answers: Answer[]) {
  const sent: { url: string; options: HttpRequestOptions }[] = [];
  return {
    sent,
    request: async (url: string | URL, options: HttpRequestOptions = {}): Promise<HttpResponse> => {
      sent.push({ url: String(url), options });
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      if (next instanceof HttpClientError) throw next;
      const body = Buffer.from(next.body ?? '');
      return {
        status: next.status,
        headers: next.headers ?? {},
        body,
        truncated: false,
        url: String(url),
        redirects: [],
        text: () => body.toString('utf8'),
        json: () => JSON.parse(body.toString('utf8')) as unknown,
      };
    },
  };
}

function request(method: string, path: string, body?: unknown): SdkRequest {
  return {
    getUrl: () => `https://api.hubapi.com${path}`,
    getHttpMethod: () => method,
    getHeaders: () => ({ 'Content-Type': 'application/json' }),
    getBody: () => body,
  };
}

function transport(http: ReturnType<typeof stubHttp>, tokens: TokenSource | null, waits: number[] = []) {
  return new HubSpotTransport({
    http,
    gate: new RateLimitGate(Date.now, async (ms) => void waits.push(ms)),
    gateKey: 't/c',
    connectionName: 'Sales HubSpot',
    timeoutMs: 5_000,
    maxRetries: 2,
    maxResponseBytes: 1024 * 1024,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    tokens,
    sleep: async (ms) => void waits.push(ms),
    random: () => 0,
  });
}

describe('HubSpotTransport', () => {
  it('adds the bearer token, asks for JSON, follows no redirects and hands 2xx to the SDK', async () => {
    const http = stubHttp([
      { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
    ]);
    const response = await transport(http, staticTokenSource('pat-secret-1')).send(
      request('POST', '/crm/v3/objects/contacts/search', '{}'),
    );
    expect(response.httpStatusCode).toBe(200);
    expect(await response.body.text()).toBe('{"ok":true}');
    expect(http.sent[0]!.options).toMatchObject({
      method: 'POST',
      body: '{}',
      maxRedirects: 0,
      onOversize: 'error',
      headers: {
        authorization: 'Bearer pat-secret-1',
        accept: 'application/json',
        'content-type': 'application/json',
      },
    });
  });

  it('fetches a new OAuth token once after a 401, then reports a second 401', async () => {
    const tokens = ['t1', 't2', 't3'];
    const source: TokenSource = {
      token: async () => tokens[0]!,
      refused: () => (tokens.shift(), true),
      secretValues: () => tokens,
    };
    const http = stubHttp([{ status: 401 }, { status: 200, body: '{}' }]);
    await transport(http, source).send(request('GET', '/crm/v3/pipelines/deals'));
    expect(http.sent.map((s) => s.options.headers?.authorization)).toEqual(['Bearer t1', 'Bearer t2']);

    const again = stubHttp([{ status: 401 }, { status: 401, body: '{"category":"INVALID_AUTHENTICATION"}' }]);
    await expect(transport(again, source).send(request('GET', '/x'))).rejects.toMatchObject({ kind: 'auth' });
    expect(again.sent).toHaveLength(2);
  });

  it('retries network failures and 5xx for reads but not for creates', async () => {
    const reads = stubHttp([
      new HttpClientError('connect_failed', 'Could not connect (ECONNRESET).'),
      { status: 503 },
      { status: 200, body: '{}' },
    ]);
    const waits: number[] = [];
    await transport(reads, null, waits).send(request('POST', '/crm/v3/objects/deals/batch/read', '{}'));
    expect(reads.sent).toHaveLength(3);
    expect(waits).toEqual([100, 100]);

    const creates = stubHttp([{ status: 503 }]);
    await expect(
      transport(creates, null).send(request('POST', '/crm/v3/objects/deals', '{}')),
    ).rejects.toMatchObject({
      kind: 'upstream',
      details: { status: 503 },
    });
    expect(creates.sent).toHaveLength(1);
  });

  it('maps egress refusals and oversized answers to readable errors', async () => {
    await expect(
      transport(
        stubHttp([
          new HttpClientError('egress_refused', 'Refused to connect to 10.0.0.1: it is a private address.'),
        ]),
        null,
      ).send(request('GET', '/x')),
    ).rejects.toThrow(
      "The platform's egress policy does not allow reaching HubSpot here: Refused to connect to 10.0.0.1",
    );
    await expect(
      transport(
        stubHttp([
          new HttpClientError('response_too_large', 'Response from api.hubapi.com is larger than 8 bytes.'),
        ]),
        null,
      ).send(request('GET', '/x')),
    ).rejects.toMatchObject({ kind: 'upstream' });
  });

  it('scrubs secrets from error text and refuses bodies it cannot send', async () => {
    const http = stubHttp([{ status: 400, body: JSON.stringify({ message: 'echo pat-secret-1' }) }]);
    await expect(
      transport(http, staticTokenSource('pat-secret-1')).send(request('GET', '/x')),
    ).rejects.toThrow('HubSpot rejected the request: echo [redacted].');
    await expect(
      transport(stubHttp([]), null).send(request('POST', '/x', { multipart: true })),
    ).rejects.toBeInstanceOf(CrmError);
  });
});
