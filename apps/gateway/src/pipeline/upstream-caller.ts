import { Injectable } from '@nestjs/common';
import { decodeUpstreamError, isRetryable, WireProtocol } from '@switchyard/protocols';
import { classifyUpstreamError, UpstreamHttp, UpstreamResponse, UpstreamTarget } from '@switchyard/providers';
import { GatewayError } from '../errors/gateway-error';
import { readUpstreamBody } from './upstream-body';
import { errorForUpstreamFailure } from './upstream-errors';

/** Largest upstream error body read: enough for any real error message. */
const MAX_UPSTREAM_ERROR_BYTES = 64 * 1024;

/** How one upstream call went, before its body is read. */
export type CallResult =
  | { kind: 'ok'; response: UpstreamResponse }
  /** The client left while we waited. */
  | { kind: 'aborted' }
  /** The upstream failed; `retryable` says whether another deployment may do better. */
  | { kind: 'failed'; error: GatewayError; retryable: boolean; status: number | null };

/**
 * Sends one request to one upstream and classifies the outcome: a 2xx to relay, or a failure
 * decoded with the wire's own error decoder (so its message, type and retry hint survive into the
 * client's protocol) and marked retryable per the protocol library (429, 5xx, 529, timeouts).
 */
@Injectable()
export class UpstreamCaller {
  constructor(private readonly http: UpstreamHttp) {}

  async call(
    target: UpstreamTarget,
    body: string,
    wire: WireProtocol,
    signal: AbortSignal,
  ): Promise<CallResult> {
    let response: UpstreamResponse;
    try {
      response = await this.http.send({
        url: target.url,
        method: 'POST',
        headers: target.headers,
        body,
        signal,
      });
    } catch (error) {
      const failure = classifyUpstreamError(error);
      if (failure === 'aborted') return { kind: 'aborted' };
      // Connect errors, timeouts and resets say nothing about the request: another upstream may answer.
      return {
        kind: 'failed',
        error: errorForUpstreamFailure(failure, error),
        retryable: true,
        status: null,
      };
    }
    if (response.statusCode < 400) return { kind: 'ok', response };
    let text: string;
    try {
      text = (await readUpstreamBody(response.body, MAX_UPSTREAM_ERROR_BYTES)).bytes.toString('utf8');
    } catch {
      if (signal.aborted) return { kind: 'aborted' };
      text = ''; // the error status alone still tells what happened
    }
    const headers = response.headers;
    const decoded = decodeUpstreamError(wire, response.statusCode, text, (name) => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    });
    return {
      kind: 'failed',
      error: GatewayError.fromUpstream(decoded),
      retryable: isRetryable(decoded),
      status: response.statusCode,
    };
  }
}
