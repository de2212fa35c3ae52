import { Logger } from '@nestjs/common';
import { UsageEventV1 } from '@switchyard/queue';
import { UsageRecorder } from './usage-recorder';

interface Waiting {
  event: UsageEventV1;
  resolve: (recorded: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the usage consumer: jobs processed concurrently hand their event here and
 * wait; the events are written together in one transaction every few milliseconds (or when the
 * batch is full), and each job then completes — or fails and is retried — with its batch. This
 * keeps one job per event (per-event retries, per-event job ids) at a fraction of the database
 * cost of one transaction per event.
 */
export class UsageBatcher {
  private readonly log = new Logger(UsageBatcher.name);
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly recorder: UsageRecorder,
    private readonly maxBatch = 200,
    private readonly maxWaitMs = 10,
  ) {}

  /** Resolves with whether the event was new, once its batch has committed. */
  record(event: UsageEventV1): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (this.waiting.length >= this.maxBatch) void this.flush();
      else if (this.timer === null) this.timer = setTimeout(() => void this.flush(), this.maxWaitMs);
    });
  }

  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      const inserted = await this.recorder.recordBatch(batch.map((entry) => entry.event));
      for (const entry of batch) entry.resolve(inserted.has(entry.event.requestId));
    } catch (error) {
      this.log.warn(
        { events: batch.length, err: (error as Error).message },
        'usage batch failed; its jobs will be retried',
      );
      for (const entry of batch) entry.reject(error);
    }
  }
}
