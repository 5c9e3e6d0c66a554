import { describe, expect, it } from '@jest/globals';

import { linearFailure } from './linear.graphql.js';

const err = (message: string, extensions: Record<string, unknown>) => ({ errors: [{ message, extensions }] });

describe('linearFailure', () => {
  it('classifies Linear errors with the SDK taxonomy', () => {
    expect(
      linearFailure(
        400,
        new Headers(),
        err('Authentication required, not authenticated', { type: 'authentication error' }),
      ).kind,
    ).toBe('auth');
    expect(linearFailure(400, new Headers(), err('Forbidden', { type: 'forbidden' })).kind).toBe(
      'permission',
    );
    expect(
      linearFailure(
        200,
        new Headers(),
        err('Entity not found: Issue', {
          type: 'invalid input',
          userPresentableMessage: 'Could not find referenced Issue.',
        }),
      ).kind,
    ).toBe('not_found');
    expect(
      linearFailure(
        400,
        new Headers(),
        err('Cannot query field "x" on type "Issue".', { type: 'graphql error' }),
      ).kind,
    ).toBe('validation');
    expect(linearFailure(503, new Headers(), '<html>').kind).toBe('unavailable');
    expect(linearFailure(404, new Headers(), 'Not Found').kind).toBe('configuration');
  });
});
