import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DeploymentId, ModelId, ProviderId } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { ModelService, readPrices } from '@switchyard/catalog';
import { PlatformRead, PlatformWrite } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { allView, ListView, ApiList } from '../common/page.dto';
import { uuidParam } from '../common/uuid-param';
import {
  CreateModelBody,
  DeploymentBody,
  ModelView,
  modelView,
  UpdateDeploymentBody,
  UpdateModelBody,
} from './model.dto';

@ApiTags('models')
@ApiBearerAuth()
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelService) {}

  @Post()
  @PlatformWrite()
  @ApiCreatedResponse({ type: ModelView })
  async create(@CallerParam() caller: Caller, @Body() body: CreateModelBody): Promise<ModelView> {
    return modelView(
      await this.models.create(caller, {
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
  @ApiList(ModelView)
  async list(): Promise<ListView<ModelView>> {
    return allView((await this.models.list()).map(modelView));
  }

  @Get(':id')
  @PlatformRead()
  @ApiOkResponse({ type: ModelView })
  async get(@Param('id', uuidParam('model')) id: string): Promise<ModelView> {
    return modelView(await this.models.get(id as ModelId));
  }

  /** Rename, re-alias, reprice, hide or disable a model; gateways follow within a second. */
  @Patch(':id')
  @PlatformWrite()
  @ApiOkResponse({ type: ModelView })
  async update(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('model')) id: string,
    @Body() body: UpdateModelBody,
  ): Promise<ModelView> {
    return modelView(
      await this.models.update(caller, id as ModelId, {
        name: body.name,
        aliases: body.aliases,
        ownedBy: body.owned_by,
        contextWindow: body.context_window,
        capabilities: body.capabilities,
        droppableParams: body.droppable_params,
        prices: body.prices ? readPrices(body.prices, 'prices') : undefined,
        public: body.public,
        status: body.status,
      }),
    );
  }

  @Delete(':id')
  @PlatformWrite()
  @HttpCode(200)
  @ApiOkResponse({ type: ModelView, description: 'The deleted model; its usage history keeps its name' })
  async remove(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('model')) id: string,
  ): Promise<ModelView> {
    return modelView(await this.models.remove(caller, id as ModelId));
  }

  @Post(':id/deployments')
  @PlatformWrite()
  @ApiCreatedResponse({ type: ModelView })
  async addDeployment(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('model')) id: string,
    @Body() body: DeploymentBody,
  ): Promise<ModelView> {
    return modelView(
      await this.models.addDeployment(caller, id as ModelId, {
        providerId: body.provider_id as ProviderId,
        upstreamModel: body.upstream_model,
        priority: body.priority ?? 0,
        weight: body.weight ?? 1,
        costs: body.costs ? readPrices(body.costs, 'costs') : undefined,
      }),
    );
  }

  @Patch(':id/deployments/:deploymentId')
  @PlatformWrite()
  @ApiOkResponse({
    type: ModelView,
    description: 'Priority, weight, upstream model, costs, or disable a deployment',
  })
  async updateDeployment(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('model')) id: string,
    @Param('deploymentId', uuidParam('deployment')) deploymentId: string,
    @Body() body: UpdateDeploymentBody,
  ): Promise<ModelView> {
    return modelView(
      await this.models.updateDeployment(caller, id as ModelId, deploymentId as DeploymentId, {
        upstreamModel: body.upstream_model,
        priority: body.priority,
        weight: body.weight,
        status: body.status,
        costs: body.costs ? readPrices(body.costs, 'costs') : undefined,
      }),
    );
  }

  @Delete(':id/deployments/:deploymentId')
  @PlatformWrite()
  @HttpCode(200)
  @ApiOkResponse({ type: ModelView })
  async removeDeployment(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('model')) id: string,
    @Param('deploymentId', uuidParam('deployment')) deploymentId: string,
  ): Promise<ModelView> {
    return modelView(await this.models.removeDeployment(caller, id as ModelId, deploymentId as DeploymentId));
  }
}
