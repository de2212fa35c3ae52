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
import { arr, int, obj, parseJson, str } from '../shared/read';

/** The OpenAI error body every OpenAI-protocol client (and SDK) understands. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAiErrorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

/** A client-protocol error ready to send: status, extra headers and the body text. */
export interface EncodedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Reads an OpenAI-shaped error (OpenAI, Responses, DeepSeek, xAI…) and the shapes other
 * compatible servers use: FastAPI `{"detail"}`, Ollama `{"error":"…"}`, vLLM `{"object":"error"}`.
 */
export function decodeOpenAiError(status: number, bodyText: string, header?: HeaderLookup): IrError {
  const retryAfterSeconds = retryAfterFromHeaders(header);
  const root = obj(parseJson(bodyText));
  const found = root ? decodeOpenAiErrorObject(root, status, retryAfterSeconds) : null;
  return found ?? statusOnlyError(status, root !== null, retryAfterSeconds);
}

/** The error inside an OpenAI-family JSON object (an error body, or an in-stream error chunk). */
export function decodeOpenAiErrorObject(
  root: JsonObject,
  status: number,
  retryAfterSeconds?: number,
): IrError | null {
  const error = obj(root.error);
  if (error) {
    const code = str(error.code) ?? (int(error.code) !== undefined ? String(error.code) : undefined);
    const message = str(error.message) ?? `upstream returned HTTP ${status}`;
    return build(status, retryAfterSeconds, message, code, str(error.type), str(error.param));
  }
  if (typeof root.error === 'string') return build(status, retryAfterSeconds, root.error);
  if (root.object === 'error' && typeof root.message === 'string') {
    return build(status, retryAfterSeconds, root.message, undefined, str(root.type));
  }
  if (typeof root.detail === 'string') return build(status, retryAfterSeconds, root.detail);
  const details = arr(root.detail);
  if (details) {
    const first = obj(details[0]);
    return build(status, retryAfterSeconds, (first && str(first.msg)) ?? 'invalid request');
  }
  return null;
}

function build(
  status: number,
  retryAfterSeconds: number | undefined,
  message: string,
  code?: string,
  type?: string,
  param?: string,
): IrError {
  const neutral = classify(status, code, type);
  return {
    status: status === 0 ? statusForErrorType(neutral) : status,
    type: neutral,
    message,
    ...(code ? { code } : {}),
    ...(param ? { param } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

function classify(status: number, code: string | undefined, type: string | undefined): IrErrorType {
  // OpenAI reports exhausted credit as a 429: it is billing, and retrying the same account is useless.
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return 'billing';
  if (code === 'context_length_exceeded') return 'invalid_request';
  if (type === 'server_error' && status < 500) return 'server';
  return errorTypeForStatus(status);
}

/** Status and OpenAI `type`/`code` per neutral error type (errors.md §4). */
export function openAiErrorShape(error: IrError): { status: number; type: string; code: string | null } {
  switch (error.type) {
    case 'invalid_request':
      return {
        status: error.status >= 400 && error.status < 500 && error.status !== 429 ? error.status : 400,
        type: 'invalid_request_error',
        code: error.code ?? null,
      };
    case 'authentication':
      return { status: 401, type: 'invalid_request_error', code: 'invalid_api_key' };
    case 'permission':
      return { status: 403, type: 'permission_denied', code: error.code ?? 'permission_denied' };
    case 'not_found':
      return { status: 404, type: 'invalid_request_error', code: error.code ?? 'model_not_found' };
    case 'request_too_large':
      return { status: 413, type: 'invalid_request_error', code: 'request_too_large' };
    case 'rate_limit':
      return { status: 429, type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' };
    case 'billing':
      return { status: 402, type: 'insufficient_quota', code: 'insufficient_quota' };
    case 'overloaded':
      // Anthropic's 529 is not an HTTP status OpenAI SDKs know; 503 is what they retry.
      return { status: 503, type: 'server_error', code: 'upstream_overloaded' };
    case 'timeout':
      return { status: 504, type: 'server_error', code: 'upstream_timeout' };
    case 'server':
      return {
        status: error.status === 502 || error.status === 503 || error.status === 504 ? error.status : 502,
        type: 'server_error',
        code: error.code ?? 'upstream_error',
      };
  }
}

/** Encodes an error for an OpenAI (Chat or Responses) client: status, headers, body. */
export function encodeOpenAiError(error: IrError, requestId?: string): EncodedError {
  const shape = openAiErrorShape(error);
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  // Exhausted credit will not come back in seconds: stop the SDK from retrying it.
  if (error.type === 'billing') headers['x-should-retry'] = 'false';
  if (requestId) headers['x-request-id'] = requestId;
  const body = openAiErrorBody(error.message, shape.type, shape.code, error.param ?? null);
  return { status: shape.status, headers, body: JSON.stringify(body) };
}

/**
 * The in-band error chunk for a Chat stream that already started: openai-node throws APIError on
 * any chunk with an `error` key. No `[DONE]` follows it.
 */
export function openAiChatStreamError(error: IrError): string {
  const shape = openAiErrorShape(error);
  return `data: ${JSON.stringify(openAiErrorBody(error.message, shape.type, shape.code, error.param ?? null))}\n\n`;
}
