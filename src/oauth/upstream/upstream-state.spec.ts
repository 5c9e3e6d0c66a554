import { describe, expect, it } from '@jest/globals';
import {
  attemptCookieName,
  isWellFormedState,
  readCookie,
  UpstreamStateSealer,
  type UpstreamAttempt,
} from './upstream-state.js';

const KEY_A = 'a'.repeat(43);
const KEY_B = 'b'.repeat(43);
const STATE = 'S'.repeat(43);
const attempt: UpstreamAttempt = {
  uid: 'interaction-1',
  tenantId: '5b0c7c1e-2f7a-4a8e-9f55-0d7f3c1f5a11',
  configVersion: 1_790_000_000_000,
  nonce: 'n'.repeat(43),
  codeVerifier: 'v'.repeat(43),
  expiresAt: Date.now() + 60_000,
};

describe('UpstreamStateSealer', () => {
  it('opens what it sealed, under the same state', () => {
    const sealer = new UpstreamStateSealer([KEY_A]);
    const value = sealer.seal(STATE, attempt);
    expect(value).not.toContain(attempt.codeVerifier);
    expect(sealer.open(STATE, value)).toEqual(attempt);
  });

  it('refuses another state, an altered value, another key and an expired attempt', () => {
    const sealer = new UpstreamStateSealer([KEY_A]);
    const value = sealer.seal(STATE, attempt);
    expect(sealer.open('T'.repeat(43), value)).toBeNull();
    const raw = Buffer.from(value, 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(sealer.open(STATE, raw.toString('base64url'))).toBeNull();
    expect(new UpstreamStateSealer([KEY_B]).open(STATE, value)).toBeNull();
    expect(sealer.open(STATE, value, attempt.expiresAt + 1)).toBeNull();
    expect(sealer.open(STATE, 'not base64url!')).toBeNull();
  });

  it('keeps opening attempts sealed under the previous key after a rotation', () => {
    const value = new UpstreamStateSealer([KEY_A]).seal(STATE, attempt);
    expect(new UpstreamStateSealer([KEY_B, KEY_A]).open(STATE, value)).toEqual(attempt);
  });
});

describe('state and cookie helpers', () => {
  it('accepts only states shaped like the ones issued', () => {
    expect(isWellFormedState(STATE)).toBe(true);
    expect(isWellFormedState('short')).toBe(false);
    expect(isWellFormedState(`${STATE};x=1`)).toBe(false);
    expect(isWellFormedState(['a'])).toBe(false);
  });

  it('reads one cookie by name', () => {
    const name = attemptCookieName(STATE);
    expect(readCookie(`a=1; ${name}=xyz; b=2`, name)).toBe('xyz');
    expect(readCookie('a=1', name)).toBeNull();
    expect(readCookie(undefined, name)).toBeNull();
  });
});
