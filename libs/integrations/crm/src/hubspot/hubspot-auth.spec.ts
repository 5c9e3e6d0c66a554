import { describe, expect, it } from '@jest/globals';

import { CrmError } from '../core/crm.errors.js';
import { HubSpotTokenCache, oauthTokenSource, staticTokenSource, type IssuedToken } from './hubspot-auth.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const creds = { clientId: 'client', clientSecret: 'the-client-secret', refreshToken: 'the-refresh-token' };

describe('HubSpotTokenCache', () => {
  it('shares one exchange among concurrent callers and caches the token until shortly before expiry', async () => {
    let now = 0;
    const cache = new HubSpotTokenCache(() => now);
    const pending = deferred<IssuedToken>();
    let exchanges = 0;
    const exchange = () => {
      exchanges++;
      return exchanges === 1
        ? pending.promise
        : Promise.resolve({ accessToken: 'second', expiresInSeconds: 1800 });
    };
    const calls = [cache.token('k', exchange), cache.token('k', exchange), cache.token('k', exchange)];
    pending.resolve({ accessToken: 'first', expiresInSeconds: 1800 });
    expect(await Promise.all(calls)).toEqual(['first', 'first', 'first']);
    expect(exchanges).toBe(1);
    now = (1800 - 61) * 1000;
    expect(await cache.token('k', exchange)).toBe('first');
    now = (1800 - 59) * 1000;
    expect(await cache.token('k', exchange)).toBe('second');
    expect(exchanges).toBe(2);
  });

  it("lets one caller give up without failing the others' shared exchange", async () => {
    const cache = new HubSpotTokenCache();
    const pending = deferred<IssuedToken>();
    const controller = new AbortController();
    const impatient = cache.token('k', () => pending.promise, controller.signal);
    const patient = cache.token('k', () => pending.promise);
    controller.abort();
    await expect(impatient).rejects.toThrow('The call was cancelled.');
    pending.resolve({ accessToken: 'tok', expiresInSeconds: null });
    await expect(patient).resolves.toBe('tok');
  });

  it('does not cache a failed exchange, and forgets a refused token', async () => {
    const cache = new HubSpotTokenCache();
    await expect(cache.token('k', () => Promise.reject(new CrmError('auth', 'refused')))).rejects.toThrow(
      'refused',
    );
    expect(await cache.token('k', async () => ({ accessToken: 'one', expiresInSeconds: 1800 }))).toBe('one');
    expect(cache.invalidate('one')).toBe(true);
    expect(await cache.token('k', async () => ({ accessToken: 'two', expiresInSeconds: 1800 }))).toBe('two');
  });

  it('keys by connection and credentials, never holding the secrets themselves', () => {
    const a = HubSpotTokenCache.key('t/c', 'https://api.hubapi.com', creds);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(
      HubSpotTokenCache.key('t/c', 'https://api.hubapi.com', { ...creds, refreshToken: 'other' }),
    ).not.toBe(a);
    expect(HubSpotTokenCache.key('t/d', 'https://api.hubapi.com', creds)).not.toBe(a);
  });
});

describe('token sources', () => {
  it('a private app token cannot be refreshed', async () => {
    const source = staticTokenSource('pat-na1-abc');
    expect(await source.token()).toBe('pat-na1-abc');
    expect(source.refused('pat-na1-abc')).toBe(false);
    expect(source.secretValues()).toEqual(['pat-na1-abc']);
  });

  it('an OAuth source lists every secret and token it used, for scrubbing', async () => {
    const cache = new HubSpotTokenCache();
    const source = oauthTokenSource(cache, 'k', creds, async () => ({
      accessToken: 'access-1',
      expiresInSeconds: 1800,
    }));
    expect(await source.token()).toBe('access-1');
    expect(source.secretValues()).toEqual(['the-client-secret', 'the-refresh-token', 'access-1']);
    expect(source.refused('access-1')).toBe(true);
  });
});
