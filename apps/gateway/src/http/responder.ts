import { ServerResponse } from 'node:http';
import {
  asClientFacing,
  EncodedError,
  encodeAnthropicError,
  encodeOpenAiError,
  openAiErrorBody,
} from '@switchyard/protocols';
import { GatewayError, irErrorOf, openAiTypeAndCode } from '../errors/gateway-error';

/** The wire family of the inbound route: decides the error shape. */
export type InboundFamily = 'openai' | 'anthropic';

const JSON_TYPE = 'application/json';

/** Writes a complete JSON answer with one syscall-friendly `end`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  requestId: string,
  extraHeaders?: Record<string, string>,
): void {
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    ...extraHeaders,
  });
  res.end(body);
}

/**
 * A GatewayError in the inbound protocol's shape, with its status and headers (`retry-after`
 * where it applies; Anthropic's `request-id`). An upstream's failure goes through the protocol
 * library's encoder, so e.g. Anthropic's 529 reaches an OpenAI client as a 503.
 */
export function renderError(family: InboundFamily, error: GatewayError, requestId: string): EncodedError {
  if (error.upstream || family === 'anthropic') {
    // Only an upstream's 401/403 is the gateway's own credential problem (a 502 for the client).
    const neutral = error.upstream ? asClientFacing(error.upstream) : irErrorOf(error);
    return family === 'anthropic'
      ? encodeAnthropicError(neutral, requestId)
      : encodeOpenAiError(neutral, requestId);
  }
  const { type, code } = openAiTypeAndCode(error.code);
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== null) headers['retry-after'] = String(error.retryAfterSeconds);
  return {
    status: error.status,
    headers,
    body: JSON.stringify(openAiErrorBody(error.message, type, code, error.param)),
  };
}

/** Writes a rendered error; after the first byte only closing the connection is left. */
export function sendError(
  res: ServerResponse,
  rendered: EncodedError,
  error: GatewayError,
  requestId: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string | number> = {
    ...rendered.headers,
    'content-type': JSON_TYPE,
    'x-request-id': requestId,
    'content-length': Buffer.byteLength(rendered.body),
  };
  if (error.code === 'request.too_large') headers.connection = 'close';
  res.writeHead(rendered.status, headers);
  res.end(rendered.body);
}
