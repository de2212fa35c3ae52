import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ModelId, ProviderId } from '@switchyard/common';
import { ModelService, readPrices } from '@switchyard/catalog';
import { PlatformRead, PlatformWrite } from '../auth/access';
import { allView, ListView } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import { CreateModelBody, ModelView, modelView } from './model.dto';

@ApiTags('models')
@ApiBearerAuth()
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelService) {}

  @Post()
  @PlatformWrite()
  @ApiCreatedResponse({ type: ModelView })
  async create(@Body() body: CreateModelBody): Promise<ModelView> {
    return modelView(
      await this.models.create({
        name: body.name,
        aliases: body.aliases,
        ownedBy: body.owned_by ?? null,
        contextWindow: body.context_window ?? null,
        capabilities: body.capabilities,
        droppableParams: body.droppable_params,
        prices: readPrices(body.prices, 'prices'),
        costs: body.costs ? readPrices(body.costs, 'costs') : undefined,
        deployments: body.deployments.map((deployment, i) => ({
          providerId: deployment.provider_id as ProviderId,
          upstreamModel: deployment.upstream_model,
          priority: deployment.priority ?? 0,
          weight: deployment.weight ?? 1,
          costs: deployment.costs ? readPrices(deployment.costs, `deployments[${i}].costs`) : undefined,
        })),
      }),
    );
  }

  @Get()
  @PlatformRead()
  async list(): Promise<ListView<ModelView>> {
    return allView((await this.models.list()).map(modelView));
  }

  @Get(':id')
  @PlatformRead()
  @ApiOkResponse({ type: ModelView })
  async get(@Param('id', uuidParam('model')) id: string): Promise<ModelView> {
    return modelView(await this.models.get(id as ModelId));
  }
}
