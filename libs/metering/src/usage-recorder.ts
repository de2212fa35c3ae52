import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UsageEventV1 } from '@switchyard/queue';

const EVENT_COLUMNS = [
  'request_id',
  'tenant_id',
  'api_key_id',
  'model',
  'model_id',
  'deployment_id',
  'provider_id',
  'upstream_model',
  'protocol',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'usage_estimated',
  'cost_nano_usd',
  'price_nano_usd',
  'outcome',
  'status',
  'error_code',
  'stream',
  'latency_ms',
  'ttfb_ms',
  'started_at',
] as const;

function eventValues(event: UsageEventV1): unknown[] {
  return [
    event.requestId,
    event.tenantId,
    event.apiKeyId,
    event.model,
    event.modelId,
    event.deploymentId,
    event.providerId,
    event.upstreamModel,
    event.protocol,
    event.inputTokens,
    event.cachedInputTokens,
    event.cacheWriteTokens,
    event.outputTokens,
    event.reasoningTokens,
    event.usageEstimated,
    event.costNanoUsd,
    event.priceNanoUsd,
    event.outcome,
    event.status,
    event.errorCode,
    event.stream,
    event.latencyMs,
    event.ttfbMs,
    event.startedAt,
  ];
}

interface RollupDelta {
  tenantId: string;
  apiKeyId: string;
  model: string;
  day: string;
  requests: bigint;
  input: bigint;
  cachedInput: bigint;
  cacheWrite: bigint;
  output: bigint;
  reasoning: bigint;
  cost: bigint;
  price: bigint;
}

/**
 * Writes usage events to Postgres exactly once. A batch is one transaction: a multi-row insert
 * that skips request ids already recorded, then the daily rollups of only the rows it inserted.
 * A redelivered event therefore changes nothing, neither its row nor any sum.
 */
@Injectable()
export class UsageRecorder {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Returns false when the event was already recorded. */
  async record(event: UsageEventV1): Promise<boolean> {
    return (await this.recordBatch([event])).has(event.requestId);
  }

  /** Records a batch; returns the request ids that were new (the others were already there). */
  recordBatch(events: readonly UsageEventV1[]): Promise<Set<string>> {
    // The same request twice in one batch (a replay racing its original): keep the first.
    const unique = [...new Map(events.map((event) => [event.requestId, event] as const)).values()];
    return this.db.transaction(async (tx) => {
      const inserted = await this.insertNew(tx, unique);
      const fresh = unique.filter((event) => inserted.has(event.requestId));
      if (fresh.length > 0) await this.addToRollups(tx, fresh);
      return inserted;
    });
  }

  private async insertNew(tx: EntityManager, events: readonly UsageEventV1[]): Promise<Set<string>> {
    const width = EVENT_COLUMNS.length;
    const rows = events.map(
      (_, row) => `(${EVENT_COLUMNS.map((__, column) => `$${row * width + column + 1}`).join(', ')})`,
    );
    const inserted: Array<{ request_id: string }> = await tx.query(
      `INSERT INTO usage_events (${EVENT_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}
       ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
      events.flatMap(eventValues),
    );
    return new Set(inserted.map((row) => row.request_id));
  }

  /** Sums the batch per (tenant, key, model, UTC day) in exact integers, then one upsert. */
  private async addToRollups(tx: EntityManager, events: readonly UsageEventV1[]): Promise<void> {
    const deltas = new Map<string, RollupDelta>();
    for (const event of events) {
      const day = event.startedAt.slice(0, 10); // ISO-8601 UTC from the gateway
      const id = `${event.tenantId}|${event.apiKeyId}|${event.model}|${day}`;
      const delta = deltas.get(id) ?? {
        tenantId: event.tenantId,
        apiKeyId: event.apiKeyId,
        model: event.model,
        day,
        requests: 0n,
        input: 0n,
        cachedInput: 0n,
        cacheWrite: 0n,
        output: 0n,
        reasoning: 0n,
        cost: 0n,
        price: 0n,
      };
      delta.requests += 1n;
      delta.input += BigInt(event.inputTokens);
      delta.cachedInput += BigInt(event.cachedInputTokens);
      delta.cacheWrite += BigInt(event.cacheWriteTokens);
      delta.output += BigInt(event.outputTokens);
      delta.reasoning += BigInt(event.reasoningTokens);
      delta.cost += BigInt(event.costNanoUsd);
      delta.price += BigInt(event.priceNanoUsd);
      deltas.set(id, delta);
    }
    // Rows in a fixed order, so concurrent batches lock rollup rows in the same order (no deadlock).
    const ordered = [...deltas.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, delta]) => delta);
    const values = ordered.map(
      (_, i) =>
        `($${i * 12 + 1}::uuid, $${i * 12 + 2}::uuid, $${i * 12 + 3}, $${i * 12 + 4}::date, ${Array.from({ length: 8 }, (__, j) => `$${i * 12 + 5 + j}::bigint`).join(', ')})`,
    );
    await tx.query(
      `INSERT INTO usage_rollups AS r (tenant_id, api_key_id, model, day, requests, input_tokens, cached_input_tokens,
         cache_write_tokens, output_tokens, reasoning_tokens, cost_nano_usd, price_nano_usd)
       VALUES ${values.join(', ')}
       ON CONFLICT (tenant_id, api_key_id, model, day) DO UPDATE SET
         requests = r.requests + EXCLUDED.requests,
         input_tokens = r.input_tokens + EXCLUDED.input_tokens,
         cached_input_tokens = r.cached_input_tokens + EXCLUDED.cached_input_tokens,
         cache_write_tokens = r.cache_write_tokens + EXCLUDED.cache_write_tokens,
         output_tokens = r.output_tokens + EXCLUDED.output_tokens,
         reasoning_tokens = r.reasoning_tokens + EXCLUDED.reasoning_tokens,
         cost_nano_usd = r.cost_nano_usd + EXCLUDED.cost_nano_usd,
         price_nano_usd = r.price_nano_usd + EXCLUDED.price_nano_usd`,
      ordered.flatMap((delta) => [
        delta.tenantId,
        delta.apiKeyId,
        delta.model,
        delta.day,
        delta.requests.toString(),
        delta.input.toString(),
        delta.cachedInput.toString(),
        delta.cacheWrite.toString(),
        delta.output.toString(),
        delta.reasoning.toString(),
        delta.cost.toString(),
        delta.price.toString(),
      ]),
    );
  }
}
