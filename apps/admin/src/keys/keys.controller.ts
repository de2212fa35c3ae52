import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyId, TenantId } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { ApiKeyService } from '@switchyard/keys';
import { CanRead, CanWrite } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { ListView, listView, PageQuery, ApiList } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import {
  CreatedKeyView,
  CreateKeyBody,
  keySettings,
  KeySearchQuery,
  KeyView,
  keyView,
  RotateKeyBody,
  UpdateKeyBody,
} from './key.dto';

@ApiTags('keys')
@ApiBearerAuth()
@Controller()
export class KeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post('tenants/:tenantId/keys')
  @CanWrite()
  @ApiCreatedResponse({ type: CreatedKeyView, description: 'The plaintext `key` is in this response only.' })
  async create(
    @CallerParam() caller: Caller,
    @Param('tenantId', uuidParam('tenant')) tenantId: string,
    @Body() body: CreateKeyBody,
  ): Promise<CreatedKeyView> {
    const issued = await this.keys.issue(caller, tenantId as TenantId, {
      name: body.name,
      ...keySettings(body),
    });
    return { ...keyView(issued.key), key: issued.secret };
  }

  @Get('tenants/:tenantId/keys')
  @CanRead()
  @ApiList(KeyView)
  async list(
    @CallerParam() caller: Caller,
    @Param('tenantId', uuidParam('tenant')) tenantId: string,
    @Query() query: PageQuery,
  ): Promise<ListView<KeyView>> {
    return listView(await this.keys.list(caller, tenantId as TenantId, query), keyView);
  }

  @Get('keys')
  @CanRead()
  @ApiList(KeyView)
  async search(@CallerParam() caller: Caller, @Query() query: KeySearchQuery): Promise<ListView<KeyView>> {
    return listView(
      await this.keys.search(
        caller,
        { tenantId: query.tenant_id as TenantId | undefined, status: query.status, q: query.q },
        query,
      ),
      keyView,
    );
  }

  @Get('keys/:id')
  @CanRead()
  @ApiOkResponse({ type: KeyView })
  async get(@CallerParam() caller: Caller, @Param('id', uuidParam('key')) id: string): Promise<KeyView> {
    return keyView(await this.keys.get(caller, id as ApiKeyId));
  }

  @Patch('keys/:id')
  @CanWrite()
  @ApiOkResponse({ type: KeyView, description: 'Changes reach every gateway within a second.' })
  async update(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('key')) id: string,
    @Body() body: UpdateKeyBody,
  ): Promise<KeyView> {
    return keyView(await this.keys.update(caller, id as ApiKeyId, { name: body.name, ...keySettings(body) }));
  }

  @Post('keys/:id/rotate')
  @CanWrite()
  @ApiCreatedResponse({
    type: CreatedKeyView,
    description: 'The successor key; the old one works until the grace period ends.',
  })
  async rotate(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('key')) id: string,
    @Body() body: RotateKeyBody,
  ): Promise<CreatedKeyView> {
    const issued = await this.keys.rotate(caller, id as ApiKeyId, body.grace_seconds);
    return { ...keyView(issued.key), key: issued.secret };
  }

  @Delete('keys/:id')
  @CanWrite()
  @HttpCode(200)
  @ApiOkResponse({
    type: KeyView,
    description: 'The key, now revoked; every gateway refuses it within a second.',
  })
  async revoke(@CallerParam() caller: Caller, @Param('id', uuidParam('key')) id: string): Promise<KeyView> {
    return keyView(await this.keys.revoke(caller, id as ApiKeyId));
  }
}
