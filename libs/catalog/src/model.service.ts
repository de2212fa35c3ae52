import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError, JsonObject, ModelId, ProviderId, TokenPrices } from '@switchyard/common';
import { isUniqueViolation, ModelDeploymentEntity, ModelEntity } from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';
import { ProviderService } from './provider.service';

export interface DeploymentInput {
  providerId: ProviderId;
  upstreamModel: string;
  priority: number;
  weight: number;
  /** What this upstream charges us; defaults to the model's costs. */
  costs?: TokenPrices;
}

export interface ModelInput {
  name: string;
  aliases?: string[];
  ownedBy?: string | null;
  contextWindow?: number | null;
  capabilities?: JsonObject;
  /** Request parameters the gateway may drop instead of refusing (docs/compatibility.md). */
  droppableParams?: string[];
  prices: TokenPrices;
  /** Upstream costs for deployments without their own; default to the sell prices (zero margin, never an invented one). */
  costs?: TokenPrices;
  deployments: DeploymentInput[];
}

export interface ModelWithDeployments {
  model: ModelEntity;
  deployments: ModelDeploymentEntity[];
}

/** The public model catalog: names, aliases, sell prices and where each model is deployed. */
@Injectable()
export class ModelService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ModelEntity) private readonly models: Repository<ModelEntity>,
    @InjectRepository(ModelDeploymentEntity) private readonly deployments: Repository<ModelDeploymentEntity>,
    private readonly providers: ProviderService,
    private readonly invalidations: InvalidationBus,
  ) {}

  async create(input: ModelInput): Promise<ModelWithDeployments> {
    await this.assertProvidersExist(input.deployments);
    let created: ModelWithDeployments;
    try {
      created = await this.db.transaction(async (tx) => {
        await this.assertNamesFree(tx, input, null);
        return this.write(tx, tx.create(ModelEntity), input);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'models_name_uq')) throw nameTaken(input.name);
      throw error;
    }
    await this.invalidations.publish({ kind: 'catalog' });
    return created;
  }

  /** Creates or replaces a model by name (declarative start). Runs in the caller's transaction. */
  async upsertByName(tx: EntityManager, input: ModelInput): Promise<ModelWithDeployments> {
    const existing = await tx.findOneBy(ModelEntity, { name: input.name });
    await this.assertNamesFree(tx, input, existing?.id ?? null);
    if (existing) await tx.delete(ModelDeploymentEntity, { modelId: existing.id });
    return this.write(tx, existing ?? tx.create(ModelEntity), input);
  }

  async list(): Promise<ModelWithDeployments[]> {
    const models = await this.models.find({ order: { name: 'ASC' } });
    const deployments = models.length
      ? await this.deployments.find({
          where: { modelId: In(models.map((m) => m.id)) },
          order: { priority: 'ASC', createdAt: 'ASC' },
        })
      : [];
    return models.map((model) => ({ model, deployments: deployments.filter((d) => d.modelId === model.id) }));
  }

  async get(modelId: ModelId): Promise<ModelWithDeployments> {
    const model = await this.models.findOneBy({ id: modelId });
    if (!model) throw new DomainError('not_found', 'model not found');
    return {
      model,
      deployments: await this.deployments.find({ where: { modelId }, order: { priority: 'ASC' } }),
    };
  }

  private async write(
    tx: EntityManager,
    model: ModelEntity,
    input: ModelInput,
  ): Promise<ModelWithDeployments> {
    Object.assign(model, {
      name: input.name,
      aliases: input.aliases ?? [],
      ownedBy: input.ownedBy ?? null,
      contextWindow: input.contextWindow ?? null,
      capabilities: input.capabilities ?? {},
      droppableParams: [...new Set(input.droppableParams ?? [])],
      inputPrice: input.prices.input,
      cachedInputPrice: input.prices.cachedInput,
      cacheWritePrice: input.prices.cacheWrite,
      outputPrice: input.prices.output,
      status: 'active',
    });
    const saved = await tx.save(model);
    const modelCosts = input.costs ?? input.prices;
    const deployments = await tx.save(
      input.deployments.map((deployment) => {
        const costs = deployment.costs ?? modelCosts;
        return tx.create(ModelDeploymentEntity, {
          modelId: saved.id,
          providerId: deployment.providerId,
          upstreamModel: deployment.upstreamModel,
          priority: deployment.priority,
          weight: deployment.weight,
          status: 'active',
          inputCost: costs.input,
          cachedInputCost: costs.cachedInput,
          cacheWriteCost: costs.cacheWrite,
          outputCost: costs.output,
        });
      }),
    );
    return { model: saved, deployments };
  }

  private async assertProvidersExist(deployments: readonly DeploymentInput[]): Promise<void> {
    const known = await this.providers.existing(deployments.map((deployment) => deployment.providerId));
    const details: Record<string, string> = {};
    deployments.forEach((deployment, i) => {
      if (!known.has(deployment.providerId))
        details[`deployments[${i}].provider_id`] = 'no provider has this id';
    });
    if (Object.keys(details).length > 0)
      throw new DomainError('validation', 'a deployment refers to an unknown provider', details);
  }

  /** A name or alias must not shadow another model's name or alias. */
  private async assertNamesFree(tx: EntityManager, input: ModelInput, self: ModelId | null): Promise<void> {
    const names = [input.name, ...(input.aliases ?? [])];
    const clash = await tx
      .createQueryBuilder(ModelEntity, 'model')
      .where('(model.name = ANY(:names) OR model.aliases && :names)', { names })
      .andWhere(self ? 'model.id <> :self' : 'TRUE', { self })
      .getOne();
    if (clash) throw nameTaken(clash.name === input.name ? input.name : `${clash.name} (an alias clashes)`);
  }
}

const nameTaken = (name: string): DomainError =>
  new DomainError('conflict', `a model named "${name}" already exists`, { name: 'already exists' });
