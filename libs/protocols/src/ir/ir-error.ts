/**
 * A failure in protocol-neutral terms, decoded from any upstream's error body or raised by the
 * gateway, and encoded into the client's protocol shape and status.
 */
export type IrErrorType =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'billing'
  | 'overloaded'
  | 'server'
  | 'timeout';

export interface IrError {
  /** HTTP status as the upstream (or gateway) reported it. */
  status: number;
  type: IrErrorType;
  message: string;
  /** Provider error code (`insufficient_quota`, `unsupported_parameter`, `RESOURCE_EXHAUSTED`…). */
  code?: string;
  param?: string;
  /** Seconds to wait, from `retry-after(-ms)` or Gemini `RetryInfo`. */
  retryAfterSeconds?: number;
}

/** Reads a header whatever the HTTP client: the gateway passes `(name) => headers[name]`. */
export type HeaderLookup = (lowerCaseName: string) => string | undefined;

/**
 * The neutral type for a bare HTTP status, when the body says nothing better. Status 0 means
 * "no HTTP status" (an error event inside a stream that started with 200): a server failure.
 */
export function errorTypeForStatus(status: number): IrErrorType {
  if (status === 0) return 'server';
  if (status === 401) return 'authentication';
  if (status === 402) return 'billing';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'invalid_request';
}

/** The HTTP status an upstream would have used for this type (for errors reported inside a stream). */
export function statusForErrorType(type: IrErrorType): number {
  switch (type) {
    case 'invalid_request':
      return 400;
    case 'authentication':
      return 401;
    case 'billing':
      return 402;
    case 'permission':
      return 403;
    case 'not_found':
      return 404;
    case 'request_too_large':
      return 413;
    case 'rate_limit':
      return 429;
    case 'overloaded':
      return 529;
    case 'timeout':
      return 504;
    case 'server':
      return 500;
  }
}

/** Whether a gateway may try another deployment for this failure (before the first byte). */
export function isRetryable(error: IrError): boolean {
  switch (error.type) {
    case 'rate_limit':
    case 'overloaded':
    case 'server':
    case 'timeout':
    case 'billing': // not on the same account, but another deployment may have credit
      return true;
    default:
      return error.status === 408 || error.status === 409;
  }
}

const RETRY_AFTER_MS = 'retry-after-ms';
const RETRY_AFTER = 'retry-after';

/** Seconds from `retry-after-ms` (preferred, as the SDKs do) or `retry-after` (seconds or HTTP date). */
export function retryAfterFromHeaders(
  header: HeaderLookup | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const ms = header(RETRY_AFTER_MS);
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value / 1000);
  }
  const after = header(RETRY_AFTER);
  if (after === undefined) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** An error for a malformed upstream response (truncated JSON, HTML with 200, unknown shape). */
export function upstreamProtocolError(message: string): IrError {
  return { status: 502, type: 'server', message, code: 'upstream_protocol_error' };
}

/**
 * Upstream 401/403 mean the *gateway's* upstream credential is wrong, not the client's key:
 * clients see a 502 so their SDK does not report their own key as invalid.
 */
export function asClientFacing(error: IrError): IrError {
  if (error.type === 'authentication' || error.type === 'permission') {
    return {
      ...error,
      status: 502,
      type: 'server',
      message: `upstream rejected the gateway's credentials: ${error.message}`,
    };
  }
  return error;
}

/**
 * What an upstream error status says when its body has no error object the protocol's decoder
 * can read (an HTML page, an empty body, an unknown shape): the status alone, and the retry hint.
 */
export function statusOnlyError(status: number, bodyWasJson: boolean, retryAfterSeconds?: number): IrError {
  return {
    status,
    type: errorTypeForStatus(status),
    message: bodyWasJson
      ? `upstream returned HTTP ${status}`
      : `upstream returned HTTP ${status} with a non-JSON body`,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}
