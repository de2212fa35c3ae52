import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyId, TenantId } from '@switchyard/common';
import { ApiKeyService } from '@switchyard/keys';
import { ListView, listView, PageQuery } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import { CreatedKeyView, CreateKeyBody, KeyView, keyView } from './key.dto';

@ApiTags('keys')
@ApiBearerAuth()
@Controller()
export class KeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post('tenants/:tenantId/keys')
  @ApiCreatedResponse({ type: CreatedKeyView, description: 'The plaintext `key` is in this response only.' })
  async create(@Param('tenantId', uuidParam('tenant')) tenantId: string, @Body() body: CreateKeyBody): Promise<CreatedKeyView> {
    const issued = await this.keys.issue(tenantId as TenantId, {
      name: body.name,
      metadata: body.metadata,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    return { ...keyView(issued.key), key: issued.secret };
  }

  @Get('tenants/:tenantId/keys')
  async list(@Param('tenantId', uuidParam('tenant')) tenantId: string, @Query() query: PageQuery): Promise<ListView<KeyView>> {
    return listView(await this.keys.list(tenantId as TenantId, query), keyView);
  }

  @Get('keys/:id')
  @ApiOkResponse({ type: KeyView })
  async get(@Param('id', uuidParam('key')) id: string): Promise<KeyView> {
    return keyView(await this.keys.get(id as ApiKeyId));
  }

  @Delete('keys/:id')
  @HttpCode(200)
  @ApiOkResponse({ type: KeyView, description: 'The key, now revoked; every gateway refuses it within a second.' })
  async revoke(@Param('id', uuidParam('key')) id: string): Promise<KeyView> {
    return keyView(await this.keys.revoke(id as ApiKeyId));
  }
}
