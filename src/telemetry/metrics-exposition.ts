import type { IncomingMessage, ServerResponse } from 'node:http';

import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { decideMetricsAccess, type MetricsListener } from './metrics-access.js';
import type { TelemetryRuntime } from './otel.js';
import { TELEMETRY_RUNTIME } from './telemetry.tokens.js';

/** Prometheus text format 0.0.4, what every Prometheus-compatible scraper accepts. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Serves the Prometheus scrape on the main port (through the controller) and on the metrics port. */
@Injectable()
export class MetricsExposition {
  private readonly logger = new Logger(MetricsExposition.name);
  private readonly serializer = new PrometheusSerializer();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TELEMETRY_RUNTIME) private readonly runtime: TelemetryRuntime,
  ) {}

  /** The current metrics in Prometheus text format. */
  async render(): Promise<string> {
    const { resourceMetrics, errors } = await this.runtime.prometheus.collect();
    if (errors.length > 0) {
      this.logger.warn({ msg: 'Some metrics could not be collected', errors: errors.map(String) });
    }
    return this.serializer.serialize(resourceMetrics);
  }

  async handle(req: IncomingMessage, res: ServerResponse, listener: MetricsListener): Promise<void> {
    const decision = decideMetricsAccess(this.config.telemetry, listener, req);
    if (!decision.allowed) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      };
      if (decision.status === 401) headers['www-authenticate'] = 'Bearer realm="metrics"';
      res.writeHead(decision.status, headers);
      res.end(
        JSON.stringify({
          error: decision.status === 404 ? 'not_found' : 'forbidden',
          message: decision.message,
        }),
      );
      return;
    }
    const body = await this.render();
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(body);
  }
}
