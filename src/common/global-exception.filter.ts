import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, HTTP_STATUS_BY_CODE, type DomainErrorCode } from './domain-error.js';

interface PrismaKnownError {
  readonly code: string;
  readonly name: string;
}

const PRISMA_CODES: Record<string, { status: number; code: DomainErrorCode; message: string }> = {
  P2002: { status: 409, code: 'conflict', message: 'a record with the same unique value already exists' },
  P2025: { status: 404, code: 'not_found', message: 'record not found' },
  P2003: { status: 400, code: 'invalid_argument', message: 'a referenced record does not exist' },
};

function isPrismaKnownError(e: unknown): e is PrismaKnownError {
  return (
    typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'PrismaClientKnownRequestError'
  );
}

/**
 * One error shape for every HTTP answer: `{ error: { code, message, details?, correlationId? } }`.
 * Anything unexpected becomes a 500 with a correlation id that is also in the log line; no internals leak.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) return;
    const { status, body } = this.map(exception, req);
    res.status(status).json(body);
  }

  private map(
    exception: unknown,
    req: Request,
  ): { status: number; body: { error: Record<string, unknown> } } {
    if (exception instanceof DomainError) {
      return {
        status: HTTP_STATUS_BY_CODE[exception.code],
        body: {
          error: {
            code: exception.code,
            message: exception.message,
            ...(exception.details ? { details: exception.details } : {}),
          },
        },
      };
    }
    if (isPrismaKnownError(exception) && PRISMA_CODES[exception.code]) {
      const m = PRISMA_CODES[exception.code]!;
      return { status: m.status, body: { error: { code: m.code, message: m.message } } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : ((response as { message?: unknown }).message ?? exception.message);
      return {
        status,
        body: {
          error: {
            code: status === 404 ? 'not_found' : `http_${status}`,
            message: Array.isArray(message) ? message.join('; ') : String(message),
          },
        },
      };
    }
    const correlationId = randomUUID();
    this.logger.error(
      { err: exception, correlationId, method: req.method, path: req.path },
      'unhandled error',
    );
    return { status: 500, body: { error: { code: 'internal', message: 'internal error', correlationId } } };
  }
}
