import { Injectable, Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject } from '@switchyard/common';
import { AppConfig } from '@switchyard/config';
import { CatalogDeployment } from '@switchyard/catalog';
import {
  decodeEmbeddingsRequest,
  decodeGeminiEmbeddingsResponse,
  embeddingsAsBase64,
  EmbeddingsRequest,
  embeddingsPromptTokens,
  encodeGeminiEmbeddingsRequest,
  encodeOpenAiEmbeddingsResponse,
  estimateTokensFromBytes,
  NormalizedUsage,
  setTopLevelField,
  WireProtocol,
} from '@switchyard/protocols';
import { classifyUpstreamError, geminiModel, upstreamTarget } from '@switchyard/providers';
import { planDeployments } from '@switchyard/routing';
import { GatewayError } from '../errors/gateway-error';
import { protocolError } from '../errors/protocol-errors';
import { readBody } from '../http/body-reader';
import { sendJson } from '../http/responder';
import { parseJsonObject, requireModel } from './json-body';
import { ModelResolver } from './model-resolver';
import { RequestContext } from './request-context';
import { RequestMeter } from './request-meter';
import { readUpstreamBody } from './upstream-body';
import { UpstreamCaller } from './upstream-caller';
import { errorForUpstreamFailure } from './upstream-errors';

/** Largest embeddings answer read (a batch of 2048 3072-dim float vectors is ~130 MB of JSON). */
const MAX_EMBEDDINGS_BYTES = 256 * 1024 * 1024;

type Outcome =
  | { answer: string | Buffer; usage: NormalizedUsage; estimated: boolean }
  | { error: GatewayError; retryable: boolean };

/**
 * POST /v1/embeddings in the OpenAI shape. OpenAI and OpenAI-compatible upstreams get the body
 * passed through (model spliced); Gemini gets `:embedContent` / `:batchEmbedContents`, translated
 * by the protocol library. `encoding_format: base64` (openai-node's default) is produced here when
 * the upstream cannot. Failover before the answer, like generation.
 */
@Injectable()
export class EmbeddingsHandler {
  private readonly log = new Logger(EmbeddingsHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly models: ModelResolver,
    private readonly caller: UpstreamCaller,
  ) {}

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    meter: RequestMeter,
  ): Promise<void> {
    const text = (await readBody(req, this.config.gateway.maxBodyBytes)).toString('utf8');
    const body = parseJsonObject(text);
    const publicModel = requireModel(body);
    const model = await this.models.resolve(publicModel, ctx, meter);
    let request: EmbeddingsRequest;
    try {
      request = decodeEmbeddingsRequest(body);
    } catch (error) {
      throw protocolError(error);
    }
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });

    let failure: GatewayError | null = null;
    for (const deployment of planDeployments(model)) {
      meter.deployment = {
        id: deployment.id,
        providerId: deployment.provider.id,
        upstreamModel: deployment.upstreamModel,
        costs: deployment.costs,
      };
      const outcome = await this.attempt(
        deployment,
        text,
        body.model === deployment.upstreamModel,
        request,
        publicModel,
        abort.signal,
      );
      if (outcome === null) {
        meter.finish('client_abort', 499, 'client.disconnected');
        return;
      }
      if ('error' in outcome) {
        this.log.warn(
          { requestId: ctx.requestId, deploymentId: deployment.id, code: outcome.error.code },
          'embeddings attempt failed',
        );
        if (!outcome.retryable) throw outcome.error;
        failure = outcome.error;
        continue;
      }
      meter.firstByteAtMs = Date.now();
      sendJson(res, 200, outcome.answer, ctx.requestId);
      meter.finish('success', 200, null, outcome.usage, outcome.estimated);
      return;
    }
    throw (
      failure ??
      new GatewayError('upstream.unavailable', `No upstream currently serves the model '${publicModel}'.`)
    );
  }

  /** One deployment; null when the client left. */
  private async attempt(
    deployment: CatalogDeployment,
    text: string,
    sameModel: boolean,
    request: EmbeddingsRequest,
    publicModel: string,
    signal: AbortSignal,
  ): Promise<Outcome | null> {
    const kind = deployment.provider.kind;
    if (kind === 'anthropic') {
      return {
        error: new GatewayError('request.invalid', `The model '${publicModel}' has no embeddings upstream.`, {
          param: 'model',
        }),
        retryable: true,
      };
    }
    const gemini = kind === 'gemini';
    let upstreamBody: string;
    let batch = false;
    if (gemini) {
      try {
        ({ body: upstreamBody, batch } = encodeGeminiEmbeddingsRequest(
          request,
          geminiModel(deployment.upstreamModel),
        ));
      } catch (error) {
        return { error: protocolError(error), retryable: true };
      }
    } else {
      upstreamBody = sameModel
        ? text
        : setTopLevelField(text, 'model', JSON.stringify(deployment.upstreamModel));
    }
    const wire: WireProtocol = gemini ? 'gemini' : 'openai-chat';
    const result = await this.caller.call(
      upstreamTarget(deployment, { kind: 'embed', batch }),
      upstreamBody,
      wire,
      signal,
    );
    if (result.kind === 'aborted') return null;
    if (result.kind === 'failed') return { error: result.error, retryable: result.retryable };

    let answer: string;
    try {
      answer = (await readUpstreamBody(result.response.body, MAX_EMBEDDINGS_BYTES)).bytes.toString('utf8');
    } catch (error) {
      const failure = classifyUpstreamError(error);
      if (failure === 'aborted' || signal.aborted) return null;
      return { error: errorForUpstreamFailure(failure, error), retryable: true };
    }
    // Gemini reports no token counts for embeddings: estimated from the text, and flagged.
    const estimate = (): NormalizedUsage =>
      usageOf(estimateTokensFromBytes(request.texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0)));
    if (gemini) {
      try {
        const vectors = decodeGeminiEmbeddingsResponse(answer);
        const usage = estimate();
        return {
          answer: encodeOpenAiEmbeddingsResponse(vectors, publicModel, request.format, usage.input),
          usage,
          estimated: true,
        };
      } catch (error) {
        return { error: protocolError(error), retryable: true };
      }
    }
    if (!isEmbeddingsList(answer)) {
      return {
        error: new GatewayError(
          'upstream.bad_response',
          'The upstream provider returned a malformed response.',
        ),
        retryable: true,
      };
    }
    const tokens = embeddingsPromptTokens(answer);
    const relayed = request.format === 'base64' ? (embeddingsAsBase64(answer) ?? answer) : answer;
    return tokens === null
      ? { answer: relayed, usage: estimate(), estimated: true }
      : { answer: relayed, usage: usageOf(tokens), estimated: false };
  }
}

function usageOf(input: number): NormalizedUsage {
  return { input, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };
}

function isEmbeddingsList(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) && Array.isArray(parsed.data);
  } catch {
    return false; // an HTML page or truncated JSON: the caller reports a malformed answer
  }
}
