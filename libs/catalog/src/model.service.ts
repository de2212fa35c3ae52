import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import {
  DeploymentId,
  DomainError,
  formatUsd,
  JsonObject,
  ModelId,
  ProviderId,
  TokenPrices,
} from '@switchyard/common';
import { AuditService, Caller } from '@switchyard/audit';
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

/** A partial update: `undefined` leaves a field as it is. */
export interface ModelPatch {
  name?: string;
  aliases?: string[];
  ownedBy?: string | null;
  contextWindow?: number | null;
  capabilities?: JsonObject;
  droppableParams?: string[];
  prices?: TokenPrices;
  public?: boolean;
  status?: 'active' | 'disabled';
}

export interface DeploymentPatch {
  upstreamModel?: string;
  priority?: number;
  weight?: number;
  status?: 'active' | 'disabled';
  costs?: TokenPrices;
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
    private readonly audit: AuditService,
  ) {}

  async create(caller: Caller, input: ModelInput): Promise<ModelWithDeployments> {
    await this.assertProvidersExist(input.deployments);
    let created: ModelWithDeployments;
    try {
      created = await this.db.transaction(async (tx) => {
        await this.assertNamesFree(tx, input.name, input.aliases ?? [], null);
        const written = await this.write(tx, tx.create(ModelEntity), input);
        await this.record(tx, caller, 'model.create', written.model.id, null, modelSnapshot(written));
        return written;
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
    await this.assertNamesFree(tx, input.name, input.aliases ?? [], existing?.id ?? null);
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

  async update(caller: Caller, modelId: ModelId, patch: ModelPatch): Promise<ModelWithDeployments> {
    const result = await this.change(caller, modelId, 'model.update', async (tx, model) => {
      if (patch.name !== undefined || patch.aliases !== undefined) {
        await this.assertNamesFree(tx, patch.name ?? model.name, patch.aliases ?? model.aliases, model.id);
      }
      if (patch.name !== undefined) model.name = patch.name;
      if (patch.aliases !== undefined) model.aliases = patch.aliases;
      if (patch.ownedBy !== undefined) model.ownedBy = patch.ownedBy;
      if (patch.contextWindow !== undefined) model.contextWindow = patch.contextWindow;
      if (patch.capabilities !== undefined) model.capabilities = patch.capabilities;
      if (patch.droppableParams !== undefined) model.droppableParams = [...new Set(patch.droppableParams)];
      if (patch.public !== undefined) model.public = patch.public;
      if (patch.status !== undefined) model.status = patch.status;
      if (patch.prices !== undefined) {
        model.inputPrice = patch.prices.input;
        model.cachedInputPrice = patch.prices.cachedInput;
        model.cacheWritePrice = patch.prices.cacheWrite;
        model.outputPrice = patch.prices.output;
      }
      await tx.save(model);
    });
    return result;
  }

  /** Deletes a model and its deployments; usage already recorded keeps the model's name. */
  async remove(caller: Caller, modelId: ModelId): Promise<ModelWithDeployments> {
    const removed = await this.db.transaction(async (tx) => {
      const current = await this.load(tx, modelId);
      await tx.delete(ModelEntity, { id: modelId });
      await this.record(tx, caller, 'model.delete', modelId, modelSnapshot(current), null);
      return current;
    });
    await this.invalidations.publish({ kind: 'catalog' });
    return removed;
  }

  async addDeployment(
    caller: Caller,
    modelId: ModelId,
    input: DeploymentInput,
  ): Promise<ModelWithDeployments> {
    await this.assertProvidersExist([input]);
    return this.change(caller, modelId, 'model.deployment.add', async (tx, model) => {
      const costs = input.costs ?? {
        input: model.inputPrice,
        cachedInput: model.cachedInputPrice,
        cacheWrite: model.cacheWritePrice,
        output: model.outputPrice,
      };
      await tx.save(this.deploymentEntity(tx, modelId, input, costs));
    });
  }

  async updateDeployment(
    caller: Caller,
    modelId: ModelId,
    deploymentId: DeploymentId,
    patch: DeploymentPatch,
  ): Promise<ModelWithDeployments> {
    return this.change(caller, modelId, 'model.deployment.update', async (tx) => {
      const deployment = await tx.findOneBy(ModelDeploymentEntity, { id: deploymentId, modelId });
      if (!deployment) throw new DomainError('not_found', 'deployment not found');
      if (patch.upstreamModel !== undefined) deployment.upstreamModel = patch.upstreamModel;
      if (patch.priority !== undefined) deployment.priority = patch.priority;
      if (patch.weight !== undefined) deployment.weight = patch.weight;
      if (patch.status !== undefined) deployment.status = patch.status;
      if (patch.costs !== undefined) {
        deployment.inputCost = patch.costs.input;
        deployment.cachedInputCost = patch.costs.cachedInput;
        deployment.cacheWriteCost = patch.costs.cacheWrite;
        deployment.outputCost = patch.costs.output;
      }
      await tx.save(deployment);
    });
  }

  async removeDeployment(
    caller: Caller,
    modelId: ModelId,
    deploymentId: DeploymentId,
  ): Promise<ModelWithDeployments> {
    return this.change(caller, modelId, 'model.deployment.delete', async (tx) => {
      const result = await tx.delete(ModelDeploymentEntity, { id: deploymentId, modelId });
      if (!result.affected) throw new DomainError('not_found', 'deployment not found');
    });
  }

  /** Loads, locks, changes and audits one model in a transaction, then tells the gateways. */
  private async change(
    caller: Caller,
    modelId: ModelId,
    action: string,
    apply: (tx: EntityManager, model: ModelEntity) => Promise<void>,
  ): Promise<ModelWithDeployments> {
    let changed: ModelWithDeployments;
    try {
      changed = await this.db.transaction(async (tx) => {
        const current = await this.load(tx, modelId);
        const before = modelSnapshot(current); // taken now: `apply` changes the entity in place
        await apply(tx, current.model);
        const after = await this.load(tx, modelId);
        await this.record(tx, caller, action, modelId, before, modelSnapshot(after));
        return after;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'models_name_uq')) throw nameTaken('that name');
      throw error;
    }
    await this.invalidations.publish({ kind: 'catalog' });
    return changed;
  }

  private async load(tx: EntityManager, modelId: ModelId): Promise<ModelWithDeployments> {
    const model = await tx.findOne(ModelEntity, {
      where: { id: modelId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!model) throw new DomainError('not_found', 'model not found');
    const deployments = await tx.find(ModelDeploymentEntity, {
      where: { modelId },
      order: { priority: 'ASC', createdAt: 'ASC' },
    });
    return { model, deployments };
  }

  private record(
    tx: EntityManager,
    caller: Caller,
    action: string,
    modelId: string,
    before: JsonObject | null,
    after: JsonObject | null,
  ): Promise<void> {
    return this.audit.record(tx, {
      tenantId: null,
      actor: caller.actor,
      action,
      targetType: 'model',
      targetId: modelId,
      before,
      after,
      origin: caller.origin,
    });
  }

  private deploymentEntity(
    tx: EntityManager,
    modelId: ModelId,
    deployment: DeploymentInput,
    costs: TokenPrices,
  ): ModelDeploymentEntity {
    return tx.create(ModelDeploymentEntity, {
      modelId,
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
      input.deployments.map((deployment) =>
        this.deploymentEntity(tx, saved.id, deployment, deployment.costs ?? modelCosts),
      ),
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
  private async assertNamesFree(
    tx: EntityManager,
    name: string,
    aliases: readonly string[],
    self: ModelId | null,
  ): Promise<void> {
    const names = [name, ...aliases];
    const clash = await tx
      .createQueryBuilder(ModelEntity, 'model')
      .where('(model.name = ANY(:names) OR model.aliases && :names)', { names })
      .andWhere(self ? 'model.id <> :self' : 'TRUE', { self })
      .getOne();
    if (clash) throw nameTaken(clash.name === name ? name : `${clash.name} (an alias clashes)`);
  }
}

/** What an audit row shows of a model: names, prices (USD strings) and deployments. */
function modelSnapshot({ model, deployments }: ModelWithDeployments): JsonObject {
  return {
    name: model.name,
    aliases: model.aliases,
    status: model.status,
    public: model.public,
    prices: {
      input: formatUsd(model.inputPrice),
      cached_input: formatUsd(model.cachedInputPrice),
      cache_write: formatUsd(model.cacheWritePrice),
      output: formatUsd(model.outputPrice),
    },
    droppable_params: model.droppableParams,
    deployments: deployments.map((deployment) => ({
      id: deployment.id,
      provider_id: deployment.providerId,
      upstream_model: deployment.upstreamModel,
      priority: deployment.priority,
      weight: deployment.weight,
      status: deployment.status,
    })),
  };
}

const nameTaken = (name: string): DomainError =>
  new DomainError('conflict', `a model named "${name}" already exists`, { name: 'already exists' });
