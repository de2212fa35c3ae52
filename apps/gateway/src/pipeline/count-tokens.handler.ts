import { Injectable, Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject } from '@switchyard/common';
import { AppConfig } from '@switchyard/config';
import {
  decodeClientRequest,
  EMPTY_USAGE,
  estimateRequestTokens,
  setTopLevelField,
} from '@switchyard/protocols';
import { upstreamTarget } from '@switchyard/providers';
import { planDeployments } from '@switchyard/routing';
import { protocolError } from '../errors/protocol-errors';
import { readBody } from '../http/body-reader';
import { sendJson } from '../http/responder';
import { clientForward } from './inbound';
import { parseJsonObject, requireModel } from './json-body';
import { ModelResolver } from './model-resolver';
import { RequestContext } from './request-context';
import { RequestMeter } from './request-meter';
import { readUpstreamBody } from './upstream-body';
import { UpstreamCaller } from './upstream-caller';

/** A count answer is a few bytes; anything larger is not one. */
const MAX_COUNT_BYTES = 64 * 1024;

/**
 * POST /v1/messages/count_tokens (Claude Code calls it constantly). When the model's first
 * deployment is an Anthropic account the request is passed through (Anthropic's tokenizer, the
 * client's betas); otherwise, or when that upstream fails, it is answered here with the protocol
 * library's estimate, which counts the system prompt and tools as well as the messages. Never a
 * 404, and never a flood of calls to an upstream without the endpoint. Counting is free: the
 * usage event records the request with zero tokens.
 */
@Injectable()
export class CountTokensHandler {
  private readonly log = new Logger(CountTokensHandler.name);

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
    query: string,
  ): Promise<void> {
    const text = (await readBody(req, this.config.gateway.maxBodyBytes)).toString('utf8');
    const body = parseJsonObject(text);
    const model = await this.models.resolve(requireModel(body), ctx, meter);
    const deployment = planDeployments(model)[0];
    meter.deployment = {
      id: deployment.id,
      providerId: deployment.provider.id,
      upstreamModel: deployment.upstreamModel,
      costs: deployment.costs,
    };
    const headers = { 'request-id': ctx.requestId };

    if (deployment.provider.kind === 'anthropic') {
      const abort = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      const upstreamBody =
        body.model === deployment.upstreamModel
          ? text
          : setTopLevelField(text, 'model', JSON.stringify(deployment.upstreamModel));
      const target = upstreamTarget(deployment, { kind: 'count_tokens' }, clientForward(req.headers, query));
      const result = await this.caller.call(target, upstreamBody, 'anthropic-messages', abort.signal);
      if (result.kind === 'aborted') {
        meter.finish('client_abort', 499, 'client.disconnected');
        return;
      }
      if (result.kind === 'failed' && !result.retryable) throw result.error; // the client's request is at fault
      if (result.kind === 'ok') {
        const answer = await readUpstreamBody(result.response.body, MAX_COUNT_BYTES);
        const parsed: unknown = answer.truncated ? null : safeParse(answer.bytes.toString('utf8'));
        if (isJsonObject(parsed) && typeof parsed.input_tokens === 'number') {
          sendJson(res, 200, answer.bytes, ctx.requestId, headers);
          meter.finish('success', 200, null, EMPTY_USAGE);
          return;
        }
      }
      this.log.warn(
        { requestId: ctx.requestId, deploymentId: deployment.id },
        'count_tokens upstream failed; answering with an estimate',
      );
    }

    let inputTokens: number;
    try {
      inputTokens = estimateRequestTokens(
        decodeClientRequest('anthropic-messages', body, { countTokens: true }),
      );
    } catch (error) {
      throw protocolError(error);
    }
    sendJson(res, 200, JSON.stringify({ input_tokens: inputTokens }), ctx.requestId, {
      ...headers,
      'x-switchyard-estimated': 'true',
    });
    meter.finish('success', 200, null, EMPTY_USAGE);
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // not a count: the caller falls back to the estimate
  }
}
