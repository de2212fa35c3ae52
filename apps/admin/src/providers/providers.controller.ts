import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProviderId } from '@switchyard/common';
import { ProviderService } from '@switchyard/catalog';
import { PlatformRead, PlatformWrite } from '../auth/access';
import { allView, ListView } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import { CreateProviderBody, ProviderView, providerView } from './provider.dto';

@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProviderService) {}

  @Post()
  @PlatformWrite()
  @ApiCreatedResponse({ type: ProviderView })
  async create(@Body() body: CreateProviderBody): Promise<ProviderView> {
    return providerView(
      await this.providers.create({
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
  async list(): Promise<ListView<ProviderView>> {
    return allView((await this.providers.list()).map(providerView));
  }

  @Get(':id')
  @PlatformRead()
  @ApiOkResponse({ type: ProviderView })
  async get(@Param('id', uuidParam('provider')) id: string): Promise<ProviderView> {
    return providerView(await this.providers.get(id as ProviderId));
  }
}
