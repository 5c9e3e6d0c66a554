import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import { ADMIN_ROUTE, type AdminRouteSpec } from './route-spec.js';

/**
 * Parses every admin answer through its route's response schema: unknown fields are dropped (nothing
 * undocumented leaves, a secret added to a view by mistake included) and a mismatch is a 500 we hear of,
 * not a silent drift from the OpenAPI document.
 */
@Injectable()
export class AdminResponseInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AdminApi');

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AdminRouteSpec | undefined>(ADMIN_ROUTE, context.getHandler());
    const schema = spec?.response;
    if (!schema) return next.handle();
    return next.handle().pipe(
      map((value: unknown) => {
        const parsed = schema.safeParse(value);
        if (parsed.success) return parsed.data;
        this.logger.error({
          msg: 'admin response does not match its schema',
          operationId: spec.operationId,
          issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
        });
        throw new Error(`response of ${spec.operationId} does not match its schema`);
      }),
    );
  }
}
