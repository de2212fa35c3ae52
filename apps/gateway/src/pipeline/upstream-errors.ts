import { UpstreamFailure } from '@switchyard/providers';
import { GatewayError } from '../errors/gateway-error';

/**
 * A failure with no HTTP answer from the upstream (connect error, timeout, reset). Upstream error
 * *statuses* are decoded by the protocol library instead (UpstreamCaller), so their message, type
 * and retry hint reach the client in its own protocol.
 */
export function errorForUpstreamFailure(
  failure: Exclude<UpstreamFailure, 'aborted'>,
  cause: unknown,
): GatewayError {
  switch (failure) {
    case 'timeout':
      return new GatewayError('upstream.timeout', 'The upstream provider did not answer in time.', { cause });
    case 'connect':
      return new GatewayError('upstream.error', 'The upstream provider could not be reached.', { cause });
    case 'reset':
      return new GatewayError('upstream.error', 'The connection to the upstream provider failed.', { cause });
  }
}
