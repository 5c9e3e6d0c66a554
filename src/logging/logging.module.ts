import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { AccessLogMiddleware } from './access-log.middleware.js';
import { McpLogContext } from './mcp-log-context.js';
import { pinoHttpOptions } from './pino-options.js';
import { RequestContextMiddleware } from './request-context.middleware.js';

export { REDACT_PATHS } from './pino-options.js';

/** The MCP URLs (`/t/:tenant/mcp`, `/t/:tenant/e/:endpoint/mcp`). */
const MCP_ROUTES = [
  { path: 't/:tenant/mcp', method: RequestMethod.ALL },
  { path: 't/:tenant/e/:endpoint/mcp', method: RequestMethod.ALL },
];

/**
 * pino through nestjs-pino. Every line written while serving a request carries its request id, its
 * tenant once known, and the active trace and span ids (see pino-options.ts).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: pinoHttpOptions(config),
        // The MCP URLs carry the platform's traffic: they get the cheaper access log below.
        exclude: MCP_ROUTES,
      }),
    }),
  ],
  providers: [McpLogContext],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
    consumer.apply(AccessLogMiddleware).forRoutes(...MCP_ROUTES);
  }
}
