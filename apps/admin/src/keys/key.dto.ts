import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DomainError, formatUsd, JsonObject, parseUsd } from '@switchyard/common';
import { ApiKeyEntity, BudgetPeriod } from '@switchyard/database';
import { KeySettings } from '@switchyard/keys';
import { PageQuery } from '../common/page.dto';

export class BudgetBody {
  @ApiProperty({ example: '250.00', description: 'USD, decimal string' })
  @IsString()
  @Matches(/^\d{1,12}(\.\d{1,9})?$/, { message: 'amount_usd must be a decimal string such as "250.00"' })
  amount_usd!: string;

  @ApiProperty({ enum: ['day', 'month', 'total'] })
  @IsIn(['day', 'month', 'total'])
  period!: BudgetPeriod;
}

/** Limits shared by create and update. `null` clears a limit on update. */
export class KeySettingsBody {
  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['gpt-4o*', 'claude-*'],
    description: 'Model names or * patterns; null = all',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  allowed_models?: string[] | null;

  @ApiPropertyOptional({ nullable: true, example: 600, description: 'Requests per minute' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  rpm?: number | null;

  @ApiPropertyOptional({ nullable: true, example: 200000, description: 'Tokens per minute' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(2_000_000_000)
  tpm?: number | null;

  @ApiPropertyOptional({ nullable: true, example: 20 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(100_000)
  max_concurrency?: number | null;

  @ApiPropertyOptional({ type: BudgetBody, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @ValidateNested()
  @Type(() => BudgetBody)
  budget?: BudgetBody | null;

  @ApiPropertyOptional({ nullable: true, example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  expires_at?: string | null;

  @ApiPropertyOptional({ example: { team: 'search' } })
  @IsOptional()
  @IsObject()
  metadata?: JsonObject;
}

export class CreateKeyBody extends KeySettingsBody {
  @ApiProperty({ example: 'production backend' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class UpdateKeyBody extends KeySettingsBody {
  @ApiPropertyOptional({ example: 'renamed' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class RotateKeyBody {
  @ApiProperty({
    example: 3600,
    description: 'How long the old key keeps working (0 = stops now), at most 30 days',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  grace_seconds!: number;
}

export class KeySearchQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'tenant_id must be a uuid' })
  tenant_id?: string;

  @ApiPropertyOptional({ enum: ['active', 'revoked'] })
  @IsOptional()
  @IsIn(['active', 'revoked'])
  status?: 'active' | 'revoked';

  @ApiPropertyOptional({ description: 'Substring of the name or start of the prefix' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

/** Reads the validated body into service settings (exact money, dates). */
export function keySettings(body: KeySettingsBody): KeySettings {
  let budget: KeySettings['budget'];
  if (body.budget === null) budget = null;
  else if (body.budget !== undefined) {
    const amount = parseUsd(body.budget.amount_usd);
    if (amount === null)
      throw new DomainError('validation', 'budget.amount_usd is not a decimal', {
        'budget.amount_usd': 'must be a decimal string',
      });
    budget = { amount, period: body.budget.period };
  }
  return {
    allowedModels: body.allowed_models,
    rpm: body.rpm,
    tpm: body.tpm,
    maxConcurrency: body.max_concurrency,
    budget,
    expiresAt:
      body.expires_at === null ? null : body.expires_at === undefined ? undefined : new Date(body.expires_at),
    metadata: body.metadata,
  };
}

export class KeyView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'api_key' }) object!: 'api_key';
  @ApiProperty() tenant_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'sk-sy-AbCd', description: 'Display prefix; the key itself is never shown again' })
  prefix!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: string;
  @ApiProperty({ nullable: true, type: [String] }) allowed_models!: string[] | null;
  @ApiProperty({ nullable: true, type: Number }) rpm!: number | null;
  @ApiProperty({ nullable: true, type: Number }) tpm!: number | null;
  @ApiProperty({ nullable: true, type: Number }) max_concurrency!: number | null;
  @ApiProperty({ nullable: true, type: BudgetBody }) budget!: { amount_usd: string; period: string } | null;
  @ApiProperty({ nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Set once rotated: the successor key' })
  rotated_to_id!: string | null;
  @ApiProperty() metadata!: JsonObject;
  @ApiProperty() created_at!: string;
}

export class CreatedKeyView extends KeyView {
  @ApiProperty({ example: 'sk-sy-…', description: 'The plaintext key. Returned only in this response.' })
  key!: string;
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
    budget:
      key.budgetNanoUsd !== null && key.budgetPeriod !== null
        ? { amount_usd: formatUsd(key.budgetNanoUsd), period: key.budgetPeriod }
        : null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    rotated_to_id: key.rotatedToId,
    metadata: key.metadata,
    created_at: key.createdAt.toISOString(),
  };
}
