import { TokenPrices } from '@switchyard/common';
import { FinishedRequest, UsageMeter } from '@switchyard/metering';
import { EMPTY_USAGE, NormalizedUsage } from '@switchyard/protocols';
import { UsageEventV1 } from '@switchyard/queue';
import { RequestContext } from './request-context';

type Deployment = NonNullable<FinishedRequest['deployment']>;

/**
 * Collects what one request learns on its way (model, deployment, prices, first byte) and emits
 * its usage event exactly once, whichever way the request ends.
 */
export class RequestMeter {
  model = '';
  modelId: string | null = null;
  deployment: Deployment | null = null;
  sellPrices: TokenPrices | null = null;
  stream = false;
  firstByteAtMs: number | null = null;
  private done = false;

  constructor(
    private readonly meter: UsageMeter,
    private readonly ctx: RequestContext,
    private readonly protocol: string,
  ) {}

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
    this.meter.record({
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
  }
}
