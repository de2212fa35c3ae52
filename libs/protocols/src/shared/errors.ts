import { DomainError } from '@switchyard/common';
import { IrError, upstreamProtocolError } from '../ir/ir-error';

/** Stable codes thrown by the protocol library; the gateway maps them to 400s in the client's shape. */
export type ProtocolErrorCode =
  'request.invalid' | 'request.unsupported_parameter' | 'upstream.malformed' | 'upstream.failed';

export class ProtocolError extends DomainError<ProtocolErrorCode> {}

/** A client request that cannot be decoded: wrong type, missing required field, bad JSON. */
export function invalidRequest(message: string, param?: string): ProtocolError {
  return new ProtocolError('request.invalid', message, param === undefined ? undefined : { param });
}

/** A parameter the chosen upstream cannot honour and the operator did not mark droppable. */
export function unsupportedParameter(param: string, upstream: string, reason?: string): ProtocolError {
  const why = reason ? `: ${reason}` : '';
  return new ProtocolError(
    'request.unsupported_parameter',
    `unsupported parameter ${param} for upstream kind ${upstream}${why}`,
    { param, upstream },
  );
}

/**
 * A non-streaming upstream answer that is not a usable response: unreadable (truncated JSON, an
 * HTML page with status 200: `upstream.malformed`) or a failure reported with status 200 (an
 * `error` body, DeepSeek's insufficient_system_resource: `upstream.failed`). Carries the IrError
 * to encode for the client.
 */
export class UpstreamResponseError extends ProtocolError {
  constructor(
    code: 'upstream.malformed' | 'upstream.failed',
    readonly error: IrError,
  ) {
    super(code, error.message);
  }
}

export function malformedUpstream(message: string): UpstreamResponseError {
  return new UpstreamResponseError('upstream.malformed', upstreamProtocolError(message));
}

export function failedUpstream(error: IrError): UpstreamResponseError {
  return new UpstreamResponseError('upstream.failed', error);
}
