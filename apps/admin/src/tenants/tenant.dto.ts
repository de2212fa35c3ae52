import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { JsonObject } from '@switchyard/common';
import { BillingMode, TenantEntity, TenantStatus } from '@switchyard/database';
import { PageQuery } from '../common/page.dto';

export class CreateTenantBody {
  @ApiProperty({ example: 'Acme Corp' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: ['prepaid', 'postpaid'], default: 'postpaid' })
  @IsOptional()
  @IsIn(['prepaid', 'postpaid'])
  billing_mode?: BillingMode;

  @ApiPropertyOptional({
    example: 0,
    description: 'Markup (+) or discount (-) on list prices, in basis points',
  })
  @IsOptional()
  @IsInt()
  @Min(-10_000)
  @Max(100_000)
  price_adjustment_bps?: number;

  @ApiPropertyOptional({ example: { crm_id: 'A-1042' } })
  @IsOptional()
  @IsObject()
  metadata?: JsonObject;
}

export class UpdateTenantBody {
  @ApiPropertyOptional({ example: 'Acme Corporation' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    enum: ['active', 'suspended'],
    description: "Suspended tenants' keys are refused within a second",
  })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: TenantStatus;

  @ApiPropertyOptional({ enum: ['prepaid', 'postpaid'] })
  @IsOptional()
  @IsIn(['prepaid', 'postpaid'])
  billing_mode?: BillingMode;

  @ApiPropertyOptional({
    example: 1500,
    description: 'Markup (+) or discount (-) on list prices, in basis points (1500 = +15 %)',
  })
  @IsOptional()
  @IsInt()
  @Min(-10_000)
  @Max(100_000)
  price_adjustment_bps?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsObject()
  metadata?: JsonObject;
}

export class TenantListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: TenantStatus;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class TenantView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'tenant' }) object!: 'tenant';
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: TenantStatus;
  @ApiProperty({ enum: ['prepaid', 'postpaid'] }) billing_mode!: BillingMode;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'Markup (+) or discount (-) on list prices, basis points' })
  price_adjustment_bps!: number;
  @ApiProperty() metadata!: JsonObject;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export function tenantView(tenant: TenantEntity): TenantView {
  return {
    id: tenant.id,
    object: 'tenant',
    name: tenant.name,
    status: tenant.status,
    billing_mode: tenant.billingMode,
    currency: tenant.currency,
    price_adjustment_bps: tenant.priceAdjustmentBps,
    metadata: tenant.metadata,
    created_at: tenant.createdAt.toISOString(),
    updated_at: tenant.updatedAt.toISOString(),
  };
}
