import { describe, expect, it } from '@jest/globals';
import {
  HttpClientError,
  type GuardedHttpClient,
  type HttpRequestOptions,
  type HttpResponse,
} from '@switchboard/http-client';

import { githubRateLimits } from './rate-limit.js';
import { TrackerError } from './tracker.errors.js';
import { createVendorFetch, RateLimitGate, type Timing } from './vendor-fetch.js';

type Answer = { status: number; headers?: Record<string, string>; body?: string } | HttpClientError;

/** A stand-in for the guarded client that answers from a script and records what was asked. */
function scripted(answers: Answer[]) {
  const calls: { url: string; options: HttpRequestOptions }[] = [];
  const http = {
    async request(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
      calls.push({ url, options });
      const a = answers.shift();
      if (!a) throw new Error('no more answers');
      if (a instanceof HttpClientError) throw a;
      const body = Buffer.from(a.body ?? '{}');
      return {
        status: a.status,
        headers: a.headers ?? {},
        body,
        truncated: false,
        url,
        redirects: [],
        text: () => body.toString(),
        json: () => JSON.parse(body.toString()),
      };
    },
  };
  return { http: http as unknown as GuardedHttpClient, calls };
}

function clock(start = 1_000_000): Timing & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return { slept, now: () => now, random: () => 0, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function make(answers: Answer[], idempotent = true, gate = new RateLimitGate()) {
  const { http, calls } = scripted(answers);
  const timing = clock();
  const f = createVendorFetch({
    http,
    vendor: 'GitHub',
    limits: githubRateLimits,
    gate,
    gateKey: 't/c',
    idempotent: () => idempotent,
    signal: new AbortController().signal,
    logger: quiet,
    retry: { maxAttempts: 3, maxWaitMs: 10_000, baseDelayMs: 100 },
    timing,
  });
  return { f, calls, timing, gate };
}

describe('createVendorFetch', () => {
  it('passes method, headers and body to the guarded client and returns a WHATWG Response', async () => {
    const { f, calls } = make([
      {
        status: 201,
        headers: { 'content-type': 'application/json', 'x-a': ['1', '2'] as unknown as string },
        body: '{"ok":true}',
      },
    ]);
    const res = await f('https://api.example.com/x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect(calls[0]!.options).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
      onOversize: 'error',
    });
    expect(calls[0]!.options.headers).not.toHaveProperty('accept-encoding');
  });

  it('waits what the vendor asked (plus jitter) after a rate limit, then succeeds', async () => {
    const { f, calls, timing } = make(
      [{ status: 403, headers: { 'retry-after': '2' } }, { status: 200 }],
      false,
    );
    expect((await f('https://api.example.com/x', { method: 'POST' })).status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(timing.slept).toEqual([2000]);
  });

  it('gives up with the wait when the vendor asks for longer than the policy allows', async () => {
    const { f } = make([{ status: 429, headers: { 'retry-after': '600' } }]);
    const error = (await f('https://api.example.com/x').catch((e: unknown) => e)) as TrackerError;
    expect(error).toBeInstanceOf(TrackerError);
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(600);
  });

  it('stops after maxAttempts rate limits', async () => {
    const limited = { status: 429, headers: { 'retry-after': '1' } };
    const { f, calls } = make([limited, limited, limited]);
    await expect(f('https://api.example.com/x')).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(calls).toHaveLength(3);
  });

  it('retries transient failures only for idempotent requests', async () => {
    const a = make([
      { status: 502 },
      new HttpClientError('connect_failed', 'Could not connect'),
      { status: 200 },
    ]);
    expect((await a.f('https://api.example.com/x')).status).toBe(200);
    expect(a.calls).toHaveLength(3);
    const b = make([{ status: 502 }], false);
    expect((await b.f('https://api.example.com/x', { method: 'POST' })).status).toBe(502);
    const c = make([new HttpClientError('timeout', 'timed out')], false);
    await expect(c.f('https://api.example.com/x', { method: 'POST' })).rejects.toMatchObject({
      kind: 'unavailable',
    });
  });

  it('maps egress refusals and oversize bodies', async () => {
    await expect(
      make([new HttpClientError('egress_refused', 'Refused to connect to 10.0.0.1')]).f('https://10.0.0.1/'),
    ).rejects.toMatchObject({ kind: 'egress' });
    await expect(
      make([new HttpClientError('response_too_large', 'too big')]).f('https://api.example.com/'),
    ).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('remembers an exhausted budget and fails fast until its reset', async () => {
    const gate = new RateLimitGate();
    const reset = String(1_000_000 / 1000 + 3600);
    const first = make(
      [{ status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }],
      true,
      gate,
    );
    expect((await first.f('https://api.example.com/x')).status).toBe(200);
    const second = make([{ status: 200 }], true, gate);
    await expect(second.f('https://api.example.com/x')).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(second.calls).toHaveLength(0);
  });
});
