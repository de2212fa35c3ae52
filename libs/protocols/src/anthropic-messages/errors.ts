import { JsonObject } from '@switchyard/common';
import {
  errorTypeForStatus,
  HeaderLookup,
  IrError,
  IrErrorType,
  retryAfterFromHeaders,
  statusForErrorType,
  statusOnlyError,
} from '../ir/ir-error';
import { EncodedError } from '../openai-chat/errors';
import { obj, parseJson, str } from '../shared/read';

const TYPES: Readonly<Record<string, IrErrorType>> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  billing_error: 'billing',
  api_error: 'server',
  timeout_error: 'timeout',
  overloaded_error: 'overloaded',
};

/** Reads an Anthropic error body (`{"type":"error","error":{"type","message"},"request_id"}`). */
export function decodeAnthropicError(status: number, bodyText: string, header?: HeaderLookup): IrError {
  const retryAfterSeconds = retryAfterFromHeaders(header);
  const root = obj(parseJson(bodyText));
  const found = root ? decodeAnthropicErrorObject(root, status, retryAfterSeconds) : null;
  return found ?? statusOnlyError(status, root !== null, retryAfterSeconds);
}

/** The error inside an Anthropic error body or `error` stream event (status 0: inside a stream). */
export function decodeAnthropicErrorObject(
  root: JsonObject,
  status: number,
  retryAfterSeconds?: number,
): IrError | null {
  const error = obj(root.error);
  if (!error) return null;
  const wireType = str(error.type) ?? '';
  const message = str(error.message) ?? `upstream returned HTTP ${status}`;
  let type = TYPES[wireType] ?? errorTypeForStatus(status);
  // Anthropic reports a low credit balance as a 400 invalid_request_error.
  if (type === 'invalid_request' && /credit balance/i.test(message)) type = 'billing';
  return {
    status: status === 0 ? statusForErrorType(type) : status,
    type,
    message,
    ...(wireType ? { code: wireType } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

function anthropicShape(error: IrError): { status: number; type: string } {
  switch (error.type) {
    case 'invalid_request':
      return {
        status: error.status >= 400 && error.status < 500 && error.status !== 429 ? error.status : 400,
        type: 'invalid_request_error',
      };
    case 'authentication':
      return { status: 401, type: 'authentication_error' };
    case 'permission':
      return { status: 403, type: 'permission_error' };
    case 'not_found':
      return { status: 404, type: 'not_found_error' };
    case 'request_too_large':
      return { status: 413, type: 'request_too_large' };
    case 'rate_limit':
      return { status: 429, type: 'rate_limit_error' };
    case 'billing':
      return { status: 402, type: 'billing_error' };
    case 'overloaded':
      return { status: 529, type: 'overloaded_error' };
    case 'timeout':
      return { status: 504, type: 'timeout_error' };
    case 'server':
      return { status: error.status >= 500 && error.status !== 529 ? error.status : 500, type: 'api_error' };
  }
}

/** Encodes an error for an Anthropic client; `request_id` echoes the gateway's request id. */
export function encodeAnthropicError(error: IrError, requestId?: string): EncodedError {
  const shape = anthropicShape(error);
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.type === 'billing') headers['x-should-retry'] = 'false';
  if (requestId) headers['request-id'] = requestId;
  const body = `{"type":"error","error":{"type":"${shape.type}","message":${JSON.stringify(error.message)}}${requestId ? `,"request_id":${JSON.stringify(requestId)}` : ''}}`;
  return { status: shape.status, headers, body };
}

/** The `event: error` an Anthropic SDK throws on, for a stream that already started. */
export function anthropicStreamError(error: IrError): string {
  const { type } = anthropicShape(error);
  return `event: error\ndata: {"type":"error","error":{"type":"${type}","message":${JSON.stringify(error.message)}}}\n\n`;
}
