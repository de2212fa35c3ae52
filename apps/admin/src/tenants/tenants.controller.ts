import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TenantId } from '@switchyard/common';
import { TenantService } from '@switchyard/tenants';
import { ListView, listView } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import { CreateTenantBody, TenantListQuery, TenantView, tenantView } from './tenant.dto';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantService) {}

  @Post()
  @ApiCreatedResponse({ type: TenantView })
  async create(@Body() body: CreateTenantBody): Promise<TenantView> {
    return tenantView(await this.tenants.create({ name: body.name, billingMode: body.billing_mode, metadata: body.metadata }));
  }

  @Get()
  async list(@Query() query: TenantListQuery): Promise<ListView<TenantView>> {
    return listView(await this.tenants.list({ status: query.status, name: query.name }, query), tenantView);
  }

  @Get(':id')
  @ApiOkResponse({ type: TenantView })
  async get(@Param('id', uuidParam('tenant')) id: string): Promise<TenantView> {
    return tenantView(await this.tenants.get(id as TenantId));
  }
}
