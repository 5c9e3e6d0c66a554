import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from './config.tokens.js';
import { loadConfig, type AppConfig } from './app-config.js';

@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: (): AppConfig => loadConfig(process.env) }],
  exports: [APP_CONFIG],
})
export class ConfigModule {
  /** Uses an already validated configuration (tests, or main.ts after validating before Nest starts). */
  static forConfig(config: AppConfig) {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
