import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { formatUsd } from '@switchyard/common';
import { UsageEventEntity } from '@switchyard/database';
import { PageQuery } from '../common/page.dto';

const UUID = /^[0-9a-f-]{36}$/i;

export class RequestLogQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(UUID, { message: 'tenant_id must be a uuid' })
  tenant_id?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(UUID, { message: 'key_id must be a uuid' }) key_id?: string;
  @ApiPropertyOptional({ example: 'gpt-4o' }) @IsOptional() @IsString() @Length(1, 200) model?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(UUID, { message: 'provider_id must be a uuid' })
  provider_id?: string;
  @ApiPropertyOptional({
    example: '5xx',
    description:
      'HTTP status (429), class (5xx) or outcome (success, upstream_error, client_abort, gateway_error)',
  })
  @IsOptional()
  @Matches(/^(\d{3}|[1-5]xx|success|upstream_error|client_abort|gateway_error)$/, {
    message: 'status must be a status code, a class like 5xx, or an outcome',
  })
  status?: string;
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv', 'jsonl'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'jsonl'])
  format?: string;
}

export class RequestLogView {
  @ApiProperty({ example: 'req_…' }) request_id!: string;
  @ApiProperty({ example: 'request' }) object!: 'request';
  @ApiProperty() tenant_id!: string;
  @ApiProperty() key_id!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ nullable: true, type: String }) provider_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) upstream_model!: string | null;
  @ApiProperty({ example: 'openai.chat' }) protocol!: string;
  @ApiProperty() status!: number;
  @ApiProperty({ enum: ['success', 'upstream_error', 'client_abort', 'gateway_error'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) error_code!: string | null;
  @ApiProperty() stream!: boolean;
  @ApiProperty() usage!: {
    input_tokens: number;
    cached_input_tokens: number;
    cache_write_tokens: number;
    output_tokens: number;
    reasoning_tokens: number;
    estimated: boolean;
  };
  @ApiProperty({ example: '0.000430', description: 'What the tenant is charged, USD' }) price_usd!: string;
  @ApiProperty({ example: '0.000344', description: 'What the upstream charges, USD' }) cost_usd!: string;
  @ApiProperty() latency_ms!: number;
  @ApiProperty({ nullable: true, type: Number }) ttfb_ms!: number | null;
  @ApiProperty() started_at!: string;
}

export function requestLogView(event: UsageEventEntity): RequestLogView {
  return {
    request_id: event.requestId,
    object: 'request',
    tenant_id: event.tenantId,
    key_id: event.apiKeyId,
    model: event.model,
    provider_id: event.providerId,
    upstream_model: event.upstreamModel,
    protocol: event.protocol,
    status: event.status,
    outcome: event.outcome,
    error_code: event.errorCode,
    stream: event.stream,
    usage: {
      input_tokens: event.inputTokens,
      cached_input_tokens: event.cachedInputTokens,
      cache_write_tokens: event.cacheWriteTokens,
      output_tokens: event.outputTokens,
      reasoning_tokens: event.reasoningTokens,
      estimated: event.usageEstimated,
    },
    price_usd: formatUsd(event.priceNanoUsd),
    cost_usd: formatUsd(event.costNanoUsd),
    latency_ms: event.latencyMs,
    ttfb_ms: event.ttfbMs,
    started_at: event.startedAt.toISOString(),
  };
}

/** Flat rows for CSV/JSONL exports; money stays exact as nano-USD integers. */
export function requestLogRow(event: UsageEventEntity): Record<string, unknown> {
  return {
    request_id: event.requestId,
    started_at: event.startedAt.toISOString(),
    tenant_id: event.tenantId,
    key_id: event.apiKeyId,
    model: event.model,
    provider_id: event.providerId,
    upstream_model: event.upstreamModel,
    protocol: event.protocol,
    status: event.status,
    outcome: event.outcome,
    error_code: event.errorCode,
    stream: event.stream,
    input_tokens: event.inputTokens,
    cached_input_tokens: event.cachedInputTokens,
    cache_write_tokens: event.cacheWriteTokens,
    output_tokens: event.outputTokens,
    reasoning_tokens: event.reasoningTokens,
    usage_estimated: event.usageEstimated,
    price_nano_usd: event.priceNanoUsd.toString(),
    cost_nano_usd: event.costNanoUsd.toString(),
    latency_ms: event.latencyMs,
    ttfb_ms: event.ttfbMs,
  };
}

export const REQUEST_COLUMNS = [
  'request_id',
  'started_at',
  'tenant_id',
  'key_id',
  'model',
  'provider_id',
  'upstream_model',
  'protocol',
  'status',
  'outcome',
  'error_code',
  'stream',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'usage_estimated',
  'price_nano_usd',
  'cost_nano_usd',
  'latency_ms',
  'ttfb_ms',
] as const;
