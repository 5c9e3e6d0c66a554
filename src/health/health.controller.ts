import { Controller, Get, Logger, Optional, UseFilters } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';

// Value imports on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { RedisService } from '../redis/redis.service.js';
import { HealthResultFilter } from './health-result.filter.js';
import { HealthRepository } from './health.repository.js';
import { Lifecycle } from './lifecycle.service.js';

/** A readiness probe must answer quickly even when a dependency hangs rather than refuses. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * Liveness and readiness for load balancers and orchestrators. Unauthenticated, so a failing check says
 * only which dependency failed; the driver's message (addresses, user names) goes to the log, once per
 * outage.
 */
@Controller('health')
@UseFilters(HealthResultFilter)
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  private readonly failing = new Set<string>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: HealthRepository,
    private readonly lifecycle: Lifecycle,
    @Optional() private readonly redis?: RedisService,
  ) {}

  /** The process is up and its event loop answers. Restarting is the only remedy when it does not. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready to take traffic: not shutting down, the database answers, and so does Redis when configured. */
  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.accepting(), () => this.database()];
    if (this.redis?.configured) checks.push(() => this.redisCheck(this.redis!));
    return this.health.check(checks);
  }

  private accepting(): HealthIndicatorResult {
    const check = this.indicator.check('lifecycle');
    return this.lifecycle.draining ? check.down({ message: 'shutting down' }) : check.up();
  }

  private database(): Promise<HealthIndicatorResult> {
    return this.probe('database', () => this.db.ping());
  }

  private redisCheck(redis: RedisService): Promise<HealthIndicatorResult> {
    return this.probe('redis', () => redis.ping());
  }

  private async probe(name: string, ping: () => Promise<void>): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(name);
    try {
      await withTimeout(ping(), name);
      if (this.failing.delete(name)) this.logger.log({ msg: `Readiness: ${name} answers again` });
      return check.up();
    } catch (e) {
      if (!this.failing.has(name)) {
        this.failing.add(name);
        this.logger.warn({ msg: `Readiness: ${name} does not answer`, err: firstLine(e) });
      }
      return check.down({ message: `${name} does not answer` });
    }
  }
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Driver errors can span lines and carry connection details; the first line says what happened. */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}
