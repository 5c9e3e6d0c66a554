import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/index.js';
import { GracefulShutdown, type ShutdownReport } from './health/graceful-shutdown.js';
import { Lifecycle } from './health/lifecycle.service.js';
import { mcpBodyParser } from './mcp/index.js';
import { OAuthServer } from './oauth/oauth-server.service.js';
import { OAUTH_MOUNT } from './oauth/oauth-urls.js';
import { SeedService, type SeedResult } from './seed/seed.service.js';

export interface RunningApp {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly seed: SeedResult | null;
  /** Requests being answered right now (SSE streams included). */
  readonly requestsInFlight: () => number;
  /** The graceful shutdown (readiness down, stop accepting, drain, flush, close); what SIGTERM runs. */
  shutdown(reason?: string): Promise<ShutdownReport>;
  close(): Promise<void>;
}

/** Builds, configures and starts the server. Used by main.ts, the e2e tests and the benchmark. */
export async function startApp(
  config: AppConfig,
  opts: { readonly seed?: boolean } = {},
): Promise<RunningApp> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bodyParser: false,
    bufferLogs: true,
    // A module that cannot start (database unreachable, schema behind) rejects here, so main.ts reports it
    // and exits 1 rather than Nest ending the process from inside (and embedding code can handle it).
    abortOnError: false,
  });
  app.useLogger(app.get(PinoLogger));
  const graceful = new GracefulShutdown(
    app,
    app.getHttpServer(),
    app.get(Lifecycle),
    config.shutdown,
    app.get(PinoLogger),
  );
  // First, so every request is counted for the drain and learns when the node is closing.
  app.use(graceful.track);
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet());
  // MCP paths parse their own bodies so oversize and malformed JSON get JSON-RPC errors, not HTML.
  app.use(['/t/:tenant/mcp', '/t/:tenant/e/:endpoint/mcp'], mcpBodyParser(config));
  // The authorization server (a Koa app) reads its own bodies: it is mounted before the JSON parser.
  app.use(OAUTH_MOUNT, app.get(OAuthServer).middleware());
  app.use(express.json({ limit: config.http.maxBodyBytes }));
  graceful.listenForSignals();
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const seed = opts.seed === false ? null : await app.get(SeedService).seedIfEmpty();
  return {
    app,
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    seed,
    requestsInFlight: () => graceful.requestsInFlight,
    shutdown: (reason = 'shutdown requested') => graceful.shutdown(reason),
    close: async () => {
      graceful.removeSignalListeners();
      await graceful.shutdown('application close');
    },
  };
}
