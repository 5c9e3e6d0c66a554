import { describe, expect, it } from '@jest/globals';

import { ConfigError, loadConfig } from '../config/index.js';

describe('telemetry configuration', () => {
  it('defaults: no OTLP export, every trace sampled, /metrics on loopback only', () => {
    expect(loadConfig({}).telemetry).toEqual({
      otlpEndpoint: null,
      serviceName: 'switchboard',
      resourceAttributes: {},
      traceSampleRatio: 1,
      metricsToken: null,
      metricsPort: 0,
    });
  });

  it('decodes OTEL_RESOURCE_ATTRIBUTES as the SDK does', () => {
    const c = loadConfig({
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team=a%2Cb ,service.version=1.4.2',
    });
    expect(c.telemetry.resourceAttributes).toEqual({
      'deployment.environment.name': 'prod',
      team: 'a,b',
      'service.version': '1.4.2',
    });
  });

  it('names the variable when a value is malformed', () => {
    for (const env of [
      { OTEL_RESOURCE_ATTRIBUTES: 'no-equals-sign' },
      { OTEL_RESOURCE_ATTRIBUTES: 'k=%E0%A4%A' },
      { SWITCHBOARD_TRACE_SAMPLE_RATIO: '1.5' },
      { SWITCHBOARD_METRICS_TOKEN: 'short' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' },
    ]) {
      const name = Object.keys(env)[0]!;
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(name);
    }
  });
});
