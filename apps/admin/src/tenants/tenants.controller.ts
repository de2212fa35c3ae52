import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TenantId } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { TenantService } from '@switchyard/tenants';
import { CanRead, CanWrite, PlatformWrite } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { ListView, listView, ApiList } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import { CreateTenantBody, TenantListQuery, TenantView, tenantView, UpdateTenantBody } from './tenant.dto';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantService) {}

  @Post()
  @PlatformWrite()
  @ApiCreatedResponse({ type: TenantView })
  async create(@CallerParam() caller: Caller, @Body() body: CreateTenantBody): Promise<TenantView> {
    return tenantView(
      await this.tenants.create(caller, {
        name: body.name,
        billingMode: body.billing_mode,
        priceAdjustmentBps: body.price_adjustment_bps,
        metadata: body.metadata,
      }),
    );
  }

  /** Platform admins list every tenant; a tenant token lists only its own. */
  @Get()
  @CanRead()
  @ApiList(TenantView)
  async list(@CallerParam() caller: Caller, @Query() query: TenantListQuery): Promise<ListView<TenantView>> {
    return listView(
      await this.tenants.list(caller, { status: query.status, name: query.name }, query),
      tenantView,
    );
  }

  @Get(':id')
  @CanRead()
  @ApiOkResponse({ type: TenantView })
  async get(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('tenant')) id: string,
  ): Promise<TenantView> {
    return tenantView(await this.tenants.get(caller, id as TenantId));
  }

  /** Rename, suspend or reactivate, change billing mode or markup. Status and pricing are the platform's. */
  @Patch(':id')
  @CanWrite()
  @ApiOkResponse({ type: TenantView })
  async update(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('tenant')) id: string,
    @Body() body: UpdateTenantBody,
  ): Promise<TenantView> {
    return tenantView(
      await this.tenants.update(caller, id as TenantId, {
        name: body.name,
        status: body.status,
        billingMode: body.billing_mode,
        priceAdjustmentBps: body.price_adjustment_bps,
        metadata: body.metadata,
      }),
    );
  }
}
