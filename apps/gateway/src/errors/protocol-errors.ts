import { ProtocolError, UpstreamResponseError } from '@switchyard/protocols';
import { GatewayError } from './gateway-error';

/**
 * The protocol library's failures as gateway errors, mapped here once: a request it cannot
 * decode or a parameter the upstream cannot honour is the client's 400; a 200 body that is not
 * a usable answer is the upstream's fault (502), or the upstream's own failure reported in-body.
 * Anything else is rethrown: it is a bug, and the hot path renders it as a 500.
 */
export function protocolError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof UpstreamResponseError) {
    return error.code === 'upstream.failed'
      ? GatewayError.fromUpstream(error.error)
      : new GatewayError('upstream.bad_response', 'The upstream provider returned a malformed response.', {
          cause: error,
        });
  }
  if (error instanceof ProtocolError) {
    if (error.code === 'upstream.malformed' || error.code === 'upstream.failed') {
      return new GatewayError(
        'upstream.bad_response',
        'The upstream provider returned a malformed response.',
        { cause: error },
      );
    }
    const param = typeof error.details?.param === 'string' ? error.details.param : undefined;
    const code =
      error.code === 'request.unsupported_parameter' ? 'request.unsupported_parameter' : 'request.invalid';
    return new GatewayError(code, error.message, { ...(param !== undefined ? { param } : {}), cause: error });
  }
  throw error;
}
