import { Injectable, Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { isJsonObject, JsonObject } from '@switchyard/common';
import { AppConfig } from '@switchyard/config';
import { CatalogDeployment } from '@switchyard/catalog';
import {
  estimateTokensFromBytes,
  NormalizedUsage,
  normalizeOpenAiChatUsage,
  openAiErrorBody,
  OpenAiChatStreamTap,
  setTopLevelField,
  SseSplitter,
  TapVerdict,
} from '@switchyard/protocols';
import { classifyUpstreamError, openAiTarget, UpstreamHttp, UpstreamResponse, usageQuirks } from '@switchyard/providers';
import { planDeployments } from '@switchyard/routing';
import { GatewayError } from '../errors/gateway-error';
import { readBody } from '../http/body-reader';
import { sendJson } from '../http/responder';
import { parseJsonObject, requireModel } from './json-body';
import { ModelResolver } from './model-resolver';
import { RequestContext } from './request-context';
import { RequestMeter } from './request-meter';
import { discard, readUpstreamBody } from './upstream-body';
import { errorForUpstreamFailure, errorForUpstreamStatus, isRetryableStatus } from './upstream-errors';

/** Largest error or JSON body read from an upstream (a chat completion is far smaller). */
const MAX_UPSTREAM_JSON_BYTES = 64 * 1024 * 1024;
const MAX_UPSTREAM_ERROR_BYTES = 64 * 1024;
const INCLUDE_USAGE = '{"include_usage":true}';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

interface ChatRequest {
  text: string;
  body: JsonObject;
  stream: boolean;
  clientWantsUsage: boolean;
}

/**
 * POST /v1/chat/completions to openai / openai_compatible upstreams, passed through: the body
 * goes upstream byte for byte except `model` (and `stream_options.include_usage`, injected so
 * every stream can be billed); the answer comes back byte for byte except the injected usage
 * chunk, which is hidden from clients that did not ask for it.
 */
@Injectable()
export class ChatCompletionsHandler {
  private readonly log = new Logger(ChatCompletionsHandler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly models: ModelResolver,
    private readonly upstream: UpstreamHttp,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, meter: RequestMeter): Promise<void> {
    const text = (await readBody(req, this.config.gateway.maxBodyBytes)).toString('utf8');
    const body = parseJsonObject(text);
    const model = this.models.resolve(requireModel(body), ctx, meter);
    const stream = body.stream === true;
    const request: ChatRequest = {
      text,
      body,
      stream,
      clientWantsUsage: stream && isJsonObject(body.stream_options) && body.stream_options.include_usage === true,
    };
    meter.stream = stream;

    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });

    const plan = planDeployments(model);
    for (let attempt = 0; attempt < plan.length; attempt++) {
      const deployment = plan[attempt];
      const isLast = attempt === plan.length - 1;
      meter.deployment = {
        id: deployment.id,
        providerId: deployment.provider.id,
        upstreamModel: deployment.upstreamModel,
        costs: deployment.costs,
      };
      let response: UpstreamResponse;
      try {
        response = await this.call(deployment, request, abort.signal);
      } catch (error) {
        const failure = classifyUpstreamError(error);
        if (failure === 'aborted') return this.clientGone(meter, request);
        this.log.warn({ requestId: ctx.requestId, deploymentId: deployment.id, failure }, 'upstream call failed');
        if (isLast) throw errorForUpstreamFailure(failure, error);
        continue;
      }
      if (response.statusCode >= 400) {
        if (isRetryableStatus(response.statusCode) && !isLast) {
          this.log.warn({ requestId: ctx.requestId, deploymentId: deployment.id, status: response.statusCode }, 'failing over');
          discard(response.body);
          continue;
        }
        const { bytes } = await readUpstreamBody(response.body, MAX_UPSTREAM_ERROR_BYTES);
        throw errorForUpstreamStatus(response.statusCode, bytes, response.headers);
      }
      meter.firstByteAtMs = Date.now();
      const quirks = usageQuirks(deployment.provider);
      return request.stream && isEventStream(response)
        ? this.relayStream(response.body, res, ctx, meter, request, quirks, abort.signal)
        : this.relayJson(response, res, ctx, meter, request, quirks);
    }
  }

  private call(deployment: CatalogDeployment, request: ChatRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    let upstreamBody = request.text;
    if (request.body.model !== deployment.upstreamModel) {
      upstreamBody = setTopLevelField(upstreamBody, 'model', JSON.stringify(deployment.upstreamModel));
    }
    if (request.stream && !request.clientWantsUsage) {
      // Billing needs usage even when the client did not ask for it; the tap hides that chunk.
      const options = request.body.stream_options;
      const injected = isJsonObject(options) ? JSON.stringify({ ...options, include_usage: true }) : INCLUDE_USAGE;
      upstreamBody = setTopLevelField(upstreamBody, 'stream_options', injected);
    }
    const target = openAiTarget(deployment, 'chat');
    return this.upstream.send({ url: target.url, method: 'POST', headers: target.headers, body: upstreamBody, signal });
  }

  private async relayJson(
    response: UpstreamResponse,
    res: ServerResponse,
    ctx: RequestContext,
    meter: RequestMeter,
    request: ChatRequest,
    quirks: ReturnType<typeof usageQuirks>,
  ): Promise<void> {
    let bytes: Buffer;
    try {
      ({ bytes } = await readUpstreamBody(response.body, MAX_UPSTREAM_JSON_BYTES));
    } catch (error) {
      const failure = classifyUpstreamError(error);
      if (failure === 'aborted') return this.clientGone(meter, request);
      throw errorForUpstreamFailure(failure, error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (!isJsonObject(parsed) || isJsonObject(parsed.error)) {
      throw new GatewayError('upstream.bad_response', 'The upstream provider returned a malformed response.');
    }
    const usage = normalizeOpenAiChatUsage(parsed.usage, quirks);
    sendJson(res, 200, bytes, ctx.requestId);
    if (usage) meter.finish('success', 200, null, usage);
    else meter.finish('success', 200, null, this.estimate(request, 0), true);
  }

  private async relayStream(
    upstream: Readable,
    res: ServerResponse,
    ctx: RequestContext,
    meter: RequestMeter,
    request: ChatRequest,
    quirks: ReturnType<typeof usageQuirks>,
    signal: AbortSignal,
  ): Promise<void> {
    const splitter = new SseSplitter();
    const tap = new OpenAiChatStreamTap(request.clientWantsUsage, quirks);
    let events = 0;
    res.writeHead(200, { ...SSE_HEADERS, 'x-request-id': ctx.requestId });
    try {
      for await (const chunk of upstream) {
        const kept = this.keep(splitter.push(chunk as Buffer), tap);
        events += kept.count;
        if (kept.bytes && !res.write(kept.bytes)) await drained(res);
      }
      const rest = splitter.rest();
      if (rest && tap.inspect(rest) === TapVerdict.Forward) res.write(Buffer.concat([rest, Buffer.from('\n\n')]));
    } catch (error) {
      if (signal.aborted) return this.clientGone(meter, request, tap.usage, events);
      const failure = classifyUpstreamError(error);
      this.log.warn({ requestId: ctx.requestId, failure }, 'upstream stream broke');
      return this.endStreamWithError(res, meter, request, tap.usage, events, failure === 'timeout' ? 'upstream.timeout' : 'upstream.error');
    }
    if (!tap.done && !tap.errored) {
      return this.endStreamWithError(res, meter, request, tap.usage, events, 'upstream.bad_response');
    }
    res.end();
    const outcome = tap.errored ? 'upstream_error' : 'success';
    const errorCode = tap.errored ? 'upstream.stream_error' : null;
    if (tap.usage) meter.finish(outcome, 200, errorCode, tap.usage);
    else meter.finish(outcome, 200, errorCode, this.estimate(request, events), true);
  }

  /** Runs each whole event through the tap; returns the bytes to forward as one write. */
  private keep(events: Buffer[], tap: OpenAiChatStreamTap): { bytes: Buffer | null; count: number } {
    if (events.length === 0) return { bytes: null, count: 0 };
    const kept = events.filter((event) => tap.inspect(event) === TapVerdict.Forward);
    if (kept.length === 0) return { bytes: null, count: 0 };
    return { bytes: kept.length === 1 ? kept[0] : Buffer.concat(kept), count: kept.length };
  }

  /**
   * After the first byte the status line is gone: the only way to tell an OpenAI client is an
   * `error` chunk (openai-node throws on it), and no `[DONE]` after it.
   */
  private endStreamWithError(
    res: ServerResponse,
    meter: RequestMeter,
    request: ChatRequest,
    usage: NormalizedUsage | null,
    events: number,
    code: 'upstream.timeout' | 'upstream.error' | 'upstream.bad_response',
  ): void {
    const message =
      code === 'upstream.timeout'
        ? 'The upstream provider stopped sending in time.'
        : code === 'upstream.bad_response'
          ? 'The upstream provider ended the stream early.'
          : 'The connection to the upstream provider broke mid-stream.';
    if (!res.destroyed) {
      res.end(`data: ${JSON.stringify(openAiErrorBody(message, 'server_error', 'upstream_error'))}\n\n`);
    }
    if (usage) meter.finish('upstream_error', 200, code, usage);
    else meter.finish('upstream_error', 200, code, this.estimate(request, events), true);
  }

  private clientGone(meter: RequestMeter, request: ChatRequest, usage: NormalizedUsage | null = null, events = 0): void {
    const status = meter.firstByteAtMs === null ? 499 : 200;
    if (usage) meter.finish('client_abort', status, 'client.disconnected', usage);
    else meter.finish('client_abort', status, 'client.disconnected', this.estimate(request, events), true);
  }

  /**
   * Usage when the upstream reported none (a client that left mid-stream, a server without usage):
   * input from the request size, output from the chunks delivered (OpenAI-style streams carry
   * about one token per chunk). Marked as estimated on the event.
   */
  private estimate(request: ChatRequest, deliveredChunks: number): NormalizedUsage {
    return {
      input: estimateTokensFromBytes(Buffer.byteLength(request.text)),
      cachedInput: 0,
      cacheWrite: 0,
      output: Math.max(0, deliveredChunks - 1),
      reasoning: 0,
    };
  }
}

function isEventStream(response: UpstreamResponse): boolean {
  const type = response.headers['content-type'];
  return typeof type === 'string' && type.includes('text/event-stream');
}

/** Resolves when the socket can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
