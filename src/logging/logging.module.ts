import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { McpLogContext } from './mcp-log-context.js';
import { pinoHttpOptions } from './pino-options.js';
import { RequestContextMiddleware } from './request-context.middleware.js';

export { REDACT_PATHS } from './pino-options.js';

/**
 * pino through nestjs-pino. Every line written while serving a request carries its request id, its
 * tenant once known, and the active trace and span ids (see pino-options.ts).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: pinoHttpOptions(config) }),
    }),
  ],
  providers: [McpLogContext],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
