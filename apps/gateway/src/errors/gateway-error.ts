import { assertNever, DomainError } from '@switchyard/common';

export type GatewayErrorCode =
  | 'request.invalid_json'
  | 'request.invalid'
  | 'request.too_large'
  | 'route.not_found'
  | 'method.not_allowed'
  | 'key.missing'
  | 'key.invalid'
  | 'key.revoked'
  | 'key.expired'
  | 'tenant.suspended'
  | 'model.not_allowed'
  | 'model.not_found'
  | 'credit.exhausted'
  | 'limit.rate'
  | 'upstream.rejected'
  | 'upstream.error'
  | 'upstream.bad_response'
  | 'upstream.unavailable'
  | 'upstream.timeout'
  | 'internal';

export interface GatewayErrorOptions {
  /** For upstream.rejected: the upstream's own 4xx status, passed on. */
  status?: number;
  param?: string;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** A failure on /v1/*, rendered in the inbound protocol's error shape by ErrorRenderer. */
export class GatewayError extends DomainError<GatewayErrorCode> {
  readonly status: number;
  readonly param: string | null;
  readonly retryAfterSeconds: number | null;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(code, message, undefined, { cause: options.cause });
    this.status = options.status ?? statusOf(code);
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

export function statusOf(code: GatewayErrorCode): number {
  switch (code) {
    case 'request.invalid_json':
    case 'request.invalid':
      return 400;
    case 'key.missing':
    case 'key.invalid':
    case 'key.revoked':
    case 'key.expired':
      return 401;
    case 'credit.exhausted':
      return 402;
    case 'tenant.suspended':
    case 'model.not_allowed':
      return 403;
    case 'route.not_found':
    case 'model.not_found':
      return 404;
    case 'method.not_allowed':
      return 405;
    case 'request.too_large':
      return 413;
    case 'limit.rate':
      return 429;
    case 'upstream.rejected':
      return 400;
    case 'internal':
      return 500;
    case 'upstream.error':
    case 'upstream.bad_response':
      return 502;
    case 'upstream.unavailable':
      return 503;
    case 'upstream.timeout':
      return 504;
    default:
      return assertNever(code);
  }
}

/** OpenAI `error.type` and `error.code` for each gateway code (see docs/errors.md). */
export function openAiTypeAndCode(code: GatewayErrorCode): { type: string; code: string | null } {
  switch (code) {
    case 'request.invalid_json':
      return { type: 'invalid_request_error', code: 'invalid_json' };
    case 'request.invalid':
    case 'upstream.rejected':
      return { type: 'invalid_request_error', code: null };
    case 'request.too_large':
      return { type: 'invalid_request_error', code: 'request_too_large' };
    case 'route.not_found':
      return { type: 'invalid_request_error', code: 'unknown_url' };
    case 'method.not_allowed':
      return { type: 'invalid_request_error', code: 'method_not_allowed' };
    case 'key.missing':
    case 'key.invalid':
    case 'key.revoked':
    case 'key.expired':
      return { type: 'invalid_request_error', code: 'invalid_api_key' };
    case 'tenant.suspended':
      return { type: 'permission_denied', code: 'tenant_suspended' };
    case 'model.not_allowed':
      return { type: 'permission_denied', code: 'model_not_allowed' };
    case 'model.not_found':
      return { type: 'invalid_request_error', code: 'model_not_found' };
    case 'credit.exhausted':
      return { type: 'insufficient_quota', code: 'insufficient_quota' };
    case 'limit.rate':
      return { type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' };
    case 'upstream.error':
    case 'upstream.bad_response':
    case 'upstream.unavailable':
    case 'upstream.timeout':
      return { type: 'server_error', code: 'upstream_error' };
    case 'internal':
      return { type: 'server_error', code: 'internal_error' };
    default:
      return assertNever(code);
  }
}
