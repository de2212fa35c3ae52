import { Queue } from 'bullmq';
import { readdirSync } from 'node:fs';
import { UsageRecorder } from '@switchyard/metering';
import { UsageEventPublisher, USAGE_JOB_OPTIONS, UsageEventV1 } from '@switchyard/queue';
import { FakeUpstream, reply } from '../fakes/fake-upstream';
import { PrivateRedis } from '../support/redis-server';
import { TestSystem } from '../support/system';

describe('metering: every usage event lands exactly once', () => {
  let system: TestSystem;
  let upstream: FakeUpstream;
  let redis: PrivateRedis;
  let key: string;
  let tenantId: string;
  let keyId: string;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    system = await TestSystem.start({ env: { REDIS_URL: redis.url } });
    upstream = await FakeUpstream.start();
    await system.adminClient.providerAndModel({
      baseUrl: upstream.v1,
      model: 'gpt-4o',
      prices: { input: '2.50', output: '10.00' },
    });
    ({ key, tenantId, keyId } = await system.adminClient.tenantWithKey());
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.stop();
    await redis?.down();
  });

  const chat = (requestId: string): Promise<Response> =>
    fetch(`${system.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-request-id': requestId,
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });

  const rows = (prefix: string): Promise<Array<{ request_id: string }>> =>
    system.db.query('SELECT request_id FROM usage_events WHERE request_id LIKE $1 ORDER BY request_id', [
      `${prefix}%`,
    ]);

  function event(requestId: string): UsageEventV1 {
    return {
      v: 1,
      requestId,
      tenantId,
      apiKeyId: keyId,
      model: 'gpt-4o',
      modelId: null,
      deploymentId: null,
      providerId: null,
      upstreamModel: null,
      protocol: 'openai.chat',
      inputTokens: 10,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 5,
      reasoningTokens: 0,
      usageEstimated: false,
      costNanoUsd: '70',
      priceNanoUsd: '75',
      outcome: 'success',
      status: 200,
      errorCode: null,
      stream: false,
      latencyMs: 3,
      ttfbMs: 1,
      startedAt: '2026-11-29T10:00:00.000Z',
    };
  }

  it('records a redelivered event once, rollups included', async () => {
    const publisher = system.gateway.get(UsageEventPublisher);
    publisher.publish(event('dup-1'));
    publisher.publish(event('dup-1')); // same batch
    await publisher.flush();
    // An old job long gone from Redis, replayed under another job id: Postgres must still say no.
    const queue = new Queue('usage', {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: system.redisPrefix,
    });
    await queue.add('usage.record', event('dup-1'), { ...USAGE_JOB_OPTIONS, jobId: 'usage-dup-1-replayed' });
    await system.eventually(async () => (await queue.getJobCounts('completed')).completed >= 2);
    await queue.close();

    expect(await rows('dup-')).toHaveLength(1);
    const [rollup] = await system.db.query<{
      requests: string;
      price_nano_usd: string;
      output_tokens: string;
    }>("SELECT requests, price_nano_usd, output_tokens FROM usage_rollups WHERE day = '2026-11-29'");
    expect(rollup).toEqual({ requests: '1', price_nano_usd: '75', output_tokens: '5' });
  });

  it('commits a batch once: duplicates inside it and rows already recorded add nothing to the rollups', async () => {
    const recorder = system.worker!.get(UsageRecorder);
    const day = (requestId: string): UsageEventV1 => ({
      ...event(requestId),
      startedAt: '2026-11-30T23:59:59.999Z',
      model: 'batch-model',
    });
    expect([...(await recorder.recordBatch([day('batch-1')]))]).toEqual(['batch-1']);
    const inserted = await recorder.recordBatch([
      day('batch-1'),
      day('batch-2'),
      day('batch-2'),
      day('batch-3'),
    ]);
    expect([...inserted].sort()).toEqual(['batch-2', 'batch-3']);
    expect(await rows('batch-')).toHaveLength(3);
    const [rollup] = await system.db.query<{
      requests: string;
      input_tokens: string;
      price_nano_usd: string;
    }>(
      "SELECT requests, input_tokens, price_nano_usd FROM usage_rollups WHERE model = 'batch-model' AND day = '2026-11-30'",
    );
    expect(rollup).toEqual({ requests: '3', input_tokens: '30', price_nano_usd: '225' });
  });

  it('keeps serving and spills usage to the outbox while Redis is down, then replays it once', async () => {
    upstream.serve(reply.fixture('openai-chat-text.json'));
    expect((await chat('outage-warmup')).status).toBe(200); // key and catalog are now cached
    await system.eventually(async () => (await rows('outage-warmup')).length === 1);

    await redis.down();
    // Not ready while Redis is gone (load balancers stop sending new traffic), yet still serving.
    for (const base of [system.gatewayUrl, system.adminUrl]) {
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        ready: false,
        checks: { postgres: true, redis: false, migrations: true },
      });
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    }
    for (let i = 0; i < 5; i++) expect((await chat(`outage-${i}`)).status).toBe(200);
    const publisher = system.gateway.get(UsageEventPublisher);
    await publisher.flush();
    expect(publisher.spilledEvents).toBe(5);
    expect(
      readdirSync(system.config.metering.outboxDir).filter((name) => name.endsWith('.jsonl')),
    ).toHaveLength(1);

    await redis.up();
    await system.eventually(async () => (await rows('outage-')).length === 6, 20_000);
    await system.eventually(
      async () => (await fetch(`${system.gatewayUrl}/health/ready`)).status === 200,
      5_000,
    );
    expect((await rows('outage-')).map((row) => row.request_id)).toEqual([
      'outage-0',
      'outage-1',
      'outage-2',
      'outage-3',
      'outage-4',
      'outage-warmup',
    ]);
    expect(
      readdirSync(system.config.metering.outboxDir).filter((name) => name.includes('outbox-')),
    ).toHaveLength(0);

    // A second replay finds nothing and changes nothing.
    expect(await publisher.replayOutbox()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await rows('outage-')).toHaveLength(6);
  });
});
