import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@switchyard/config';
import { LocalOutbox } from './outbox';
import { QUEUES, UsageEventV1, usageJobId } from './payloads';
import { producerConnection, queuePrefix } from './queue-connection';
import { USAGE_JOB_OPTIONS } from './job-defaults';

const ADD_TIMEOUT_MS = 2_000;
const REPLAY_EVERY_MS = 5_000;

/**
 * Sends usage events to the `usage` queue without costing the hot path a Redis round trip per
 * request: events are buffered and sent with one `addBulk` every USAGE_FLUSH_MS or
 * USAGE_BATCH_SIZE events. A batch Redis does not take is fsynced to the local outbox and
 * replayed later. The request id is the job id and the database's unique key, so a replayed
 * event that did reach Redis is still counted once.
 */
@Injectable()
export class UsageEventPublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(UsageEventPublisher.name);
  private readonly queue: Queue;
  private readonly outbox: LocalOutbox<UsageEventV1>;
  private buffer: UsageEventV1[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private replayTimer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();
  private redisDown = false;
  private replaying = false;
  /** Counted for metrics and tests: batches spilled to the outbox. */
  spilledEvents = 0;

  constructor(private readonly config: AppConfig) {
    this.queue = new Queue(QUEUES.usage, {
      connection: producerConnection(config),
      prefix: queuePrefix(config),
    });
    this.queue.on('error', (error: Error) =>
      this.log.debug({ err: error.message }, 'usage queue connection error'),
    );
    this.outbox = new LocalOutbox<UsageEventV1>(config.metering.outboxDir);
  }

  onModuleInit(): void {
    this.outbox.recoverAbandonedClaims(isProcessAlive);
    this.replayTimer = setInterval(() => void this.replayOutbox(), REPLAY_EVERY_MS);
    this.replayTimer.unref();
    void this.replayOutbox();
  }

  /** Queues one event for the next batch. Synchronous and never throws. */
  publish(event: UsageEventV1): void {
    this.buffer.push(event);
    if (this.buffer.length >= this.config.metering.batchSize) {
      void this.flush(); // never rejects: a failed batch goes to the outbox
    } else if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => this.flush(), this.config.metering.flushMs);
      this.flushTimer.unref();
    }
  }

  /** Sends the current buffer now; resolves once it is in Redis or in the outbox. */
  flush(): Promise<void> {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.buffer.length === 0) return Promise.all(this.inFlight).then(() => undefined);
    const batch = this.buffer;
    this.buffer = [];
    const sending = this.send(batch).then(
      () => this.onRedisUp(),
      (error: unknown) => this.spill(batch, error),
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
    return sending;
  }

  /** Replays the outbox now (also runs on a timer). Resolves with how many events were sent. */
  async replayOutbox(): Promise<number> {
    if (this.replaying) return 0;
    this.replaying = true;
    try {
      const replayed = await this.outbox.replay((events) => this.send(events));
      if (replayed > 0) this.log.log({ replayed }, 'usage events replayed from the outbox');
      return replayed;
    } catch (error) {
      this.log.debug({ err: (error as Error).message }, 'outbox replay deferred: redis still unavailable');
      return 0;
    } finally {
      this.replaying = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.replayTimer) clearInterval(this.replayTimer);
    await this.flush();
    this.outbox.close();
    await this.queue
      .close()
      .catch((error: Error) => this.log.debug({ err: error.message }, 'usage queue close failed'));
  }

  private async send(events: UsageEventV1[]): Promise<void> {
    const adding = this.queue.addBulk(
      events.map((event) => ({
        name: 'usage.record',
        data: event,
        opts: { ...USAGE_JOB_OPTIONS, jobId: usageJobId(event.requestId) },
      })),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`addBulk took over ${ADD_TIMEOUT_MS} ms`)), ADD_TIMEOUT_MS);
    });
    try {
      await Promise.race([adding, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private spill(batch: UsageEventV1[], cause: unknown): void {
    try {
      this.outbox.append(batch);
      this.spilledEvents += batch.length;
      if (!this.redisDown) {
        this.log.warn(
          { events: batch.length, err: (cause as Error).message },
          'redis refused usage events; spilled to the local outbox',
        );
      }
      this.redisDown = true;
    } catch (error) {
      // Disk and Redis both failed: nothing left to hold them. Say exactly what was lost.
      this.log.error(
        {
          events: batch.length,
          requestIds: batch.map((event) => event.requestId),
          err: (error as Error).message,
        },
        'usage events lost: redis and the local outbox both failed',
      );
    }
  }

  private onRedisUp(): void {
    if (!this.redisDown) return;
    this.redisDown = false;
    void this.replayOutbox();
  }
}

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return false; // our own claims are never in progress at start-up
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
