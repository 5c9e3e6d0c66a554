import { Catch, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

/**
 * Terminus answers a failed check with a 503 whose body says which indicator failed (`status`, `info`,
 * `error`, `details`). Probes and operators read that shape; the global filter would replace it with the
 * platform's generic error body, so the health controller keeps it.
 */
@Catch(ServiceUnavailableException)
export class HealthResultFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    res.status(503).setHeader('cache-control', 'no-store').json(exception.getResponse());
  }
}
