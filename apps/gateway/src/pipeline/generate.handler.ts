import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError, isJsonObject, JsonObject, JsonValue } from '@switchyard/common';
import { AppConfig } from '@switchyard/config';
import { CatalogDeployment } from '@switchyard/catalog';
import {
  ClientProtocol,
  collectImageUrls,
  decodeUpstreamResponse,
  encodeClientResponse,
  encodeUpstreamRequest,
  inlineImages,
  IrRequest,
  IrResponse,
  isPassThrough,
  isRetryable,
  setTopLevelField,
  upstreamWireFor,
  usageFromBody,
  decodeAnthropicErrorObject,
  decodeOpenAiErrorObject,
} from '@switchyard/protocols';
import {
  classifyUpstreamError,
  compatProfileOf,
  ImageFetcher,
  UpstreamResponse,
  upstreamTarget,
} from '@switchyard/providers';
import { DeploymentHealth, planDeployments } from '@switchyard/routing';
import { GatewayError } from '../errors/gateway-error';
import { protocolError } from '../errors/protocol-errors';
import { readBody } from '../http/body-reader';
import { InboundFamily, sendJson } from '../http/responder';
import { inputItems, StoredResponses } from '../responses/stored-responses';
import { Attempt, Conversation, Exchange, estimatedUsage, meterClientGone, Step } from './exchange';
import { clientForward, Inbound } from './inbound';
import { parseJsonObject, requireModel } from './json-body';
import { ModelResolver } from './model-resolver';
import { RequestContext } from './request-context';
import { RequestMeter } from './request-meter';
import { relayTappedStream, relayTranslatedStream, StoreHook } from './stream-relay';
import { readUpstreamBody } from './upstream-body';
import { UpstreamCaller } from './upstream-caller';
import { errorForUpstreamFailure } from './upstream-errors';

/** Largest non-streaming upstream answer read (a completion is far smaller). */
const MAX_UPSTREAM_JSON_BYTES = 64 * 1024 * 1024;
const INCLUDE_USAGE = '{"include_usage":true}';

/**
 * The one generation pipeline for every client protocol (Chat Completions, Responses, Anthropic
 * Messages) and every upstream kind. Per deployment, in the planner's order:
 * - same protocol on both sides: pass-through (the body byte for byte except `model`, the
 *   answer tapped for usage);
 * - otherwise: decode -> IR -> encode for the upstream, and the answer decoded and re-encoded
 *   for the client, chunk by chunk.
 * Failures before the first byte reach the client fail over to the next deployment; after it,
 * the stream ends with an error event in the client's protocol. One usage event either way.
 */
@Injectable()
export class GenerateHandler {
  private readonly log = new Logger(GenerateHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly models: ModelResolver,
    private readonly caller: UpstreamCaller,
    private readonly responses: StoredResponses,
    private readonly images: ImageFetcher,
    private readonly health: DeploymentHealth,
  ) {}

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    meter: RequestMeter,
    protocol: ClientProtocol,
    query: string,
  ): Promise<void> {
    const text = (await readBody(req, this.config.gateway.maxBodyBytes)).toString('utf8');
    const body = parseJsonObject(text);
    const publicModel = requireModel(body);
    const model = await this.models.resolve(publicModel, ctx, meter);
    const inbound = new Inbound(protocol, text, body, clientForward(req.headers, query));
    meter.stream = inbound.stream;
    const conversation = protocol === 'openai-responses' ? await this.conversation(ctx, inbound) : null;

    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const x: Exchange = {
      ctx,
      meter,
      res,
      family: familyOf(protocol),
      inbound,
      model,
      publicModel,
      signal: abort.signal,
      conversation,
      responseId: protocol === 'openai-responses' ? `resp_${randomBytes(16).toString('hex')}` : undefined,
      inlined: null,
    };

    let failure: GatewayError | null = null;
    let refusal: GatewayError | null = null;
    for (const deployment of planDeployments(model)) {
      meter.deployment = {
        id: deployment.id,
        providerId: deployment.provider.id,
        upstreamModel: deployment.upstreamModel,
        costs: deployment.costs,
      };
      let step: Step;
      try {
        step = await this.attempt(x, deployment);
      } catch (error) {
        const mapped = protocolError(error);
        // A parameter this upstream cannot honour: another deployment of the model may.
        if (mapped.code !== 'request.unsupported_parameter') throw mapped;
        refusal ??= mapped;
        continue;
      }
      // 'done' also covers a client that left or a stream broken midway: the upstream did answer.
      this.health.record(deployment.id, step === 'done');
      if (step === 'done') return;
      this.log.warn(
        {
          requestId: ctx.requestId,
          deploymentId: deployment.id,
          code: step.error.code,
          retryable: step.retryable,
        },
        'upstream attempt failed',
      );
      if (!step.retryable) throw step.error;
      failure = step.error;
    }
    throw (
      failure ??
      refusal ??
      new GatewayError('upstream.unavailable', `No upstream currently serves the model '${publicModel}'.`)
    );
  }

  private async attempt(x: Exchange, deployment: CatalogDeployment): Promise<Step> {
    const wire = upstreamWireFor(x.inbound.protocol, deployment.provider.kind);
    const attempt: Attempt = {
      deployment,
      wire,
      passThrough: isPassThrough(x.inbound.protocol, wire),
      profile: compatProfileOf(deployment.provider),
    };
    const history = x.conversation?.history;
    // The upstream that made the previous response keeps it: the id alone continues it there.
    const keepsState =
      attempt.passThrough &&
      history !== undefined &&
      history !== null &&
      history.upstreamStored &&
      history.providerId === deployment.provider.id;
    const body = attempt.passThrough
      ? this.passThroughBody(x, attempt, keepsState)
      : await this.translatedBody(x, attempt);
    const target = upstreamTarget(
      deployment,
      { kind: 'generate', wire, stream: x.inbound.stream },
      attempt.passThrough ? x.inbound.forward : {},
    );

    const result = await this.caller.call(target, body, wire, x.signal);
    if (result.kind === 'aborted') {
      meterClientGone(x, null, 0, false);
      return 'done';
    }
    if (result.kind === 'failed') return { error: result.error, retryable: result.retryable };
    x.meter.firstByteAtMs = Date.now();
    const response = result.response;
    const store = this.storeHook(x, attempt);
    if (x.inbound.stream && (!attempt.passThrough || isEventStream(response))) {
      return attempt.passThrough
        ? relayTappedStream(x, attempt, response.body, store)
        : relayTranslatedStream(x, attempt, response.body, store);
    }
    return this.relayBody(x, attempt, response);
  }

  /** The client's body for an upstream of its own protocol: only `model` changes (and Chat's usage opt-in). */
  private passThroughBody(x: Exchange, attempt: Attempt, keepsState: boolean): string {
    const { inbound } = x;
    let text = inbound.passThroughText(keepsState);
    const upstreamModel = attempt.deployment.upstreamModel;
    if (inbound.body.model !== upstreamModel)
      text = setTopLevelField(text, 'model', JSON.stringify(upstreamModel));
    if (
      attempt.wire === 'openai-chat' &&
      inbound.stream &&
      !inbound.clientWantsUsage &&
      attempt.profile?.streamOptions !== false
    ) {
      // Billing needs usage even when the client did not ask for it; the tap hides that chunk.
      const options = inbound.body.stream_options;
      const injected = isJsonObject(options)
        ? JSON.stringify({ ...options, include_usage: true })
        : INCLUDE_USAGE;
      text = setTopLevelField(text, 'stream_options', injected);
    }
    return text;
  }

  /** The request translated for the upstream's wire; refuses parameters it cannot honour. */
  private async translatedBody(x: Exchange, attempt: Attempt): Promise<string> {
    const { deployment } = attempt;
    // Gemini only reliably reads its own file URIs: web images are fetched here and inlined.
    const request = attempt.wire === 'gemini' ? await this.withInlineImages(x) : x.inbound.ir();
    return encodeUpstreamRequest(attempt.wire, request, {
      model: deployment.upstreamModel,
      upstreamKind: deployment.provider.kind,
      profile: attempt.profile,
      droppable: x.model.droppableParams,
    }).body;
  }

  private async withInlineImages(x: Exchange): Promise<IrRequest> {
    if (x.inlined) return x.inlined;
    const request = x.inbound.ir();
    const urls = collectImageUrls(request);
    if (urls.length === 0) return (x.inlined = request);
    try {
      x.inlined = inlineImages(request, await this.images.fetchAll(urls, x.signal));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'image.fetch_failed') {
        throw new GatewayError('request.invalid', error.message, { param: 'messages', cause: error });
      }
      throw error;
    }
    return x.inlined;
  }

  /** A non-streaming answer: relayed as is (pass-through) or decoded and re-encoded. */
  private async relayBody(x: Exchange, attempt: Attempt, response: UpstreamResponse): Promise<Step> {
    let text: string;
    try {
      text = (await readUpstreamBody(response.body, MAX_UPSTREAM_JSON_BYTES)).bytes.toString('utf8');
    } catch (error) {
      const failure = classifyUpstreamError(error);
      if (failure === 'aborted' || x.signal.aborted) {
        meterClientGone(x, null, 0, false);
        return 'done';
      }
      return { error: errorForUpstreamFailure(failure, error), retryable: true };
    }
    if (attempt.passThrough) return this.relayPassThroughBody(x, attempt, text);

    let decoded: IrResponse;
    try {
      decoded = decodeUpstreamResponse(attempt.wire, text, attempt.profile);
    } catch (error) {
      const mapped = protocolError(error);
      return { error: mapped, retryable: mapped.upstream ? isRetryable(mapped.upstream) : true };
    }
    const out = encodeClientResponse(x.inbound.protocol, decoded, {
      model: x.publicModel,
      request: x.inbound.ir(),
      id: x.responseId,
    });
    const store = this.storeHook(x, attempt);
    if (store) {
      const parsed: unknown = JSON.parse(out);
      if (isJsonObject(parsed)) await store(parsed);
    }
    this.send(x, out);
    if (decoded.usage) x.meter.finish('success', 200, null, decoded.usage);
    else
      x.meter.finish(
        'success',
        200,
        null,
        estimatedUsage(x.inbound, null, Math.ceil(textBytes(decoded) / 4)),
        true,
      );
    return 'done';
  }

  private async relayPassThroughBody(x: Exchange, attempt: Attempt, text: string): Promise<Step> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isJsonObject(parsed)) {
      return {
        error: new GatewayError(
          'upstream.bad_response',
          'The upstream provider returned a malformed response.',
        ),
        retryable: true,
      };
    }
    // Some servers report a failure with status 200 and an error body.
    const inBody =
      attempt.wire === 'anthropic-messages'
        ? parsed.type === 'error'
          ? decodeAnthropicErrorObject(parsed, 0)
          : null
        : isJsonObject(parsed.error) && attempt.wire === 'openai-chat'
          ? decodeOpenAiErrorObject(parsed, 0)
          : null;
    if (inBody) return { error: GatewayError.fromUpstream(inBody), retryable: isRetryable(inBody) };
    const store = this.storeHook(x, attempt);
    if (store) await store(parsed);
    const usage = usageFromBody(attempt.wire, text, attempt.profile);
    this.send(x, text);
    if (usage) x.meter.finish('success', 200, null, usage);
    else x.meter.finish('success', 200, null, estimatedUsage(x.inbound, null, 0), true);
    return 'done';
  }

  private send(x: Exchange, body: string): void {
    sendJson(
      x.res,
      200,
      body,
      x.ctx.requestId,
      x.family === 'anthropic' ? { 'request-id': x.ctx.requestId } : undefined,
    );
  }

  /**
   * Reads what a Responses request continues: the stored turns behind `previous_response_id`
   * (this tenant's only), spelled out for upstreams that do not hold them.
   */
  private async conversation(ctx: RequestContext, inbound: Inbound): Promise<Conversation> {
    const previousId =
      typeof inbound.body.previous_response_id === 'string' ? inbound.body.previous_response_id : null;
    const input = inputItems(inbound.body.input);
    const conversation: Conversation = {
      store: inbound.body.store !== false,
      previousId,
      history: null,
      input,
    };
    if (previousId === null) return conversation;
    conversation.history = await this.responses.history(ctx.principal.tenantId, previousId);
    if (!conversation.history) {
      throw new GatewayError('request.invalid', `Previous response with id '${previousId}' not found.`, {
        param: 'previous_response_id',
      });
    }
    inbound.expandHistory(conversation.history.items, input);
    return conversation;
  }

  /** Stores a finished Responses answer (the client's `store` was not false). */
  private storeHook(x: Exchange, attempt: Attempt): StoreHook | null {
    const conversation = x.conversation;
    if (!conversation?.store) return null;
    return async (response: JsonObject): Promise<void> => {
      const id = typeof response.id === 'string' ? response.id : x.responseId;
      if (!id) return;
      const output: JsonValue[] = Array.isArray(response.output) ? response.output : [];
      try {
        await this.responses.save({
          tenantId: x.ctx.principal.tenantId,
          id,
          previousResponseId: conversation.previousId,
          model: x.publicModel,
          providerId: attempt.deployment.provider.id,
          // On pass-through OpenAI stores it as well and can continue it by id.
          upstreamStored: attempt.passThrough,
          input: conversation.input,
          output,
        });
      } catch (error) {
        // The answer itself is fine: the client gets it; only continuing it later will say "not found".
        this.log.error(
          { requestId: x.ctx.requestId, err: error instanceof Error ? error.message : String(error) },
          'storing a Responses answer failed',
        );
      }
    };
  }
}

export function familyOf(protocol: ClientProtocol): InboundFamily {
  return protocol === 'anthropic-messages' ? 'anthropic' : 'openai';
}

function isEventStream(response: UpstreamResponse): boolean {
  const type = response.headers['content-type'];
  return typeof type === 'string' && type.includes('text/event-stream');
}

/** Bytes of text the answer carries, for estimating output when the upstream gave no usage. */
function textBytes(response: IrResponse): number {
  let bytes = 0;
  for (const part of response.content) {
    if (part.type === 'text' || part.type === 'reasoning') bytes += Buffer.byteLength(part.text);
    else bytes += Buffer.byteLength(part.argsJson);
  }
  return bytes;
}
