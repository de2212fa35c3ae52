import { Injectable, Logger } from '@nestjs/common';
import { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { KeyAuthenticator, KeyPrincipal } from '@switchyard/keys';
import { CatalogService } from '@switchyard/catalog';
import { AppConfig } from '@switchyard/config';
import { LimitRefusal, LimitsService } from '@switchyard/limits';
import { UsageMeter } from '@switchyard/metering';
import { requestIdFrom } from '@switchyard/observability';
import { ClientProtocol } from '@switchyard/protocols';
import { GatewayError } from '../errors/gateway-error';
import { CatalogHandler } from '../pipeline/catalog.handler';
import { CountTokensHandler } from '../pipeline/count-tokens.handler';
import { EmbeddingsHandler } from '../pipeline/embeddings.handler';
import { GenerateHandler } from '../pipeline/generate.handler';
import { ModelsHandler } from '../pipeline/models.handler';
import { RequestContext } from '../pipeline/request-context';
import { RequestMeter } from '../pipeline/request-meter';
import { clientKey } from './client-key';
import { InboundFamily, renderError, sendError } from './responder';

type Route =
  | { kind: 'generate'; protocol: ClientProtocol; meterAs: string }
  | { kind: 'count_tokens' }
  | { kind: 'embeddings' }
  | { kind: 'models' }
  | { kind: 'catalog' }
  | { kind: 'model'; id: string };

/** POST routes by exact path (query strings such as Claude Code's `?beta=true` are split off first). */
const POST_ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/v1/chat/completions', { kind: 'generate', protocol: 'openai-chat', meterAs: 'openai.chat' }],
  ['/v1/responses', { kind: 'generate', protocol: 'openai-responses', meterAs: 'openai.responses' }],
  ['/v1/messages', { kind: 'generate', protocol: 'anthropic-messages', meterAs: 'anthropic.messages' }],
  ['/v1/messages/count_tokens', { kind: 'count_tokens' }],
  ['/v1/embeddings', { kind: 'embeddings' }],
]);

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
    private readonly generate: GenerateHandler,
    private readonly countTokens: CountTokensHandler,
    private readonly embeddings: EmbeddingsHandler,
    private readonly models: ModelsHandler,
    private readonly limits: LimitsService,
    private readonly catalog: CatalogHandler,
    private readonly catalogService: CatalogService,
    private readonly config: AppConfig,
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
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const query = queryAt < 0 ? '' : url.slice(queryAt);
    // Anthropic clients get Anthropic errors from the first check on, auth included.
    const family: InboundFamily = path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
    let meter: RequestMeter | null = null;
    const fail = (error: unknown): void => {
      const gatewayError = this.toGatewayError(error, requestId);
      const rendered = renderError(family, gatewayError, requestId);
      meter?.finish(
        rendered.status >= 500 && gatewayError.code.startsWith('upstream')
          ? 'upstream_error'
          : 'gateway_error',
        rendered.status,
        gatewayError.code,
      );
      if (res.destroyed) return;
      sendError(res, rendered, gatewayError, requestId);
    };
    try {
      const route = this.route(req.method, path);
      const presented = clientKey(req.headers);
      if (presented === null && route.kind === 'catalog' && this.config.gateway.publicCatalog) {
        const served = this.afterCatalogSettles(() => this.catalog.serve(res, requestId, null));
        if (served) served.catch(fail);
        return;
      }
      if (presented === null) {
        throw new GatewayError(
          'key.missing',
          "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key'.",
        );
      }
      const { hash, entry } = this.keys.cached(presented);
      const proceed = (principal: KeyPrincipal | null): Promise<void> | void => {
        const ctx = this.authorize(principal, requestId, startedAtMs, family);
        switch (route.kind) {
          case 'generate': {
            const metered = (meter = new RequestMeter(this.meter, ctx, route.meterAs));
            return this.admit(ctx, metered, () =>
              this.generate.handle(req, res, ctx, metered, route.protocol, query),
            );
          }
          case 'count_tokens':
            meter = new RequestMeter(this.meter, ctx, 'anthropic.count_tokens');
            return this.countTokens.handle(req, res, ctx, meter, query);
          case 'embeddings': {
            const metered = (meter = new RequestMeter(this.meter, ctx, 'openai.embeddings'));
            return this.admit(ctx, metered, () => this.embeddings.handle(req, res, ctx, metered));
          }
          case 'models':
            return this.afterCatalogSettles(() => this.models.list(res, ctx));
          case 'catalog':
            return this.afterCatalogSettles(() => this.catalog.serve(res, requestId, ctx.principal));
          case 'model':
            return this.afterCatalogSettles(() => this.models.get(res, ctx, route.id));
        }
      };
      // A cached key costs no await; only a cache miss waits for Postgres.
      const result =
        entry !== undefined
          ? proceed(entry)
          : this.keys.load(hash).then(proceed, (error: unknown) => {
              // Postgres is down and this key is not cached: a retryable 503, not a crash or a 500.
              throw new GatewayError(
                'service.unavailable',
                'API keys cannot be verified right now; retry shortly.',
                {
                  retryAfterSeconds: 1,
                  cause: error,
                },
              );
            });
      if (result) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  /**
   * Listings answer from a settled snapshot: while a rebuild is in flight (a model was just
   * created or changed) they wait for it, so an operator reads what they just wrote. Otherwise
   * synchronous, as before.
   */
  private afterCatalogSettles(serve: () => void): Promise<void> | void {
    if (!this.catalogService.rebuildInFlight) return serve();
    return this.catalogService.settled().then(serve);
  }

  /**
   * Checks the key's limits (one Redis round trip, only for keys that have limits) before the
   * request may cost anything; count_tokens and model listings are free and not counted.
   */
  private admit(ctx: RequestContext, meter: RequestMeter, run: () => Promise<void>): Promise<void> {
    if (!LimitsService.applies(ctx.principal)) return run();
    return this.limits.admit(ctx.principal, ctx.requestId).then((refusal) => {
      if (refusal) throw limitError(refusal, ctx.principal);
      meter.holdLimits(this.limits);
      return run();
    });
  }

  private route(method: string | undefined, path: string): Route {
    const post = POST_ROUTES.get(path);
    if (post) {
      if (method !== 'POST') throw methodNotAllowed(method, path);
      return post;
    }
    if (path === '/v1/catalog') {
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return { kind: 'catalog' };
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return path === '/v1/models'
        ? { kind: 'models' }
        : { kind: 'model', id: modelId(path.slice('/v1/models/'.length)) };
    }
    throw new GatewayError('route.not_found', `Invalid URL (${method ?? 'GET'} ${path})`);
  }

  private authorize(
    principal: KeyPrincipal | null,
    requestId: string,
    startedAtMs: number,
    family: InboundFamily,
  ): RequestContext {
    if (principal === null) throw new GatewayError('key.invalid', 'Incorrect API key provided.');
    const denial = KeyAuthenticator.denial(principal);
    if (denial === 'key.revoked') throw new GatewayError('key.revoked', 'This API key has been revoked.');
    if (denial === 'key.expired') throw new GatewayError('key.expired', 'This API key has expired.');
    if (denial === 'tenant.suspended')
      throw new GatewayError('tenant.suspended', 'This account is suspended.');
    return { requestId: requestId as RequestContext['requestId'], startedAtMs, family, principal };
  }

  private toGatewayError(error: unknown, requestId: string): GatewayError {
    if (error instanceof GatewayError) return error;
    this.log.error(
      { requestId, err: error instanceof Error ? error.message : String(error) },
      'unexpected failure on /v1',
    );
    return new GatewayError('internal', `The gateway failed unexpectedly (request id ${requestId}).`, {
      cause: error,
    });
  }
}

function modelId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded; // not valid percent-encoding: looked up as written, and not found
  }
}

function limitError(refusal: LimitRefusal, principal: KeyPrincipal): GatewayError {
  switch (refusal.limit) {
    case 'budget': {
      const period = { day: 'daily', month: 'monthly', total: 'total' }[principal.budget?.period ?? 'total'];
      return new GatewayError('credit.exhausted', `This API key has spent its ${period} budget.`);
    }
    case 'rpm':
      return new GatewayError(
        'limit.rate',
        `Rate limit reached: ${principal.rpm} requests per minute for this API key.`,
        {
          retryAfterSeconds: refusal.retryAfterSeconds ?? 1,
        },
      );
    case 'tpm':
      return new GatewayError(
        'limit.rate',
        `Rate limit reached: ${principal.tpm} tokens per minute for this API key.`,
        {
          retryAfterSeconds: refusal.retryAfterSeconds ?? 1,
        },
      );
    case 'concurrency':
      return new GatewayError(
        'limit.rate',
        `Too many concurrent requests: at most ${principal.maxConcurrency} for this API key.`,
        {
          retryAfterSeconds: refusal.retryAfterSeconds ?? 1,
        },
      );
  }
}

const methodNotAllowed = (method: string | undefined, path: string): GatewayError =>
  new GatewayError('method.not_allowed', `Method ${method ?? ''} is not allowed on ${path}.`);
