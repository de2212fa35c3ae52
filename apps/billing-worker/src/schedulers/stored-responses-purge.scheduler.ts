import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const EVERY_MS = 10 * 60_000;
const BATCH = 5_000;

/**
 * Deletes Responses API answers past their expiry (the gateway already ignores them on read), a
 * bounded batch per statement so a large backlog never holds long locks. Every worker replica may
 * run it: the deletes are idempotent.
 */
@Injectable()
export class StoredResponsesPurgeScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(StoredResponsesPurgeScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Deletes every expired stored response; returns how many. Never throws. */
  purge(now = new Date()): Promise<number> {
    this.running ??= this.deleteExpired(now).finally(() => (this.running = null));
    return this.running;
  }

  private async deleteExpired(now: Date): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        // TypeORM answers a raw DELETE with [rows, affected row count].
        const [, deleted]: [unknown[], number] = await this.db.query(
          `DELETE FROM stored_responses WHERE ctid IN (SELECT ctid FROM stored_responses WHERE expires_at < $1 LIMIT ${BATCH})`,
          [now],
        );
        total += deleted;
        if (deleted < BATCH) break;
      }
      if (total > 0) this.log.log({ deleted: total }, 'expired stored responses purged');
    } catch (error) {
      this.log.warn(
        { err: (error as Error).message, deleted: total },
        'stored responses purge failed; retrying next round',
      );
    }
    return total;
  }
}
