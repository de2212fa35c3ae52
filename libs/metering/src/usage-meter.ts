import { Injectable } from '@nestjs/common';
import { priceOf, TokenPrices } from '@switchyard/common';
import { NormalizedUsage } from '@switchyard/protocols';
import { UsageEventPublisher, UsageEventV1 } from '@switchyard/queue';

/** What the gateway knows about a finished request, for its one usage event. */
export interface FinishedRequest {
  requestId: string;
  tenantId: string;
  apiKeyId: string;
  model: string;
  modelId: string | null;
  deployment: { id: string; providerId: string; upstreamModel: string; costs: TokenPrices } | null;
  sellPrices: TokenPrices | null;
  protocol: string;
  stream: boolean;
  startedAtMs: number;
  firstByteAtMs: number | null;
  status: number;
  outcome: UsageEventV1['outcome'];
  errorCode: string | null;
  usage: NormalizedUsage;
  usageEstimated: boolean;
}

/**
 * Turns a finished request into its usage event, priced once with the tenant's sell prices and
 * the deployment's costs, and hands it to the batching publisher. Never throws, never awaits.
 */
@Injectable()
export class UsageMeter {
  constructor(private readonly publisher: UsageEventPublisher) {}

  record(request: FinishedRequest): UsageEventV1 {
    const { usage } = request;
    const event: UsageEventV1 = {
      v: 1,
      requestId: request.requestId,
      tenantId: request.tenantId,
      apiKeyId: request.apiKeyId,
      model: request.model,
      modelId: request.modelId,
      deploymentId: request.deployment?.id ?? null,
      providerId: request.deployment?.providerId ?? null,
      upstreamModel: request.deployment?.upstreamModel ?? null,
      protocol: request.protocol,
      inputTokens: usage.input,
      cachedInputTokens: usage.cachedInput,
      cacheWriteTokens: usage.cacheWrite,
      outputTokens: usage.output,
      reasoningTokens: usage.reasoning,
      usageEstimated: request.usageEstimated,
      costNanoUsd: request.deployment ? priceOf(usage, request.deployment.costs).toString() : '0',
      priceNanoUsd: request.sellPrices ? priceOf(usage, request.sellPrices).toString() : '0',
      outcome: request.outcome,
      status: request.status,
      errorCode: request.errorCode,
      stream: request.stream,
      latencyMs: Date.now() - request.startedAtMs,
      ttfbMs: request.firstByteAtMs === null ? null : request.firstByteAtMs - request.startedAtMs,
      startedAt: new Date(request.startedAtMs).toISOString(),
    };
    this.publisher.publish(event);
    return event;
  }
}
