import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
// Value import on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { MetricsExposition } from './metrics-exposition.js';

/**
 * The separate /metrics listener (`SWITCHBOARD_METRICS_PORT`), bound to HOST: a plain node:http server,
 * so scrapes never touch the application's middleware, and nothing but /metrics answers on it.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsListener.name);
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exposition: MetricsExposition,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.telemetry.metricsPort;
    if (port === 0) return;
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
        return;
      }
      this.exposition.handle(req, res, 'metrics-port').catch((e: unknown) => {
        this.logger.error({ msg: 'Metrics scrape failed', err: e instanceof Error ? e.message : String(e) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.logger.log({ msg: 'Metrics listener started', address: address.address, port: address.port });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
