import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { bootAdmin } from '@switchyard/admin-app';
import { bootWorker } from '@switchyard/billing-worker-app';
import { AppConfig, loadConfig } from '@switchyard/config';
import { createTestDatabase, TestDatabase } from './test-database';
import { TEST_REDIS_URL } from './services';
import { AdminClient } from './admin-client';
import { CapturedLogs, captureLogger } from './captured-logger';

export interface SystemOptions {
  /** Extra environment for loadConfig (e.g. GATEWAY_MAX_BODY_BYTES). */
  env?: Record<string, string>;
  worker?: boolean;
  /** Set false for admin-only suites. */
  gateway?: boolean;
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * The real system in this test process: gateway, admin API and billing worker booted exactly as
 * in production (same boot functions), on ephemeral ports, against a fresh database and a Redis
 * key prefix of its own.
 */
export class TestSystem {
  readonly logs: CapturedLogs;
  /** Not started when `gateway: false`. */
  gateway!: INestApplication;
  admin!: INestApplication;
  worker: INestApplicationContext | null = null;
  config!: AppConfig;
  gatewayUrl = '';
  adminUrl = '';
  adminClient!: AdminClient;
  private extraGateways: INestApplication[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly redisPrefix: string,
  ) {
    this.logs = captureLogger();
  }

  static async start(options: SystemOptions = {}): Promise<TestSystem> {
    const db = await createTestDatabase();
    const system = new TestSystem(db, `t${randomBytes(5).toString('hex')}`);
    system.config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: system.redisPrefix,
      GATEWAY_PORT: '0',
      ADMIN_PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      SECRETS_KEY: 'test-secrets-key-0123456789abcdef0123',
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      USAGE_FLUSH_MS: '20',
      OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'sy-outbox-')),
      ...options.env,
    });
    const logger = system.logs.logger;
    system.admin = (await bootAdmin(system.config, logger)).app;
    if (options.gateway !== false) {
      // Loaded on demand: admin-only suites do not need the gateway's code at all.
      const { bootGateway } = await import('@switchyard/gateway-app');
      system.gateway = await bootGateway(system.config, logger);
      system.gatewayUrl = `http://127.0.0.1:${port(system.gateway)}`;
    }
    if (options.worker !== false) system.worker = await bootWorker(system.config, logger, { listen: false });
    system.adminUrl = `http://127.0.0.1:${port(system.admin)}`;
    system.adminClient = new AdminClient(system.adminUrl, TEST_ADMIN_TOKEN);
    return system;
  }

  /** Another gateway replica on the same database and Redis (for cross-process tests). */
  async startGatewayReplica(): Promise<string> {
    const { bootGateway } = await import('@switchyard/gateway-app');
    const replica = await bootGateway(this.config, this.logs.logger);
    this.extraGateways.push(replica);
    return `http://127.0.0.1:${port(replica)}`;
  }

  async startWorker(): Promise<void> {
    this.worker ??= await bootWorker(this.config, this.logs.logger, { listen: false });
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = null;
  }

  /** Polls until `check` returns a truthy value or the timeout passes. */
  async eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    for (const replica of this.extraGateways) await replica.close();
    await this.gateway?.close();
    await this.worker?.close();
    await this.admin?.close();
    await this.flushRedisPrefix();
    await this.db.drop();
  }

  private async flushRedisPrefix(): Promise<void> {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}

function port(app: INestApplication): number {
  return (app.getHttpServer().address() as AddressInfo).port;
}
