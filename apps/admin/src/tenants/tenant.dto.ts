import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { JsonObject } from '@switchyard/common';
import { BillingMode, TenantEntity, TenantStatus } from '@switchyard/database';
import { PageQuery } from '../common/page.dto';

export class CreateTenantBody {
  @ApiProperty({ example: 'Acme Corp' })
  @IsString() @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: ['prepaid', 'postpaid'], default: 'postpaid' })
  @IsOptional() @IsIn(['prepaid', 'postpaid'])
  billing_mode?: BillingMode;

  @ApiPropertyOptional({ example: { crm_id: 'A-1042' } })
  @IsOptional() @IsObject()
  metadata?: JsonObject;
}

export class TenantListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional() @IsIn(['active', 'suspended'])
  status?: TenantStatus;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name' })
  @IsOptional() @IsString() @Length(1, 200)
  name?: string;
}

export class TenantView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'tenant' }) object!: 'tenant';
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: TenantStatus;
  @ApiProperty({ enum: ['prepaid', 'postpaid'] }) billing_mode!: BillingMode;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'Markup (+) or discount (-) on list prices, basis points' }) price_adjustment_bps!: number;
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
