import { Test } from '@nestjs/testing';
import { randomUUID, randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { ApiKeyId, NanoUsd, TenantId } from '@switchyard/common';
import { ConfigModule, loadConfig } from '@switchyard/config';
import { KeyPrincipal, ModelPattern } from '@switchyard/keys';
import { LimitsModule, LimitsService } from '@switchyard/limits';
import { RedisModule } from '@switchyard/redis';
import { TEST_REDIS_URL } from '../support/services';

/** The limit scripts against the real Redis, with the clock driven by the test. */
describe('LimitsService', () => {
  let app: INestApplicationContext;
  let limits: LimitsService;
  const prefix = `lim${randomBytes(4).toString('hex')}`;
  const minuteStart = Math.floor(Date.now() / 60_000 + 10) * 60_000; // a fresh window of our own

  beforeAll(async () => {
    const config = loadConfig({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix });
    app = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), RedisModule, LimitsModule],
    }).compile();
    await app.init();
    limits = app.get(LimitsService);
  });
  afterAll(async () => {
    await app.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const principal = (limitsOf: Partial<KeyPrincipal>): KeyPrincipal => ({
    keyId: randomUUID() as ApiKeyId,
    tenantId: randomUUID() as TenantId,
    revoked: false,
    tenantSuspended: false,
    expiresAtMs: null,
    models: new ModelPattern(null),
    priceAdjustmentBps: 0,
    rpm: null,
    tpm: null,
    maxConcurrency: null,
    budget: null,
    ...limitsOf,
  });

  it('admits rpm requests a minute, then refuses with the seconds left in the window', async () => {
    const key = principal({ rpm: 3 });
    for (let i = 0; i < 3; i++) expect(await limits.admit(key, `r${i}`, minuteStart + 1_000)).toBeNull();
    expect(await limits.admit(key, 'r4', minuteStart + 20_000)).toEqual({
      limit: 'rpm',
      retryAfterSeconds: 40,
    });
  });

  it('slides: most of the previous minute still counts early in the next one', async () => {
    const key = principal({ rpm: 4 });
    for (let i = 0; i < 4; i++) expect(await limits.admit(key, `a${i}`, minuteStart + 50_000)).toBeNull();
    // 15 s into the next minute, 75 % of the 4 previous requests (3) still count: one more fits.
    expect(await limits.admit(key, 'b0', minuteStart + 75_000)).toBeNull();
    expect((await limits.admit(key, 'b1', minuteStart + 75_000))?.limit).toBe('rpm');
    // Once the previous minute has slid out, the window is free again.
    expect(await limits.admit(key, 'c0', minuteStart + 121_000)).toBeNull();
  });

  it('counts tokens once settled and refuses while the minute is over its tpm', async () => {
    const key = principal({ tpm: 1_000 });
    expect(await limits.admit(key, 't1', minuteStart + 1_000)).toBeNull();
    limits.settle(key, 't1', 1_200, 0n);
    await limits.flush(minuteStart + 2_000);
    expect(await limits.admit(key, 't2', minuteStart + 3_000)).toEqual({
      limit: 'tpm',
      retryAfterSeconds: 57,
    });
  });

  it('holds max_concurrency slots until settled', async () => {
    const key = principal({ maxConcurrency: 2 });
    expect(await limits.admit(key, 'c1', minuteStart)).toBeNull();
    expect(await limits.admit(key, 'c2', minuteStart)).toBeNull();
    expect(await limits.admit(key, 'c3', minuteStart)).toEqual({
      limit: 'concurrency',
      retryAfterSeconds: 1,
    });
    limits.settle(key, 'c1', 10, 0n);
    await limits.flush(minuteStart);
    expect(await limits.admit(key, 'c3', minuteStart)).toBeNull();
  });

  it('refuses once the budget period has been spent, exactly, and a new period starts afresh', async () => {
    const day = new Date(minuteStart).toISOString().slice(0, 10);
    const key = principal({ budget: { amount: 1_000_000_000n as NanoUsd, period: 'day' } });
    expect(await limits.admit(key, 'b1', minuteStart)).toBeNull();
    limits.settle(key, 'b1', 10, 999_999_999n);
    await limits.flush(minuteStart);
    expect(await limits.admit(key, 'b2', minuteStart)).toBeNull(); // 1 nano-USD left
    limits.settle(key, 'b2', 10, 1n);
    await limits.flush(minuteStart);
    expect(await limits.admit(key, 'b3', minuteStart)).toEqual({ limit: 'budget', retryAfterSeconds: null });
    const redis = new Redis(TEST_REDIS_URL);
    expect(await redis.get(`${prefix}:lim:{${key.keyId}}:spend:${day}`)).toBe('1000000000');
    redis.disconnect();
    expect(await limits.admit(key, 'b4', minuteStart + 86_400_000)).toBeNull();
  });
});
