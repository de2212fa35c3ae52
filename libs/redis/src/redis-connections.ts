import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '@switchyard/config';

/** Options every Switchyard Redis connection shares (the URL carries host, auth and `/N` db). */
export function redisOptions(overrides: RedisOptions = {}): RedisOptions {
  return {
    lazyConnect: false,
    connectTimeout: 5_000,
    // Back off up to 2 s between reconnects; never give up (Redis may come back).
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    ...overrides,
  };
}

/**
 * ioredis options equivalent to a redis:// URL (host, port, user, password, `/N` db, TLS), for
 * clients such as BullMQ that take options and own the connections they make from them.
 */
export function redisOptionsFromUrl(raw: string, overrides: RedisOptions = {}): RedisOptions {
  const url = new URL(raw);
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  return redisOptions({
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    ...overrides,
  });
}

export const REDIS_COMMANDS = Symbol('REDIS_COMMANDS');

/**
 * Connections of one process: `commands` (auto-pipelined, fails fast when Redis is down so the
 * hot path never waits on a dead server) and dedicated connections made on demand for pub/sub
 * and BullMQ, which need their own sockets.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly log = new Logger(RedisConnections.name);
  private readonly extra: Redis[] = [];

  constructor(
    @Inject(REDIS_COMMANDS) readonly commands: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Prefixes a key with REDIS_KEY_PREFIX. */
  key(...parts: string[]): string {
    return `${this.config.redis.keyPrefix}:${parts.join(':')}`;
  }

  /** A new connection owned (and closed) by this service, e.g. for SUBSCRIBE. */
  dedicated(name: string, overrides: RedisOptions = {}): Redis {
    const connection = new Redis(
      this.config.redis.url,
      redisOptions({ connectionName: `switchyard:${name}`, ...overrides }),
    );
    connection.on('error', (error: Error) =>
      this.log.debug({ connection: name, err: error.message }, 'redis connection error'),
    );
    this.extra.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [this.commands, ...this.extra].map((connection) =>
        connection.quit().catch(() => connection.disconnect()),
      ),
    );
  }
}
