/**
 * Starts the OpenTelemetry Node SDK. main.ts calls `startTelemetry` before it imports anything Nest,
 * Express, pg or Prisma, because instrumenting an ES module means hooking the loader before that module
 * is loaded: static imports are all loaded before any of them runs, so the server is imported
 * dynamically after this resolves.
 *
 * Everything is configured explicitly from `AppConfig` (no exporter, sampler or resource detector is
 * chosen from OTEL_* variables behind our back): traces go to OTLP/HTTP when an endpoint is configured,
 * metrics are always kept for the Prometheus scrape at /metrics and also pushed over OTLP when configured.
 */
import { register } from 'node:module';

import {
  context,
  diag,
  DiagLogLevel,
  logs,
  metrics,
  propagation,
  trace,
  type DiagLogger,
  type Meter,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  hostDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { pino } from 'pino';

import type { AppConfig } from '../config/index.js';
import { ESM_INTERNAL_FILES, loaderInstrumentations, prismaInstrumentation } from './instrumentations.js';
import { ProducedMetrics } from './produced-metrics.js';
import { RedactingSpanProcessor } from './redacting-span-processor.js';

export interface TelemetryOptions {
  /**
   * Hook the ES module loader and enable the automatic instrumentations (HTTP, Express, Nest, pg,
   * ioredis, Prisma). Only useful before those modules are imported; main.ts does it, tests cannot
   * (jest loads modules itself).
   */
  readonly instrument?: boolean;
  /** More span processors, after the OTLP one (tests add an in-memory exporter). */
  readonly spanProcessors?: readonly SpanProcessor[];
  /**
   * Keep running when the last application using it closes; the caller then calls `shutdown()` (tests
   * that read their exporter afterwards). By default the SDK is flushed and stopped with the last
   * application, which is what a SIGTERM to `npm start` needs.
   */
  readonly keepAlive?: boolean;
}

/** The running SDK, shared by main.ts and the Nest telemetry module. */
export interface TelemetryRuntime {
  /** Pull reader behind /metrics. */
  readonly prometheus: PrometheusExporter;
  /** Metrics that modules aggregate themselves (e.g. the audit writer's latency histogram). */
  readonly produced: ProducedMetrics;
  /** Whether the automatic instrumentations are active (only when started before the server was imported). */
  readonly instrumented: boolean;
  /** A meter of the SDK's meter provider (the global one; asking here makes sure it is registered). */
  meter(scope: string): Meter;
  tracer(scope: string): Tracer;
  /**
   * Registers an application using the SDK; the returned release stops the SDK when it was the last user
   * (unless started with `keepAlive`). Several applications in one process (tests) share the SDK.
   */
  acquire(): () => Promise<void>;
  /** Flushes and stops exporters, unregisters the global providers. Idempotent. */
  shutdown(): Promise<void>;
}

let active: TelemetryRuntime | null = null;

/** The runtime started in this process, if any. */
export function activeTelemetry(): TelemetryRuntime | null {
  return active;
}

export async function startTelemetry(
  config: AppConfig,
  options: TelemetryOptions = {},
): Promise<TelemetryRuntime> {
  if (active) throw new Error('OpenTelemetry is already started in this process');
  diag.setLogger(diagLogger(config), {
    logLevel: diagLevel(config.log.level),
    suppressOverrideMessage: true,
  });

  const instrument = options.instrument === true;
  let waitForHooks: (() => Promise<void>) | null = null;
  if (instrument) {
    // Only the modules an instrumentation asked for are wrapped (the message channel tells the loader
    // which), so the other few thousand modules load untouched. The channel passes package names only;
    // files inside a package that an instrumentation patches (Nest's) are added by path.
    const channel = createAddHookMessageChannel<{ include: (string | RegExp)[] }>();
    channel.registerOptions.data?.include.push(...ESM_INTERNAL_FILES);
    register('import-in-the-middle/hook.mjs', import.meta.url, channel.registerOptions);
    waitForHooks = channel.waitForAllMessagesAcknowledged;
  }

  const produced = new ProducedMetrics();
  const prometheus = new PrometheusExporter({ preventServerStart: true, metricProducers: [produced] });
  const metricReaders: IMetricReader[] = [prometheus];
  const spanProcessors: SpanProcessor[] = [new RedactingSpanProcessor()];
  if (config.telemetry.otlpEndpoint) {
    const base = config.telemetry.otlpEndpoint.replace(/\/+$/, '');
    spanProcessors.push(
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${base}/v1/traces` }) }),
    );
    metricReaders.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
        exportIntervalMillis: 15_000,
        metricProducers: [produced],
      }),
    );
  }
  spanProcessors.push(...(options.spanProcessors ?? []));
  const exporting = config.telemetry.otlpEndpoint !== null || (options.spanProcessors ?? []).length > 0;

  const pgInstrumented = instrument && config.database.kind === 'postgres';
  const instrumentations = [
    ...(instrument ? loaderInstrumentations() : []),
    prismaInstrumentation({ pgInstrumented }),
  ];
  // host.* only: the process detector would publish the command line (on every span and in /metrics'
  // target_info), and the env detector would read OTEL_RESOURCE_ATTRIBUTES a second time. Detected here
  // and awaited (the host id is read asynchronously), so no exporter reads a half-built resource.
  const host = detectResources({ detectors: [hostDetector] });
  await host.waitForAsyncAttributes?.();
  const resource = defaultResource()
    .merge(host)
    .merge(
      resourceFromAttributes({
        'process.pid': process.pid,
        'process.runtime.name': 'nodejs',
        'process.runtime.version': process.versions.node,
        ...config.telemetry.resourceAttributes,
        [ATTR_SERVICE_NAME]: config.telemetry.serviceName,
      }),
    );
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    // Spans nobody exports are not recorded: they would cost every request attribute work and a trip
    // through the processors for nothing. Trace and span ids are still minted (logs and the audit log
    // carry them) and propagated onwards, marked not sampled.
    sampler: exporting
      ? new ParentBasedSampler({
          root:
            config.telemetry.traceSampleRatio >= 1
              ? new AlwaysOnSampler()
              : new TraceIdRatioBasedSampler(config.telemetry.traceSampleRatio),
        })
      : new AlwaysOffSampler(),
    // W3C trace context only: baggage from callers is not propagated into our spans or onwards.
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors,
    metricReaders,
    // Logs stay in pino (stdout); without this the SDK would start an OTLP log exporter to localhost.
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  if (waitForHooks) await waitForHooks();

  let stopped: Promise<void> | null = null;
  let users = 0;
  const runtime: TelemetryRuntime = {
    prometheus,
    produced,
    instrumented: instrument,
    meter: (scope) => metrics.getMeter(scope),
    tracer: (scope) => trace.getTracer(scope),
    acquire() {
      users++;
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        if (--users === 0 && !options.keepAlive) await runtime.shutdown();
      };
    },
    shutdown() {
      stopped ??= sdk
        .shutdown()
        .catch((e: unknown) => diag.error('OpenTelemetry shutdown failed', e))
        .finally(() => {
          for (const i of instrumentations) i.disable();
          // A later start in the same process (tests) registers fresh providers.
          trace.disable();
          metrics.disable();
          logs.disable();
          propagation.disable();
          context.disable();
          if (active === runtime) active = null;
        });
      return stopped;
    },
  };
  active = runtime;
  return runtime;
}

/** OpenTelemetry's own warnings (an unreachable collector, a dropped span) as JSON log lines on stderr. */
function diagLogger(config: AppConfig): DiagLogger {
  const log = pino(
    { level: config.log.level === 'silent' ? 'silent' : 'debug', base: { component: 'opentelemetry' } },
    pino.destination(2),
  );
  const line =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, ...args: unknown[]) =>
      log[level](
        { args: args.length > 0 ? args.map((a) => (a instanceof Error ? a.message : a)) : undefined },
        message,
      );
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    verbose: line('trace'),
  };
}

function diagLevel(level: string): DiagLogLevel {
  // The SDK's own info level is chatty; warnings and errors are what an operator needs.
  switch (level) {
    case 'silent':
      return DiagLogLevel.NONE;
    case 'fatal':
    case 'error':
      return DiagLogLevel.ERROR;
    case 'debug':
      return DiagLogLevel.DEBUG;
    case 'trace':
      return DiagLogLevel.VERBOSE;
    default:
      return DiagLogLevel.WARN;
  }
}
