import type { IncomingMessage } from 'node:http';

import { describe, expect, it } from '@jest/globals';

import { loadConfig } from '../config/index.js';
import { bearerMatches, decideMetricsAccess } from './metrics-access.js';

const TOKEN = 'metrics-token-0123456789abcdef';

function telemetry(env: Record<string, string> = {}) {
  return loadConfig(env).telemetry;
}

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('decideMetricsAccess', () => {
  it('with a token, asks for it from everyone, loopback included', () => {
    const c = telemetry({ SWITCHBOARD_METRICS_TOKEN: TOKEN });
    expect(decideMetricsAccess(c, 'main', request('127.0.0.1'))).toMatchObject({
      allowed: false,
      status: 401,
    });
    expect(
      decideMetricsAccess(c, 'main', request('10.0.0.7', { authorization: 'Bearer wrong-token-0123456789' })),
    ).toMatchObject({
      allowed: false,
      status: 401,
    });
    expect(decideMetricsAccess(c, 'main', request('10.0.0.7', { authorization: `Bearer ${TOKEN}` }))).toEqual(
      { allowed: true },
    );
    expect(decideMetricsAccess(c, 'metrics-port', request('10.0.0.7'))).toMatchObject({
      allowed: false,
      status: 401,
    });
  });

  it('with only a metrics port, serves there and nowhere else', () => {
    const c = telemetry({ SWITCHBOARD_METRICS_PORT: '9464' });
    expect(decideMetricsAccess(c, 'metrics-port', request('10.0.0.7'))).toEqual({ allowed: true });
    expect(decideMetricsAccess(c, 'main', request('127.0.0.1'))).toMatchObject({
      allowed: false,
      status: 404,
    });
  });

  it('with neither, serves loopback peers that did not come through a proxy', () => {
    const c = telemetry();
    expect(decideMetricsAccess(c, 'main', request('127.0.0.1'))).toEqual({ allowed: true });
    expect(decideMetricsAccess(c, 'main', request('::1'))).toEqual({ allowed: true });
    expect(decideMetricsAccess(c, 'main', request('::ffff:127.0.0.1'))).toEqual({ allowed: true });
    expect(decideMetricsAccess(c, 'main', request('192.168.1.20'))).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(
      decideMetricsAccess(c, 'main', request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })),
    ).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(
      decideMetricsAccess(c, 'main', request('127.0.0.1', { forwarded: 'for=203.0.113.9' })),
    ).toMatchObject({
      allowed: false,
    });
  });
});

describe('bearerMatches', () => {
  it('accepts exactly the token, in any case of the scheme', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.slice(1)}`, TOKEN)).toBe(false);
    expect(bearerMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
    expect(bearerMatches('Bearer ', TOKEN)).toBe(false);
  });
});
