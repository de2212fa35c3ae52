import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@switchyard/config';
import { Job } from 'bullmq';
import { UsageBatcher, UsageRecorder } from '@switchyard/metering';
import { JobPayloads, QUEUES, UsageEventV1 } from '@switchyard/queue';

/**
 * Consumes the `usage` queue: each event becomes one usage_events row and a rollup update, keyed
 * by request id (a redelivery records nothing twice). Jobs running concurrently are committed
 * together by the UsageBatcher.
 */
@Processor(QUEUES.usage)
export class UsageProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly log = new Logger(UsageProcessor.name);
  private readonly batcher: UsageBatcher;

  constructor(
    recorder: UsageRecorder,
    private readonly config: AppConfig,
  ) {
    super();
    this.batcher = new UsageBatcher(recorder);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async process(job: Job<JobPayloads['usage.record']>): Promise<{ recorded: boolean }> {
    const event = job.data;
    if (job.name !== 'usage.record' || !isUsageEventV1(event)) {
      // A payload this version cannot read: fail without retries; it stays in the failed set.
      this.log.error({ jobId: job.id, name: job.name }, 'unreadable usage job');
      throw new Error(`unreadable usage job ${job.id ?? ''}`);
    }
    const recorded = await this.batcher.record(event);
    if (!recorded) this.log.debug({ requestId: event.requestId }, 'usage event already recorded');
    return { recorded };
  }
}

function isUsageEventV1(value: unknown): value is UsageEventV1 {
  const event = value as Partial<UsageEventV1> | null;
  return (
    event !== null &&
    typeof event === 'object' &&
    event.v === 1 &&
    typeof event.requestId === 'string' &&
    typeof event.tenantId === 'string' &&
    typeof event.apiKeyId === 'string' &&
    typeof event.priceNanoUsd === 'string' &&
    /^-?\d+$/.test(event.priceNanoUsd) &&
    typeof event.costNanoUsd === 'string' &&
    /^-?\d+$/.test(event.costNanoUsd)
  );
}
