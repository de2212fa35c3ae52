import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UsageEventV1 } from '@switchyard/queue';

/**
 * Writes a usage event to Postgres exactly once: the insert and the rollup update share one
 * transaction, and the unique request id turns a redelivered event into a no-op.
 */
@Injectable()
export class UsageRecorder {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Returns false when the event was already recorded. */
  record(event: UsageEventV1): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await this.insertIfAbsent(tx, event);
      if (inserted) await this.addToRollup(tx, event);
      return inserted;
    });
  }

  private async insertIfAbsent(tx: EntityManager, event: UsageEventV1): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO usage_events (request_id, tenant_id, api_key_id, model, model_id, deployment_id, provider_id,
         upstream_model, protocol, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,
         reasoning_tokens, usage_estimated, cost_nano_usd, price_nano_usd, outcome, status, error_code, stream,
         latency_ms, ttfb_ms, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
       ON CONFLICT (request_id) DO NOTHING
       RETURNING id`,
      [
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
      ],
    );
    return rows.length === 1;
  }

  private async addToRollup(tx: EntityManager, event: UsageEventV1): Promise<void> {
    await tx.query(
      `INSERT INTO usage_rollups AS r (tenant_id, api_key_id, model, day, requests, input_tokens, cached_input_tokens,
         cache_write_tokens, output_tokens, reasoning_tokens, cost_nano_usd, price_nano_usd)
       VALUES ($1, $2, $3, ($4::timestamptz AT TIME ZONE 'UTC')::date, 1, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, api_key_id, model, day) DO UPDATE SET
         requests = r.requests + 1,
         input_tokens = r.input_tokens + EXCLUDED.input_tokens,
         cached_input_tokens = r.cached_input_tokens + EXCLUDED.cached_input_tokens,
         cache_write_tokens = r.cache_write_tokens + EXCLUDED.cache_write_tokens,
         output_tokens = r.output_tokens + EXCLUDED.output_tokens,
         reasoning_tokens = r.reasoning_tokens + EXCLUDED.reasoning_tokens,
         cost_nano_usd = r.cost_nano_usd + EXCLUDED.cost_nano_usd,
         price_nano_usd = r.price_nano_usd + EXCLUDED.price_nano_usd`,
      [
        event.tenantId,
        event.apiKeyId,
        event.model,
        event.startedAt,
        event.inputTokens,
        event.cachedInputTokens,
        event.cacheWriteTokens,
        event.outputTokens,
        event.reasoningTokens,
        event.costNanoUsd,
        event.priceNanoUsd,
      ],
    );
  }
}
