import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { HealthRepository } from './health.repository.js';
import { Lifecycle } from './lifecycle.service.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: HealthRepository,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready to take traffic: the database answers and the process is not draining. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database(), () => this.accepting()]);
  }

  private async database(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('database');
    try {
      await this.db.ping();
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message.split('\n')[0] });
    }
  }

  private accepting(): HealthIndicatorResult {
    const check = this.indicator.check('lifecycle');
    return this.lifecycle.draining ? check.down({ message: 'shutting down' }) : check.up();
  }
}
