import { describe, expect, it } from '@jest/globals';

import { errorFromResponse } from './hubspot-errors.js';

const ctx = { connectionName: 'Sales HubSpot' };

describe('errorFromResponse', () => {
  it('asks an admin to reconnect on a 401', () => {
    const e = errorFromResponse(
      401,
      JSON.stringify({
        status: 'error',
        message: 'The OAuth token used to make this call expired 2 hour(s) ago.',
        correlationId: 'c1',
        category: 'EXPIRED_AUTHENTICATION',
      }),
      ctx,
    );
    expect(e.kind).toBe('auth');
    expect(e.message).toBe(
      'HubSpot rejected the connection\'s credentials (HTTP 401, EXPIRED_AUTHENTICATION: The OAuth token used to make this call expired 2 hour(s) ago.). A Switchboard admin must reconnect the HubSpot connection "Sales HubSpot" with a valid token.',
    );
    expect(e.details).toEqual({ status: 401, correlationId: 'c1' });
  });

  it.each(['requiredGranularScopes', 'requiredScopes'])('names the missing scopes from %s', (key) => {
    const e = errorFromResponse(
      403,
      JSON.stringify({
        status: 'error',
        message: "This app hasn't been granted all required scopes to make this call.",
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { [key]: ['crm.objects.deals.write'] },
          },
        ],
        category: 'MISSING_SCOPES',
      }),
      ctx,
    );
    expect(e.kind).toBe('forbidden');
    expect(e.message).toContain("the connection's app is missing the scope crm.objects.deals.write");
  });

  it('unpacks property validation details HubSpot puts inside its message', () => {
    const detail = [
      {
        isValid: false,
        message: 'Property "foo" does not exist',
        error: 'PROPERTY_DOESNT_EXIST',
        name: 'foo',
      },
      {
        isValid: false,
        message: '"x" was not one of the allowed options',
        error: 'INVALID_OPTION',
        name: 'industry',
      },
    ];
    const e = errorFromResponse(
      400,
      JSON.stringify({
        status: 'error',
        message: `Property values were not valid: ${JSON.stringify(detail)}`,
        category: 'VALIDATION_ERROR',
      }),
      ctx,
    );
    expect(e.kind).toBe('validation');
    expect(e.message).toBe(
      'HubSpot rejected the request: Property values were not valid: Property "foo" does not exist; "x" was not one of the allowed options.',
    );
  });

  it('keeps a conflict message, which names the existing record', () => {
    const e = errorFromResponse(
      409,
      JSON.stringify({
        status: 'error',
        message: 'Contact already exists. Existing ID: 51',
        category: 'CONFLICT',
      }),
      ctx,
    );
    expect(e).toMatchObject({
      kind: 'validation',
      message: 'HubSpot rejected the request: Contact already exists. Existing ID: 51.',
    });
  });

  it('separates the daily limit from the burst limit', () => {
    expect(
      errorFromResponse(429, JSON.stringify({ policyName: 'DAILY', errorType: 'RATE_LIMIT' }), ctx).message,
    ).toContain('daily API limit');
    expect(
      errorFromResponse(429, JSON.stringify({ policyName: 'TEN_SECONDLY_ROLLING' }), ctx).message,
    ).toContain('rate limiting this account (TEN_SECONDLY_ROLLING)');
  });

  it('reads non-JSON bodies by their status alone, and cuts long messages', () => {
    expect(errorFromResponse(502, '<html>Bad gateway</html>', ctx)).toMatchObject({
      kind: 'upstream',
      message: 'HubSpot had a problem answering (HTTP 502); try again later.',
    });
    const long = errorFromResponse(400, JSON.stringify({ message: 'x'.repeat(2000) }), ctx);
    expect(long.message.length).toBeLessThan(600);
    expect(errorFromResponse(302, '', ctx).message).toContain("check the connection's base URL");
  });

  it("treats the token endpoint's refusals as a reconnect", () => {
    const e = errorFromResponse(
      400,
      JSON.stringify({ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' }),
      {
        ...ctx,
        tokenEndpoint: true,
      },
    );
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('BAD_REFRESH_TOKEN: missing or invalid refresh token');
    expect(e.message).toContain('reconnect');
  });
});
