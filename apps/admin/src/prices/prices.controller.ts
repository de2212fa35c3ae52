import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { formatUsd, ModelId, TenantId } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { PriceOverride, PriceOverrideService, readPrices } from '@switchyard/catalog';
import { CanRead, PlatformWrite } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { allView, ListView, ApiList } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import { PricesBody, PricesView } from '../models/model.dto';

class PriceOverrideView {
  @ApiProperty() model_id!: string;
  @ApiProperty({ example: 'gpt-4o' }) model!: string;
  @ApiProperty({ type: PricesView, description: 'USD per 1M tokens; wins over list price and tenant markup' })
  prices!: PricesView;
  @ApiProperty() created_at!: string;
}

function overrideView({ override, model }: PriceOverride): PriceOverrideView {
  return {
    model_id: model.id,
    model: model.name,
    prices: {
      input: formatUsd(override.inputPrice),
      cached_input: formatUsd(override.cachedInputPrice),
      cache_write: formatUsd(override.cacheWritePrice),
      output: formatUsd(override.outputPrice),
    },
    created_at: override.createdAt.toISOString(),
  };
}

/** Per-tenant sell prices: set by the platform, readable by the tenant. */
@ApiTags('pricing')
@ApiBearerAuth()
@Controller('tenants/:tenantId/prices')
export class PricesController {
  constructor(private readonly overrides: PriceOverrideService) {}

  @Get()
  @CanRead()
  @ApiList(PriceOverrideView)
  async list(
    @CallerParam() caller: Caller,
    @Param('tenantId', uuidParam('tenant')) tenantId: string,
  ): Promise<ListView<PriceOverrideView>> {
    return allView((await this.overrides.list(caller, tenantId as TenantId)).map(overrideView));
  }

  @Put(':modelId')
  @PlatformWrite()
  @ApiOkResponse({ type: PriceOverrideView })
  async set(
    @CallerParam() caller: Caller,
    @Param('tenantId', uuidParam('tenant')) tenantId: string,
    @Param('modelId', uuidParam('model')) modelId: string,
    @Body() body: PricesBody,
  ): Promise<PriceOverrideView> {
    return overrideView(
      await this.overrides.set(caller, tenantId as TenantId, modelId as ModelId, readPrices(body, 'prices')),
    );
  }

  @Delete(':modelId')
  @PlatformWrite()
  @HttpCode(204)
  async remove(
    @CallerParam() caller: Caller,
    @Param('tenantId', uuidParam('tenant')) tenantId: string,
    @Param('modelId', uuidParam('model')) modelId: string,
  ): Promise<void> {
    await this.overrides.remove(caller, tenantId as TenantId, modelId as ModelId);
  }
}
