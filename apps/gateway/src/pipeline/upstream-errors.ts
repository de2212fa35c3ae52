import { isJsonObject } from '@switchyard/common';
import { UpstreamFailure } from '@switchyard/providers';
import { GatewayError } from '../errors/gateway-error';

/** Statuses after which the next deployment is tried (DESIGN.md, request path step 6). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Seconds from `retry-after` (seconds or HTTP date) or `retry-after-ms`, if present. */
export function retryAfterSeconds(headers: Record<string, string | string[] | undefined>): number | undefined {
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  const value = headers['retry-after'];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The upstream's own message from an error body of any common shape, if one is there. */
export function upstreamMessage(body: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined; // an HTML or text error page: its content is not worth relaying
  }
  if (!isJsonObject(parsed)) return undefined;
  const error = parsed.error;
  if (isJsonObject(error) && typeof error.message === 'string') return error.message; // OpenAI, Anthropic, Gemini
  if (typeof error === 'string') return error; // Ollama
  if (typeof parsed.message === 'string') return parsed.message; // vLLM
  if (typeof parsed.detail === 'string') return parsed.detail; // FastAPI servers
  return undefined;
}

/**
 * What the client gets when the last deployment answered with an error status. Client errors
 * (bad parameters, context too long) pass through with the upstream's message; the gateway's own
 * credentials being refused is our problem, not the client's, so it is a 502; 429 keeps its
 * retry hint; every 5xx is a 502.
 */
export function errorForUpstreamStatus(status: number, body: Buffer, headers: Record<string, string | string[] | undefined>): GatewayError {
  const message = upstreamMessage(body);
  const retryAfter = retryAfterSeconds(headers);
  if (status === 401 || status === 403) {
    return new GatewayError('upstream.error', `The upstream provider refused the gateway's credentials (HTTP ${status}).`);
  }
  if (status === 429) {
    return new GatewayError('limit.rate', message ?? 'The upstream provider is rate limiting requests.', {
      retryAfterSeconds: retryAfter,
    });
  }
  if (status === 408 || status === 504) {
    return new GatewayError('upstream.timeout', `The upstream provider timed out (HTTP ${status}).`);
  }
  if (status >= 400 && status < 500) {
    return new GatewayError('upstream.rejected', message ?? `The upstream provider rejected the request (HTTP ${status}).`, { status });
  }
  if (status === 503 || status === 529) {
    return new GatewayError('upstream.unavailable', `The upstream provider is overloaded (HTTP ${status}).`, {
      retryAfterSeconds: retryAfter,
    });
  }
  return new GatewayError('upstream.error', `The upstream provider failed (HTTP ${status}).`);
}

export function errorForUpstreamFailure(failure: Exclude<UpstreamFailure, 'aborted'>, cause: unknown): GatewayError {
  switch (failure) {
    case 'timeout':
      return new GatewayError('upstream.timeout', 'The upstream provider did not answer in time.', { cause });
    case 'connect':
      return new GatewayError('upstream.error', 'The upstream provider could not be reached.', { cause });
    case 'reset':
      return new GatewayError('upstream.error', 'The connection to the upstream provider failed.', { cause });
  }
}
