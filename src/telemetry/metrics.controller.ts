import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';

// Value import on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { MetricsExposition } from './metrics-exposition.js';

/** `GET /metrics` on the main port; who may read it is decided in metrics-access.ts. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly exposition: MetricsExposition) {}

  @Get()
  scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.exposition.handle(req, res, 'main');
  }
}
