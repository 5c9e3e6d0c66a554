import { describe, expect, it } from '@jest/globals';

import { describeTrackerError, scrubSecrets, TrackerError, trimVendorMessage } from './tracker.errors.js';

describe('tracker errors', () => {
  it('tells the user an admin must reconnect when credentials are refused', () => {
    const text = describeTrackerError(new TrackerError('auth', 'HTTP 401.'), {
      vendor: 'Jira',
      connectionName: 'Support Jira',
    });
    expect(text).toContain('"Support Jira" connection');
    expect(text).toContain('A tenant admin must reconnect it');
  });

  it('scrubs secret values, and trims vendor messages to one bounded line', () => {
    expect(scrubSecrets('token ghp_abcdef123 was refused', ['ghp_abcdef123'])).toBe(
      'token [redacted] was refused',
    );
    expect(trimVendorMessage(`a\n\n b ${'x'.repeat(400)}`)).toHaveLength(300);
    expect(trimVendorMessage('   ')).toBe('no details given');
  });

  it('includes the wait in rate-limit messages', () => {
    const text = describeTrackerError(new TrackerError('rate_limited', '', 12.2), {
      vendor: 'GitHub',
      connectionName: 'Web',
    });
    expect(text).toContain('try again in about 13 s');
  });
});
