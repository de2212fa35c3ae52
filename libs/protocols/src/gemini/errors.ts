import {
  errorTypeForStatus,
  HeaderLookup,
  IrError,
  IrErrorType,
  retryAfterFromHeaders,
  statusForErrorType,
  statusOnlyError,
} from '../ir/ir-error';
import { JsonObject } from '@switchyard/common';
import { arr, int, obj, parseJson, str } from '../shared/read';

const STATUSES: Readonly<Record<string, IrErrorType>> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  INTERNAL: 'server',
  UNKNOWN: 'server',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
};

/**
 * Reads a Gemini error body (`{"error":{"code","message","status","details"}}`, sometimes wrapped
 * in an array on the stream endpoint). The retry delay lives in the body (RetryInfo), not a header.
 */
export function decodeGeminiError(status: number, bodyText: string, header?: HeaderLookup): IrError {
  const parsed = parseJson(bodyText);
  const root = obj(parsed) ?? obj(arr(parsed)?.[0]);
  const found = root ? decodeGeminiErrorObject(root, status, retryAfterFromHeaders(header)) : null;
  return found ?? statusOnlyError(status, root !== null, retryAfterFromHeaders(header));
}

export function decodeGeminiErrorObject(
  root: JsonObject,
  status: number,
  headerRetry?: number,
): IrError | null {
  const error = obj(root.error);
  if (!error) return null;
  const rpcStatus = str(error.status);
  const code = int(error.code);
  const httpStatus = status === 0 ? (code ?? 0) : status;
  const message = str(error.message) ?? `upstream returned HTTP ${httpStatus}`;
  let type = (rpcStatus && STATUSES[rpcStatus]) || errorTypeForStatus(httpStatus);
  // An invalid key is a 400 INVALID_ARGUMENT on Gemini: it is a credential problem, not the client's.
  if (type === 'invalid_request' && /API key not valid/i.test(message)) type = 'authentication';
  let retryAfterSeconds = headerRetry;
  for (const raw of arr(error.details) ?? []) {
    const detail = obj(raw);
    const delay = detail && str(detail.retryDelay);
    if (delay) retryAfterSeconds = parseDuration(delay) ?? retryAfterSeconds;
  }
  return {
    status: httpStatus === 0 ? statusForErrorType(type) : httpStatus,
    type,
    message,
    ...(rpcStatus ? { code: rpcStatus } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/** A protobuf Duration string ("34.4s") in whole seconds, rounded up. */
function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match ? Math.ceil(Number(match[1])) : undefined;
}
