import { assertNever, DomainError } from '@switchyard/common';
import { IrError, IrErrorType } from '@switchyard/protocols';

export type GatewayErrorCode =
  | 'request.invalid_json'
  | 'request.invalid'
  | 'request.unsupported_parameter'
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
  | 'service.unavailable'
  | 'internal';

export interface GatewayErrorOptions {
  /** For upstream.rejected: the upstream's own 4xx status, passed on. */
  status?: number;
  param?: string;
  retryAfterSeconds?: number;
  cause?: unknown;
  /** The upstream's own failure, rendered by the protocol library in the client's shape. */
  upstream?: IrError;
}

/** A failure on /v1/*, rendered in the inbound protocol's error shape by `renderError`. */
export class GatewayError extends DomainError<GatewayErrorCode> {
  readonly status: number;
  readonly param: string | null;
  readonly retryAfterSeconds: number | null;
  readonly upstream: IrError | null;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(code, message, undefined, { cause: options.cause });
    this.status = options.status ?? statusOf(code);
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.upstream = options.upstream ?? null;
  }

  /**
   * An upstream's failure (error status, in-body error, error event before the first byte). The
   * client sees it through the protocol library's encoder (`asClientFacing` first), so its shape
   * and status follow the client's protocol; the code is what the usage event records.
   */
  static fromUpstream(error: IrError): GatewayError {
    const shown = { ...error, message: clientMessage(error) };
    return new GatewayError(upstreamCode(error), shown.message, {
      upstream: shown,
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      ...(error.param !== undefined ? { param: error.param } : {}),
    });
  }
}

/**
 * Request errors keep the upstream's own words (they tell the client what to fix); server-side
 * failures say first that the upstream failed, so a client does not blame the gateway or itself.
 */
function clientMessage(error: IrError): string {
  const status = error.status > 0 ? ` (HTTP ${error.status})` : '';
  switch (error.type) {
    case 'overloaded':
      return `The upstream provider is overloaded${status}: ${error.message}`;
    case 'timeout':
      return `The upstream provider timed out${status}: ${error.message}`;
    case 'server':
      return `The upstream provider failed${status}: ${error.message}`;
    default:
      return error.message;
  }
}

function upstreamCode(error: IrError): GatewayErrorCode {
  switch (error.type) {
    case 'invalid_request':
    case 'not_found':
    case 'request_too_large':
      return 'upstream.rejected';
    case 'rate_limit':
      return 'limit.rate';
    case 'overloaded':
      return 'upstream.unavailable';
    case 'timeout':
      return 'upstream.timeout';
    case 'authentication':
    case 'permission':
    case 'billing':
    case 'server':
      return 'upstream.error';
  }
}

export function statusOf(code: GatewayErrorCode): number {
  switch (code) {
    case 'request.invalid_json':
    case 'request.invalid':
    case 'request.unsupported_parameter':
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
    case 'service.unavailable':
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
    case 'request.unsupported_parameter':
      return { type: 'invalid_request_error', code: 'unsupported_parameter' };
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
    case 'service.unavailable':
      return { type: 'server_error', code: 'service_unavailable' };
    case 'internal':
      return { type: 'server_error', code: 'internal_error' };
    default:
      return assertNever(code);
  }
}

/**
 * The gateway's own failure in protocol-neutral terms, for clients whose error shape the
 * protocol library writes (Anthropic). An upstream failure is already one.
 */
export function irErrorOf(error: GatewayError): IrError {
  if (error.upstream) return error.upstream;
  return {
    status: error.status,
    type: irTypeOf(error.code),
    message: error.message,
    ...(error.param !== null ? { param: error.param } : {}),
    ...(error.retryAfterSeconds !== null ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}

function irTypeOf(code: GatewayErrorCode): IrErrorType {
  switch (code) {
    case 'request.invalid_json':
    case 'request.invalid':
    case 'request.unsupported_parameter':
    case 'method.not_allowed':
    case 'upstream.rejected':
      return 'invalid_request';
    case 'request.too_large':
      return 'request_too_large';
    case 'key.missing':
    case 'key.invalid':
    case 'key.revoked':
    case 'key.expired':
      return 'authentication';
    case 'tenant.suspended':
    case 'model.not_allowed':
      return 'permission';
    case 'route.not_found':
    case 'model.not_found':
      return 'not_found';
    case 'credit.exhausted':
      return 'billing';
    case 'limit.rate':
      return 'rate_limit';
    case 'upstream.timeout':
      return 'timeout';
    case 'upstream.error':
    case 'upstream.bad_response':
    case 'upstream.unavailable':
    case 'internal':
      return 'server';
    case 'service.unavailable':
      return 'overloaded';
    default:
      return assertNever(code);
  }
}
