import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, Dispatcher } from 'undici';
import { AppConfig } from '@switchyard/config';

export interface UpstreamCall {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/** Why an upstream call failed before a status line arrived (or mid-body). */
export type UpstreamFailure = 'connect' | 'timeout' | 'aborted' | 'reset';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT',
]);

/** Maps a thrown undici/network error to what the gateway tells the client. */
export function classifyUpstreamError(error: unknown): UpstreamFailure {
  const { code, name, cause } = (error ?? {}) as { code?: string; name?: string; cause?: { code?: string } };
  const reason = code ?? cause?.code;
  if (name === 'AbortError' || reason === 'UND_ERR_ABORTED') return 'aborted';
  if (reason && TIMEOUT_CODES.has(reason)) return 'timeout';
  if (reason && CONNECT_CODES.has(reason)) return 'connect';
  return 'reset';
}

/**
 * The one pooled keep-alive HTTP client to every upstream (undici keeps a pool per origin).
 * `headersTimeout` bounds the wait for the first byte; `bodyTimeout` the silence between chunks.
 */
@Injectable()
export class UpstreamHttp implements OnApplicationShutdown {
  private readonly agent: Agent;

  constructor(config: AppConfig) {
    this.agent = new Agent({
      connections: config.gateway.upstreamPoolConnections,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: config.gateway.upstreamTimeoutMs,
      bodyTimeout: config.gateway.upstreamIdleTimeoutMs,
      connect: { timeout: config.gateway.upstreamConnectTimeoutMs },
    });
  }

  send(call: UpstreamCall): Promise<UpstreamResponse> {
    return this.agent.request({
      origin: new URL(call.url).origin,
      path: call.url.slice(call.url.indexOf('/', call.url.indexOf('//') + 2)),
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: call.signal,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}
