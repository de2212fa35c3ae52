import { Injectable, Logger } from '@nestjs/common';
import { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { KeyAuthenticator, KeyPrincipal } from '@switchyard/keys';
import { UsageMeter } from '@switchyard/metering';
import { requestIdFrom } from '@switchyard/observability';
import { GatewayError } from '../errors/gateway-error';
import { ChatCompletionsHandler } from '../pipeline/chat-completions.handler';
import { ModelsHandler } from '../pipeline/models.handler';
import { RequestContext } from '../pipeline/request-context';
import { RequestMeter } from '../pipeline/request-meter';
import { clientKey } from './client-key';
import { InboundFamily, sendError } from './responder';

type Route = 'chat' | 'models' | 'model';

/**
 * Serves `/v1/*` before Express sees the request (see hot-path.md): raw Node request and
 * response, no guards, pipes or interceptors; Express keeps everything else (health, metrics).
 * Nest still builds and injects every service used here.
 */
@Injectable()
export class HotPathServer {
  private readonly log = new Logger(HotPathServer.name);

  constructor(
    private readonly keys: KeyAuthenticator,
    private readonly meter: UsageMeter,
    private readonly chat: ChatCompletionsHandler,
    private readonly models: ModelsHandler,
  ) {}

  /** Puts the hot path in front of the server's existing (Express) request listener. */
  attach(server: Server): void {
    const fallback = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/';
      if (url.startsWith('/v1/')) this.serve(req, res, url);
      else for (const listener of fallback) listener(req, res);
    });
  }

  private serve(req: IncomingMessage, res: ServerResponse, url: string): void {
    const startedAtMs = Date.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const family: InboundFamily = 'openai';
    let meter: RequestMeter | null = null;
    const fail = (error: unknown): void => {
      const gatewayError = this.toGatewayError(error, requestId);
      meter?.finish(
        gatewayError.status >= 500 && gatewayError.code.startsWith('upstream') ? 'upstream_error' : 'gateway_error',
        gatewayError.status,
        gatewayError.code,
      );
      if (res.destroyed) return;
      sendError(res, family, gatewayError, requestId);
    };
    try {
      const route = this.route(req.method, url);
      const presented = clientKey(req.headers);
      if (presented === null) {
        throw new GatewayError('key.missing', "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key'.");
      }
      const { hash, entry } = this.keys.cached(presented);
      const proceed = (principal: KeyPrincipal | null): Promise<void> | void => {
        const ctx = this.authorize(principal, requestId, startedAtMs, family);
        if (route === 'chat') {
          meter = new RequestMeter(this.meter, ctx, 'openai.chat');
          return this.chat.handle(req, res, ctx, meter);
        }
        if (route === 'models') return this.models.list(res, ctx);
        return this.models.get(res, ctx, decodeURIComponent(url.slice('/v1/models/'.length).split('?')[0]));
      };
      // A cached key costs no await; only a cache miss waits for Postgres.
      const result = entry !== undefined ? proceed(entry) : this.keys.load(hash).then(proceed);
      if (result) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  private route(method: string | undefined, url: string): Route {
    const path = url.split('?', 1)[0];
    if (path === '/v1/chat/completions') {
      if (method !== 'POST') throw methodNotAllowed(method, path);
      return 'chat';
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return path === '/v1/models' ? 'models' : 'model';
    }
    throw new GatewayError('route.not_found', `Invalid URL (${method ?? 'GET'} ${path})`);
  }

  private authorize(principal: KeyPrincipal | null, requestId: string, startedAtMs: number, family: InboundFamily): RequestContext {
    if (principal === null) throw new GatewayError('key.invalid', 'Incorrect API key provided.');
    const denial = KeyAuthenticator.denial(principal);
    if (denial === 'key.revoked') throw new GatewayError('key.revoked', 'This API key has been revoked.');
    if (denial === 'key.expired') throw new GatewayError('key.expired', 'This API key has expired.');
    if (denial === 'tenant.suspended') throw new GatewayError('tenant.suspended', 'This account is suspended.');
    return { requestId: requestId as RequestContext['requestId'], startedAtMs, family, principal };
  }

  private toGatewayError(error: unknown, requestId: string): GatewayError {
    if (error instanceof GatewayError) return error;
    this.log.error({ requestId, err: error instanceof Error ? error.message : String(error) }, 'unexpected failure on /v1');
    return new GatewayError('internal', `The gateway failed unexpectedly (request id ${requestId}).`, { cause: error });
  }
}

const methodNotAllowed = (method: string | undefined, path: string): GatewayError =>
  new GatewayError('method.not_allowed', `Method ${method ?? ''} is not allowed on ${path}.`);
