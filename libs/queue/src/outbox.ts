import { Logger } from '@nestjs/common';
import {
  closeSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const LIVE = '.jsonl';
const CLAIMED = '.replaying';

/**
 * A durable local spill for items Redis would not take. Each process appends (and fsyncs) to
 * its own file; any process of the install may later claim a file by renaming it and replay it.
 * Items must be idempotent downstream: a replay can repeat an item that did reach Redis.
 */
export class LocalOutbox<T> {
  private readonly log = new Logger(LocalOutbox.name);
  private fd: number | null = null;
  private file: string | null = null;

  constructor(private readonly dir: string) {}

  /** Appends items and syncs them to disk before returning. */
  append(items: readonly T[]): void {
    if (items.length === 0) return;
    if (this.fd === null) {
      mkdirSync(this.dir, { recursive: true });
      this.file = join(
        this.dir,
        `outbox-${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}${LIVE}`,
      );
      this.fd = openSync(this.file, 'a', 0o600);
    }
    writeSync(this.fd, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
    fdatasyncSync(this.fd);
  }

  /**
   * Replays every spilled file (ours and those left by dead processes) through `send`, which
   * must throw if the items were not taken. Returns how many items were replayed.
   */
  async replay(send: (items: T[]) => Promise<void>, batchSize = 500): Promise<number> {
    this.rotate();
    let replayed = 0;
    for (const name of this.listFiles(LIVE)) {
      const live = join(this.dir, name);
      const claimed = live.slice(0, -LIVE.length) + CLAIMED + `-${process.pid}`;
      try {
        renameSync(live, claimed);
      } catch {
        continue; // another process claimed it first
      }
      const items = this.readItems(claimed);
      try {
        for (let start = 0; start < items.length; start += batchSize) {
          await send(items.slice(start, start + batchSize));
        }
      } catch (error) {
        renameSync(claimed, live); // keep it for the next attempt
        throw error;
      }
      unlinkSync(claimed);
      replayed += items.length;
    }
    return replayed;
  }

  /** Spilled files left claimed by a process that died mid-replay go back to the pool. */
  recoverAbandonedClaims(isAlive: (pid: number) => boolean): void {
    for (const name of this.listFiles(CLAIMED)) {
      const pid = Number(name.slice(name.lastIndexOf('-') + 1));
      if (Number.isInteger(pid) && !isAlive(pid)) {
        const claimed = join(this.dir, name);
        renameSync(claimed, claimed.slice(0, claimed.lastIndexOf(CLAIMED)) + LIVE);
      }
    }
  }

  pendingFiles(): number {
    return this.listFiles(LIVE).length;
  }

  close(): void {
    this.rotate();
  }

  /** Closes our current file so it can be claimed like any other. */
  private rotate(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
      this.file = null;
    }
  }

  private listFiles(marker: string): string[] {
    try {
      return readdirSync(this.dir)
        .filter((name) => name.startsWith('outbox-') && name.includes(marker))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private readItems(file: string): T[] {
    const items: T[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.length === 0) continue;
      try {
        items.push(JSON.parse(line) as T);
      } catch {
        // Only the last line can be torn, by a crash mid-append; its item was never acknowledged.
        this.log.warn({ file }, 'skipping a torn outbox line');
      }
    }
    return items;
  }
}
