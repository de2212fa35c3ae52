import { ServerResponse } from 'node:http';
import { openAiErrorBody } from '@switchyard/protocols';
import { GatewayError, openAiTypeAndCode } from '../errors/gateway-error';

/** The wire family of the inbound route: decides the error shape. */
export type InboundFamily = 'openai' | 'anthropic';

const JSON_TYPE = 'application/json';

/** Writes a complete JSON answer with one syscall-friendly `end`. */
export function sendJson(res: ServerResponse, status: number, body: string | Buffer, requestId: string): void {
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}

/** Renders a GatewayError in the inbound protocol's shape, with `retry-after` where it applies. */
export function sendError(res: ServerResponse, family: InboundFamily, error: GatewayError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string | number> = { 'content-type': JSON_TYPE, 'x-request-id': requestId };
  if (error.retryAfterSeconds !== null) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.code === 'request.too_large') headers.connection = 'close';
  const body = JSON.stringify(family === 'anthropic' ? anthropicError(error, requestId) : openAiError(error));
  headers['content-length'] = Buffer.byteLength(body);
  res.writeHead(error.status, headers);
  res.end(body);
}

function openAiError(error: GatewayError): unknown {
  const { type, code } = openAiTypeAndCode(error.code);
  return openAiErrorBody(error.message, type, code, error.param);
}

/** Anthropic's shape; replaced by libs/protocols' encoder once /v1/messages lands. */
function anthropicError(error: GatewayError, requestId: string): unknown {
  const type =
    error.status === 401
      ? 'authentication_error'
      : error.status === 403
        ? 'permission_error'
        : error.status === 404
          ? 'not_found_error'
          : error.status === 413
            ? 'request_too_large'
            : error.status === 429
              ? 'rate_limit_error'
              : error.status === 402
                ? 'billing_error'
                : error.status >= 500
                  ? 'api_error'
                  : 'invalid_request_error';
  return { type: 'error', error: { type, message: error.message }, request_id: requestId };
}
