/**
 * Where /metrics answers, per configuration: loopback only by default, only on the separate listener when
 * SWITCHBOARD_METRICS_PORT is set, nowhere (and no telemetry at all) when the control is off.
 */
import { createServer } from 'node:net';

import { describe, expect, it } from '@jest/globals';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';

import { loadConfig } from '../../../src/config/index.js';
import { activeTelemetry, startTelemetry } from '../../../src/telemetry/otel.js';
import { createTenant, startTestApp } from '../../support/app.js';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

describe('/metrics exposure', () => {
  it('by default answers loopback callers that did not come through a proxy', async () => {
    const app = await startTestApp();
    try {
      const direct = await fetch(`${app.url}/metrics`);
      expect(direct.status).toBe(200);
      expect(await direct.text()).toContain('target_info');
      const proxied = await fetch(`${app.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(proxied.status).toBe(403);
      expect(await proxied.text()).not.toContain('switchboard_');
    } finally {
      await app.close();
    }
  });

  it('with SWITCHBOARD_METRICS_PORT, answers only on that listener', async () => {
    const port = await freePort();
    const app = await startTestApp({ SWITCHBOARD_METRICS_PORT: String(port) });
    try {
      expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('switchboard_mcp_legacy_sessions');
      // Nothing else is served there.
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await app.close();
    }
    // The listener is closed with the application.
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('with the telemetry control off, makes no MCP span and serves no /metrics', async () => {
    // An SDK with an in-memory exporter is running, as if started by main.ts: the module must ignore it.
    const exporter = new InMemorySpanExporter();
    const runtime = await startTelemetry(loadConfig({ LOG_LEVEL: 'warn' }), {
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
      keepAlive: true,
    });
    const app = await startTestApp({ SWITCHBOARD_CONTROLS: 'ratelimit,audit' });
    try {
      const t = await createTenant(app, { packs: ['protocol-test-kit'] });
      const client = new Client({ name: 'off', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(t.mcpUrl), {
          requestInit: { headers: { Authorization: `Bearer ${t.key}` } },
        }),
      );
      try {
        expect((await client.callTool({ name: 'test_simple_text', arguments: {} })).isError).toBeFalsy();
      } finally {
        await client.close();
      }
      expect(
        exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === 'switchboard.mcp'),
      ).toEqual([]);
      expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    } finally {
      await app.close();
      await runtime.shutdown();
    }
  });

  it('shares the SDK between applications in one process and stops it with the last one', async () => {
    const first = await startTestApp();
    const runtime = activeTelemetry();
    expect(runtime).not.toBeNull();
    const second = await startTestApp();
    let firstOpen = true;
    try {
      expect(activeTelemetry()).toBe(runtime);
      await first.close();
      firstOpen = false;
      // Still serving metrics for the second.
      expect(activeTelemetry()).toBe(runtime);
      expect((await fetch(`${second.url}/metrics`)).status).toBe(200);
    } finally {
      if (firstOpen) await first.close();
      await second.close();
    }
    expect(activeTelemetry()).toBeNull();
  });
});
