import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { Result } from 'ioredis';
import { AppConfig } from '@switchyard/config';
import { KeyPrincipal } from '@switchyard/keys';
import { RedisConnections } from '@switchyard/redis';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './scripts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    syAdmit(...args: Array<string | number>): Result<[number, number?], Context>;
    sySettle(...args: Array<string | number>): Result<number, Context>;
  }
}

/** Which limit refused a request; `budget` is a 402, the others 429. */
export interface LimitRefusal {
  limit: 'rpm' | 'tpm' | 'concurrency' | 'budget';
  retryAfterSeconds: number | null;
}

const REFUSALS: Record<number, LimitRefusal['limit']> = { 1: 'rpm', 2: 'tpm', 3: 'concurrency', 4: 'budget' };
/** An in-flight entry left by a crashed gateway stops counting after this long. */
const INFLIGHT_TTL_MS = 15 * 60_000;
const SETTLE_EVERY_MS = 50;

interface LimitKeys {
  rpmNow: string;
  rpmPrevious: string;
  tpmNow: string;
  tpmPrevious: string;
  inflight: string;
  spend: string;
  spendTtlSeconds: number;
}

interface PendingSettlement {
  principal: KeyPrincipal;
  tokens: number;
  spend: bigint;
  released: string[];
}

/**
 * Per-key limits in Redis: requests/min and tokens/min (sliding window over two minute buckets),
 * concurrent requests (a set of in-flight request ids that expire), and a spend budget per day,
 * month or ever. Admission is one script call; settlement (tokens used, money spent, slot
 * released) is buffered in-process and flushed every 50 ms, off the hot path.
 *
 * If Redis cannot answer, requests are admitted (availability first) and the refusal to check is
 * logged; the usage events still bill them.
 */
@Injectable()
export class LimitsService implements OnApplicationShutdown {
  private readonly log = new Logger(LimitsService.name);
  private readonly prefix: string;
  private pending = new Map<string, PendingSettlement>();
  private timer: NodeJS.Timeout | null = null;
  private redisDown = false;
  private readonly redis: Redis;

  constructor(connections: RedisConnections, config: AppConfig) {
    this.redis = connections.commands;
    this.prefix = config.redis.keyPrefix;
    this.redis.defineCommand('syAdmit', { numberOfKeys: 6, lua: ADMIT_SCRIPT });
    this.redis.defineCommand('sySettle', { numberOfKeys: 3, lua: SETTLE_SCRIPT });
  }

  /** True when the key has any limit: keys without limits cost no Redis call at all. */
  static applies(principal: KeyPrincipal): boolean {
    return (
      principal.rpm !== null ||
      principal.tpm !== null ||
      principal.maxConcurrency !== null ||
      principal.budget !== null
    );
  }

  async admit(principal: KeyPrincipal, requestId: string, now = Date.now()): Promise<LimitRefusal | null> {
    const minute = Math.floor(now / 60_000);
    const keys = this.keys(principal, minute, now);
    try {
      const [code, retryAfter] = await this.redis.syAdmit(
        keys.rpmNow,
        keys.rpmPrevious,
        keys.tpmNow,
        keys.tpmPrevious,
        keys.inflight,
        keys.spend,
        now,
        now - minute * 60_000,
        principal.rpm ?? 0,
        principal.tpm ?? 0,
        principal.maxConcurrency ?? 0,
        principal.budget?.amount.toString() ?? '0',
        requestId,
        INFLIGHT_TTL_MS,
        keys.spendTtlSeconds,
      );
      this.onRedisUp();
      if (code === 0) return null;
      const limit = REFUSALS[code];
      return { limit, retryAfterSeconds: limit === 'budget' ? null : (retryAfter ?? 1) };
    } catch (error) {
      this.onRedisDown(error);
      return null;
    }
  }

  /** Records what a finished request used; flushed in the next batch. Never throws. */
  settle(principal: KeyPrincipal, requestId: string, tokens: number, spendNanoUsd: bigint): void {
    const entry = this.pending.get(principal.keyId) ?? { principal, tokens: 0, spend: 0n, released: [] };
    entry.principal = principal;
    entry.tokens += tokens;
    entry.spend += spendNanoUsd;
    if (principal.maxConcurrency !== null) entry.released.push(requestId);
    this.pending.set(principal.keyId, entry);
    if (this.timer === null) {
      this.timer = setTimeout(() => void this.flush(), SETTLE_EVERY_MS);
      this.timer.unref();
    }
  }

  async flush(now = Date.now()): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    const minute = Math.floor(now / 60_000);
    await Promise.all(
      [...batch.values()].map(async ({ principal, tokens, spend, released }) => {
        const keys = this.keys(principal, minute, now);
        try {
          await this.redis.sySettle(
            keys.tpmNow,
            keys.inflight,
            keys.spend,
            tokens,
            spend.toString(),
            keys.spendTtlSeconds,
            ...released,
          );
        } catch (error) {
          // Counters lag behind during an outage; in-flight entries expire by themselves.
          this.onRedisDown(error);
        }
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Every key of one API key shares the `{keyId}` hash tag, so the script runs in one Cluster slot. */
  private keys(principal: KeyPrincipal, minute: number, now: number): LimitKeys {
    const base = `${this.prefix}:lim:{${principal.keyId}}`;
    const period = principal.budget?.period ?? 'total';
    const date = new Date(now).toISOString();
    const periodId = period === 'day' ? date.slice(0, 10) : period === 'month' ? date.slice(0, 7) : 'total';
    return {
      rpmNow: `${base}:rpm:${minute}`,
      rpmPrevious: `${base}:rpm:${minute - 1}`,
      tpmNow: `${base}:tpm:${minute}`,
      tpmPrevious: `${base}:tpm:${minute - 1}`,
      inflight: `${base}:inflight`,
      spend: `${base}:spend:${periodId}`,
      spendTtlSeconds: period === 'day' ? 2 * 86_400 : period === 'month' ? 40 * 86_400 : 0,
    };
  }

  private onRedisDown(error: unknown): void {
    if (!this.redisDown)
      this.log.warn({ err: (error as Error).message }, 'limits unavailable (redis); admitting requests');
    this.redisDown = true;
  }

  private onRedisUp(): void {
    if (this.redisDown) this.log.log('limits available again');
    this.redisDown = false;
  }
}
