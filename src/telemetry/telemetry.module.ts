import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { McpTelemetry } from './mcp-telemetry.service.js';
import { MetricsExposition } from './metrics-exposition.js';
import { MetricsListener } from './metrics-listener.js';
import { MetricsController } from './metrics.controller.js';
import { activeTelemetry, startTelemetry, type TelemetryRuntime } from './otel.js';
import { PlatformMetrics } from './platform-metrics.service.js';
import { TELEMETRY_RUNTIME } from './telemetry.tokens.js';

/**
 * Spans and metrics on the MCP path, and /metrics. With the telemetry control off
 * (`SWITCHBOARD_CONTROLS` without `telemetry`) the module is empty: no SDK, no interceptors, no /metrics.
 *
 * main.ts starts the SDK before the server is imported (so HTTP, Express, Nest, pg and ioredis are
 * instrumented). When the server is started some other way (tests, embedding), the module starts the SDK
 * itself, without those automatic instrumentations.
 */
@Module({})
export class TelemetryModule implements OnApplicationShutdown {
  private readonly release: () => Promise<void>;

  constructor(@Inject(TELEMETRY_RUNTIME) runtime: TelemetryRuntime) {
    this.release = runtime.acquire();
  }

  static forConfig(config: AppConfig): DynamicModule {
    if (!config.controls.telemetry) return { module: TelemetryDisabledModule };
    return {
      module: TelemetryModule,
      controllers: [MetricsController],
      providers: [
        {
          provide: TELEMETRY_RUNTIME,
          inject: [APP_CONFIG],
          useFactory: async (c: AppConfig): Promise<TelemetryRuntime> =>
            activeTelemetry() ?? (await startTelemetry(c)),
        },
        McpTelemetry,
        PlatformMetrics,
        MetricsExposition,
        MetricsListener,
      ],
    };
  }

  /** Last hook of a shutdown: flush what is buffered (spans, the last OTLP metric push) and stop. */
  async onApplicationShutdown(): Promise<void> {
    await this.release();
  }
}

/** What AppModule imports when telemetry is off. */
@Module({})
export class TelemetryDisabledModule {}
