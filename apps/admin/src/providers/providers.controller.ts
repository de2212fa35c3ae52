import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProviderId } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { ProviderService } from '@switchyard/catalog';
import { CallerParam } from '../auth/caller.decorator';
import { PlatformRead, PlatformWrite } from '../auth/access';
import { allView, ListView, ApiList } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import { CreateProviderBody, ProviderView, providerView, UpdateProviderBody } from './provider.dto';

@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProviderService) {}

  @Post()
  @PlatformWrite()
  @ApiCreatedResponse({ type: ProviderView })
  async create(@CallerParam() caller: Caller, @Body() body: CreateProviderBody): Promise<ProviderView> {
    return providerView(
      await this.providers.create(caller, {
        name: body.name,
        kind: body.kind,
        baseUrl: body.base_url,
        apiKey: body.api_key,
        profile: body.profile,
      }),
    );
  }

  @Get()
  @PlatformRead()
  @ApiList(ProviderView)
  async list(): Promise<ListView<ProviderView>> {
    return allView((await this.providers.list()).map(providerView));
  }

  @Get(':id')
  @PlatformRead()
  @ApiOkResponse({ type: ProviderView })
  async get(@Param('id', uuidParam('provider')) id: string): Promise<ProviderView> {
    return providerView(await this.providers.get(id as ProviderId));
  }

  /** Rename, move (base_url), change profile, disable or re-enable; gateways follow within a second. */
  @Patch(':id')
  @PlatformWrite()
  @ApiOkResponse({ type: ProviderView })
  async update(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('provider')) id: string,
    @Body() body: UpdateProviderBody,
  ): Promise<ProviderView> {
    return providerView(
      await this.providers.update(caller, id as ProviderId, {
        name: body.name,
        baseUrl: body.base_url,
        profile: body.profile,
        status: body.status,
      }),
    );
  }
}
