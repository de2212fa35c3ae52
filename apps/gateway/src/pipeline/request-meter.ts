import { TokenPrices } from '@switchyard/common';
import { LimitsService } from '@switchyard/limits';
import { FinishedRequest, UsageMeter } from '@switchyard/metering';
import { EMPTY_USAGE, NormalizedUsage } from '@switchyard/protocols';
import { UsageEventV1 } from '@switchyard/queue';
import { RequestContext } from './request-context';

type Deployment = NonNullable<FinishedRequest['deployment']>;

/**
 * Collects what one request learns on its way (model, deployment, prices, first byte) and emits
 * its usage event exactly once, whichever way the request ends. A request admitted against its
 * key's limits also hands its tokens and price back to them (and frees its concurrency slot).
 */
export class RequestMeter {
  model = '';
  modelId: string | null = null;
  deployment: Deployment | null = null;
  sellPrices: TokenPrices | null = null;
  stream = false;
  firstByteAtMs: number | null = null;
  private done = false;
  private limits: LimitsService | null = null;

  constructor(
    private readonly meter: UsageMeter,
    private readonly ctx: RequestContext,
    private readonly protocol: string,
  ) {}

  /** Called once the key's limits admitted the request: it will be settled when it ends. */
  holdLimits(limits: LimitsService): void {
    this.limits = limits;
  }

  get finished(): boolean {
    return this.done;
  }

  finish(
    outcome: UsageEventV1['outcome'],
    status: number,
    errorCode: string | null,
    usage: NormalizedUsage = EMPTY_USAGE,
    usageEstimated = false,
  ): void {
    if (this.done) return;
    this.done = true;
    const event = this.meter.record({
      requestId: this.ctx.requestId,
      tenantId: this.ctx.principal.tenantId,
      apiKeyId: this.ctx.principal.keyId,
      model: this.model,
      modelId: this.modelId,
      deployment: this.deployment,
      sellPrices: this.sellPrices,
      protocol: this.protocol,
      stream: this.stream,
      startedAtMs: this.ctx.startedAtMs,
      firstByteAtMs: this.firstByteAtMs,
      status,
      outcome,
      errorCode,
      usage,
      usageEstimated,
    });
    this.limits?.settle(
      this.ctx.principal,
      this.ctx.requestId,
      usage.input + usage.cachedInput + usage.cacheWrite + usage.output,
      BigInt(event.priceNanoUsd),
    );
  }
}
