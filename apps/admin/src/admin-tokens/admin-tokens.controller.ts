import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminPrincipalId, TenantId } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { AdminPrincipalService } from '@switchyard/tenants';
import { CanRead, OwnersOnly, PlatformRead } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { allView, ListView, ApiList } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import {
  adminTokenView,
  AdminTokenView,
  CreateAdminTokenBody,
  CreatedAdminTokenView,
} from './admin-token.dto';

@ApiTags('admin tokens')
@ApiBearerAuth()
@Controller()
export class AdminTokensController {
  constructor(private readonly principals: AdminPrincipalService) {}

  @Post('admin-tokens')
  @OwnersOnly()
  @ApiCreatedResponse({
    type: CreatedAdminTokenView,
    description: 'A platform token; the plaintext is in this response only.',
  })
  async createPlatform(
    @CallerParam() caller: Caller,
    @Body() body: CreateAdminTokenBody,
  ): Promise<CreatedAdminTokenView> {
    const issued = await this.principals.issue(caller, null, body);
    return { ...adminTokenView(issued.principal), token: issued.token };
  }

  @Get('admin-tokens')
  @PlatformRead()
  @ApiList(AdminTokenView)
  async listPlatform(@CallerParam() caller: Caller): Promise<ListView<AdminTokenView>> {
    return allView((await this.principals.list(caller, null)).map(adminTokenView));
  }

  @Post('tenants/:tenantId/admin-tokens')
  @OwnersOnly()
  @ApiCreatedResponse({
    type: CreatedAdminTokenView,
    description: 'A token scoped to the tenant; the plaintext is in this response only.',
  })
  async createTenant(
    @CallerParam() caller: Caller,
    @Param('tenantId', uuidParam('tenant')) tenantId: string,
    @Body() body: CreateAdminTokenBody,
  ): Promise<CreatedAdminTokenView> {
    const issued = await this.principals.issue(caller, tenantId as TenantId, body);
    return { ...adminTokenView(issued.principal), token: issued.token };
  }

  @Get('tenants/:tenantId/admin-tokens')
  @CanRead()
  @ApiList(AdminTokenView)
  async listTenant(
    @CallerParam() caller: Caller,
    @Param('tenantId', uuidParam('tenant')) tenantId: string,
  ): Promise<ListView<AdminTokenView>> {
    return allView((await this.principals.list(caller, tenantId as TenantId)).map(adminTokenView));
  }

  @Delete('admin-tokens/:id')
  @OwnersOnly()
  @HttpCode(200)
  @ApiOkResponse({ type: AdminTokenView })
  async revoke(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('admin token')) id: string,
  ): Promise<AdminTokenView> {
    return adminTokenView(await this.principals.revoke(caller, id as AdminPrincipalId));
  }
}
