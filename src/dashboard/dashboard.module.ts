import { join } from 'node:path';
import { Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { projectRoot } from '../database/paths.js';
import { DASHBOARD_DIR, dashboardHandler } from './dashboard-assets.js';

/** The admin dashboard (apps/dashboard, built by `npm run build`) at /admin. */
@Module({
  providers: [{ provide: DASHBOARD_DIR, useFactory: () => join(projectRoot(), 'apps', 'dashboard', 'dist') }],
})
export class DashboardModule implements NestModule {
  constructor(
    @Inject(DASHBOARD_DIR) private readonly dir: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(dashboardHandler(this.dir, this.config.publicUrl))
      .forRoutes(
        { path: 'admin', method: RequestMethod.GET },
        { path: 'admin/{*path}', method: RequestMethod.GET },
        { path: 'admin', method: RequestMethod.HEAD },
        { path: 'admin/{*path}', method: RequestMethod.HEAD },
      );
  }
}
