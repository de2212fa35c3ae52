import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@switchyard/common';

/** The admin API's one error shape. */
export interface AdminErrorBody {
  error: { type: string; message: string; details: Record<string, unknown> };
}

const STATUS_BY_CODE: Record<string, { status: number; type: string }> = {
  validation: { status: 400, type: 'invalid_request' },
  unauthorized: { status: 401, type: 'unauthorized' },
  forbidden: { status: 403, type: 'forbidden' },
  not_found: { status: 404, type: 'not_found' },
  conflict: { status: 409, type: 'conflict' },
};

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'request_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Maps every error leaving an admin handler to `{"error":{"type","message","details"}}`, once.
 * Domain codes map by table; Nest's own HTTP errors (bad JSON, unknown route) keep their status;
 * anything else is a 500 with an error id to find it in the logs.
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('AdminApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const { status, body } = this.render(exception, req);
    if (res.headersSent) return;
    res.status(status).json(body);
  }

  private render(exception: unknown, req: Request): { status: number; body: AdminErrorBody } {
    if (exception instanceof DomainError) {
      const mapped = STATUS_BY_CODE[exception.code] ?? { status: 400, type: exception.code };
      return {
        status: mapped.status,
        body: errorBody(mapped.type, exception.message, exception.details ?? {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' &&
        response !== null &&
        'message' in response &&
        typeof response.message === 'string'
          ? response.message
          : exception.message;
      if (status >= 500) this.log.error({ err: exception.message, path: req.path }, 'admin request failed');
      return {
        status,
        body: errorBody(
          TYPE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_request'),
          message,
          {},
        ),
      };
    }
    const errorId = randomUUID();
    this.log.error(
      {
        errorId,
        path: req.path,
        err: exception instanceof Error ? exception.message : String(exception),
        stack: exception instanceof Error ? exception.stack : undefined,
      },
      'unexpected admin error',
    );
    return {
      status: 500,
      body: errorBody('internal', `Internal error (error id ${errorId}).`, { error_id: errorId }),
    };
  }
}

export function errorBody(type: string, message: string, details: Record<string, unknown>): AdminErrorBody {
  return { error: { type, message, details } };
}
