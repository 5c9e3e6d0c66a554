import { describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

import { RedactingSpanProcessor, redactQuery, redactUrl } from './redacting-span-processor.js';

describe('redactQuery / redactUrl', () => {
  it('keeps parameter names and drops every value', () => {
    expect(redactQuery('code=abc&state=xyz&state=again')).toBe('code=REDACTED&state=REDACTED');
    expect(redactQuery('?api_key=s3cret')).toBe('api_key=REDACTED');
  });

  it('redacts query values and credentials in absolute and relative URLs', () => {
    expect(redactUrl('https://user:pw@api.example.com/v1/items?key=s3cret&q=x')).toBe(
      'https://REDACTED@api.example.com/v1/items?key=REDACTED&q=REDACTED',
    );
    expect(redactUrl('/oauth/callback?code=abc&state=def')).toBe(
      '/oauth/callback?code=REDACTED&state=REDACTED',
    );
    expect(redactUrl('/t/acme/mcp')).toBe('/t/acme/mcp');
  });
});

describe('RedactingSpanProcessor', () => {
  it('scrubs URL attributes set at start and set later', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new RedactingSpanProcessor(), new SimpleSpanProcessor({ exporter })],
    });
    const span = provider.getTracer('test').startSpan('GET', {
      attributes: {
        'url.query': 'code=canary-code',
        'url.full': 'http://h/cb?code=canary-code',
        'url.path': '/cb',
      },
    });
    span.setAttribute('http.target', '/cb?token=canary-token');
    span.end();
    const [done] = exporter.getFinishedSpans();
    expect(JSON.stringify(done!.attributes)).not.toMatch(/canary/);
    expect(done!.attributes).toMatchObject({
      'url.query': 'code=REDACTED',
      'url.full': 'http://h/cb?code=REDACTED',
      'http.target': '/cb?token=REDACTED',
      'url.path': '/cb',
    });
  });
});
