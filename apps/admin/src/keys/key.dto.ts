import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { formatUsd, JsonObject } from '@switchyard/common';
import { ApiKeyEntity } from '@switchyard/database';

export class CreateKeyBody {
  @ApiProperty({ example: 'production backend' })
  @IsString() @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true })
  expires_at?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsObject()
  metadata?: JsonObject;
}

export class KeyView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'api_key' }) object!: 'api_key';
  @ApiProperty() tenant_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'sk-sy-AbCd', description: 'Display prefix; the key itself is never shown again' }) prefix!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: string;
  @ApiProperty({ nullable: true, type: [String] }) allowed_models!: string[] | null;
  @ApiProperty({ nullable: true, type: Number }) rpm!: number | null;
  @ApiProperty({ nullable: true, type: Number }) tpm!: number | null;
  @ApiProperty({ nullable: true, type: Number }) max_concurrency!: number | null;
  @ApiProperty({ nullable: true }) budget!: { amount_usd: string; period: string } | null;
  @ApiProperty({ nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty() metadata!: JsonObject;
  @ApiProperty() created_at!: string;
}

export class CreatedKeyView extends KeyView {
  @ApiProperty({ example: 'sk-sy-…', description: 'The plaintext key. Returned only in this response.' }) key!: string;
}

export function keyView(key: ApiKeyEntity): KeyView {
  return {
    id: key.id,
    object: 'api_key',
    tenant_id: key.tenantId,
    name: key.name,
    prefix: key.prefix,
    status: key.status,
    allowed_models: key.allowedModels,
    rpm: key.rpm,
    tpm: key.tpm,
    max_concurrency: key.maxConcurrency,
    budget: key.budgetNanoUsd !== null && key.budgetPeriod !== null ? { amount_usd: formatUsd(key.budgetNanoUsd), period: key.budgetPeriod } : null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    metadata: key.metadata,
    created_at: key.createdAt.toISOString(),
  };
}
