import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable, type NestMiddleware } from '@nestjs/common';

import { runWithRequestContext } from './request-context.js';

/** Opens the request's log context (request id now, tenant later) around everything that follows. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
    runWithRequestContext(req, next);
  }
}
