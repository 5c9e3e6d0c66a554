import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded database, port 3000 and every control on', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database.kind).toBe('pglite');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.seedDemo).toBe(true);
    expect(c.controls).toEqual({ ratelimit: true, audit: true, telemetry: true });
    expect(Object.isFrozen(c.http)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set and does not seed it by default', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/app' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgresql://u:p@db:5432/app', poolSize: 10 });
    expect(c.seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SWITCHBOARD_SEED_DEMO: 'maybe' }, 'SWITCHBOARD_SEED_DEMO'],
    [{ SWITCHBOARD_MASTER_KEY: 'ab'.repeat(20) }, 'SWITCHBOARD_MASTER_KEY'],
    [{ SWITCHBOARD_REQUEST_STATE_KEY: 'short' }, 'SWITCHBOARD_REQUEST_STATE_KEY'],
    [{ SWITCHBOARD_CONTROLS: 'audit,firewall' }, 'SWITCHBOARD_CONTROLS'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
  ])('names the variable in the error for %j', (env, name) => {
    expect(errorOf(env).message).toContain(name);
  });

  it('reports every bad variable at once', () => {
    const e = errorOf({ PORT: 'x', LOG_LEVEL: 'y' });
    expect(e.issues).toHaveLength(2);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('pglite');
  });

  it('parses the controls list', () => {
    expect(loadConfig({ SWITCHBOARD_CONTROLS: 'audit' }).controls).toEqual({
      ratelimit: false,
      audit: true,
      telemetry: false,
    });
    expect(loadConfig({ SWITCHBOARD_CONTROLS: 'none' }).controls).toEqual({
      ratelimit: false,
      audit: false,
      telemetry: false,
    });
  });
});
