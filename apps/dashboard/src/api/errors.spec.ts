import { describe, expect, it } from '@jest/globals';
import { ApiError, apiErrorFrom, describeError, fieldErrors, humanize, readableIssue } from './errors';

describe('apiErrorFrom', () => {
  it('reads the structured error, its details and Retry-After', () => {
    const e = apiErrorFrom(
      429,
      {
        error: {
          code: 'rate_limited',
          message: 'too many sign-in attempts',
          details: { retryAfterSeconds: 42 },
        },
      },
      new Headers({ 'Retry-After': '40' }),
    );
    expect(e).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 42 });
    expect(apiErrorFrom(429, {}, new Headers({ 'Retry-After': '40' })).retryAfterSeconds).toBe(40);
  });

  it('falls back to the status when the body is not the API error shape (a proxy page)', () => {
    expect(apiErrorFrom(502, '<html>Bad gateway</html>')).toMatchObject({ code: 'internal', message: '' });
    expect(apiErrorFrom(404, null).code).toBe('not_found');
  });
});

describe('describeError', () => {
  it('keeps the API message and lists the input problems readably', () => {
    const d = describeError(
      new ApiError(400, 'invalid_argument', 'invalid configuration for the Jira Cloud integration', {
        issues: ['siteUrl: Invalid URL', '(body): Unrecognized key "x"'],
      }),
    );
    expect(d).toEqual({
      title: 'Please check what you entered',
      message: 'Invalid configuration for the Jira Cloud integration.',
      issues: ['Site URL: Invalid URL', 'Unrecognized key "x".'],
    });
  });

  it('says how long to wait when rate limited, and what a refusal means', () => {
    expect(describeError(new ApiError(429, 'rate_limited', 'slow down', {}, null, 90)).message).toBe(
      'Wait 2 minutes, then try again.',
    );
    expect(
      describeError(new ApiError(403, 'forbidden', 'viewers cannot change connections')).message,
    ).toMatch(/^Viewers cannot change connections\. Your role in this tenant does not allow this/);
  });

  it('never shows internals of a server error, only the reference to quote', () => {
    const d = describeError(new ApiError(500, 'internal', 'Internal error', {}, 'req-123'));
    expect(d.title).toBe('Something went wrong on the server');
    expect(d.message).toContain('req-123');
    expect(describeError(new TypeError('Failed to fetch')).title).toBe('Switchboard could not be reached');
    expect(describeError(new ApiError(0, 'network', 'x')).title).toBe('Switchboard could not be reached');
    expect(describeError(new Error('boom')).message).not.toContain('boom');
  });

  it('asks to sign in again when the session ended', () => {
    expect(describeError(new ApiError(401, 'unauthenticated', 'no session')).message).toBe(
      'Your session has ended. Sign in again to continue.',
    );
  });
});

describe('field errors and names', () => {
  it('picks the issues of one input, keyed below its prefix', () => {
    expect(
      fieldErrors(
        ['config.siteUrl: Invalid URL', 'name: Too long', 'config.tls.mode: Invalid option'],
        'config.',
      ),
    ).toEqual({ siteUrl: 'Invalid URL', 'tls.mode': 'Invalid option' });
  });

  it('names fields the way people read them', () => {
    expect(humanize('siteUrl')).toBe('Site URL');
    expect(humanize('api_key')).toBe('API key');
    expect(humanize('connectTimeoutMs')).toBe('Connect timeout (ms)');
    expect(readableIssue('config.tools.2: Too small')).toBe('Tools: Too small');
  });
});
