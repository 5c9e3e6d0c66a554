import type { IncomingMessage } from 'node:http';

import {
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  trace,
  type Context,
  type Tracer,
} from '@opentelemetry/api';
import type { Instrumentation, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PrismaInstrumentation } from '@prisma/instrumentation';

/** Probes and scrapes: frequent, uninteresting, and not worth a trace each. */
const UNTRACED_PATHS = ['/health/', '/metrics'];
/** `/t/<tenant>/mcp` and `/t/<tenant>/e/<endpoint>/mcp`, with or without a query. */
const MCP_URL = /^\/t\/[^/?]+(?:\/e\/[^/?]+)?\/mcp(?:\?|$)/;

/**
 * Requests the generic HTTP instrumentation leaves alone. The MCP URLs carry the platform's traffic and
 * get their own server span from `McpTelemetry` (MCP method, tenant, endpoint, principal type, HTTP
 * method, route and status, and the caller's W3C trace context from the headers or `_meta`) and their own
 * metrics; the generic span, its Express and Nest children and its metrics cost about as much CPU as the
 * rest of the request path with every control off, and would only repeat what that span says.
 */
export function untraced(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return UNTRACED_PATHS.some((p) => url.startsWith(p)) || MCP_URL.test(url);
}

/**
 * The official Nest instrumentation declares support up to Nest 11 and so leaves Nest 12 alone. What it
 * wraps (`NestFactoryStatic.prototype.create`, `RouterExecutionContext.prototype.create`) is unchanged in
 * 12, so the declared range is widened to include it; test/integration/telemetry checks the spans appear.
 */
export const NEST_VERSIONS = ['>=4.0.0 <13'];

/**
 * Files inside ES-module packages that an instrumentation patches directly. The loader hook is told the
 * package names over its message channel, which does not cover files within them.
 */
export const ESM_INTERNAL_FILES: readonly RegExp[] = [
  /\/node_modules\/@nestjs\/core\/(nest-factory|router\/router-execution-context)\.js$/,
];

class NestInstrumentationFor12 extends NestInstrumentation {
  override init(): InstrumentationNodeModuleDefinition {
    const definition = super.init();
    definition.supportedVersions = NEST_VERSIONS;
    for (const file of definition.files) file.supportedVersions = NEST_VERSIONS;
    return definition;
  }

  /**
   * Nest's spans only inside a trace someone else started, as Express's instrumentation does: a request
   * the HTTP instrumentation leaves alone (an MCP URL) must not become a trace of Nest spans whose child
   * the MCP server span would then be. Outside a trace the handler runs under an invalid span context.
   */
  protected override get tracer(): Tracer {
    const tracer = super.tracer;
    return {
      startSpan: (name, options, ctx) =>
        hasValidSpan(ctx ?? context.active())
          ? tracer.startSpan(name, options, ctx)
          : trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
      startActiveSpan: tracer.startActiveSpan.bind(tracer),
    };
  }
}

/** Whether a context carries a real span (not none, and not the invalid placeholder above). */
export function hasValidSpan(ctx: Context): boolean {
  const span = trace.getSpanContext(ctx);
  return span !== undefined && isSpanContextValid(span);
}

/**
 * Instrumentations that hook a module as it loads (so only effective when started before the server is
 * imported, with the loader hook registered).
 */
export function loaderInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: untraced,
      // Background requests with no trace around them (e.g. a JWKS refresh) would each be a lone trace.
      requireParentforOutgoingSpans: true,
    }),
    new ExpressInstrumentation({
      // One span per middleware (helmet, body parsers, pino-http…) costs more than it tells; routers and
      // handlers stay, and the route lands on the HTTP span as http.route.
      ignoreLayersType: [ExpressLayerType.MIDDLEWARE],
    }),
    new NestInstrumentationFor12(),
    new PgInstrumentation({
      // Parameter values never leave the process; the statement text is parameterised by Prisma.
      enhancedDatabaseReporting: false,
      // Queries outside any request (migrations at boot, timers) would each become a lone trace.
      requireParentSpan: true,
      // A pool checkout and a connect per query double the span count and say little.
      ignoreConnectSpans: true,
    }),
    new IORedisInstrumentation({
      // Keys hold tenant and principal ids and values may hold session data: record the command only.
      dbStatementSerializer: (cmdName) => cmdName,
    }),
  ];
}

/**
 * Prisma reports its spans through a global the client reads on each query, not through a loader hook,
 * so it works however and whenever the client was imported.
 */
export function prismaInstrumentation(options: { readonly pgInstrumented: boolean }): Instrumentation {
  // @prisma/instrumentation is built on an older @opentelemetry/instrumentation; the runtime contract
  // (enable/disable/setTracerProvider) is the same, only the declared types differ.
  return new PrismaInstrumentation({
    ignoreSpanTypes: [
      // Prisma's internal steps (query plan compilation, result serialisation): two spans per query,
      // all CPU inside the process. Operations and transactions remain.
      'prisma:client:serialize',
      'prisma:client:compile',
      // With pg instrumented, each round trip is already a `pg.query` span (with the server's address);
      // on the embedded database Prisma's own span is the only record of it.
      ...(options.pgInstrumented ? ['prisma:client:db_query'] : []),
    ],
  }) as unknown as Instrumentation;
}
