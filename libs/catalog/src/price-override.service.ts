import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, formatUsd, JsonObject, ModelId, TenantId, TokenPrices } from '@switchyard/common';
import { AuditService, Caller } from '@switchyard/audit';
import { inScope, ModelEntity, TenantEntity, TenantPriceOverrideEntity } from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';

export interface PriceOverride {
  override: TenantPriceOverrideEntity;
  model: ModelEntity;
}

/**
 * Tenant-specific sell prices for one model, which win over list price and tenant markup.
 * Set by the platform; a tenant may read its own.
 */
@Injectable()
export class PriceOverrideService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly invalidations: InvalidationBus,
  ) {}

  async set(
    caller: Caller,
    tenantId: TenantId,
    modelId: ModelId,
    prices: TokenPrices,
  ): Promise<PriceOverride> {
    const result = await this.db.transaction(async (tx) => {
      const model = await this.assertBoth(tx, tenantId, modelId);
      const existing = await tx.findOneBy(TenantPriceOverrideEntity, { tenantId, modelId });
      const before = existing ? pricesSnapshot(existing) : null;
      const override = existing ?? tx.create(TenantPriceOverrideEntity, { tenantId, modelId });
      Object.assign(override, {
        inputPrice: prices.input,
        cachedInputPrice: prices.cachedInput,
        cacheWritePrice: prices.cacheWrite,
        outputPrice: prices.output,
      });
      const saved = await tx.save(override);
      await this.audit.record(tx, {
        tenantId,
        actor: caller.actor,
        action: 'price_override.set',
        targetType: 'model',
        targetId: modelId,
        before,
        after: { model: model.name, ...pricesSnapshot(saved) },
        origin: caller.origin,
      });
      return { override: saved, model };
    });
    await this.invalidations.publish({ kind: 'catalog' });
    return result;
  }

  async list(caller: Caller, tenantId: TenantId): Promise<PriceOverride[]> {
    if (
      !inScope(caller.scope, tenantId) ||
      !(await this.db.getRepository(TenantEntity).existsBy({ id: tenantId }))
    ) {
      throw new DomainError('not_found', 'tenant not found');
    }
    const overrides = await this.db
      .getRepository(TenantPriceOverrideEntity)
      .find({ where: { tenantId }, order: { createdAt: 'ASC' } });
    const models = new Map(
      (
        await this.db
          .getRepository(ModelEntity)
          .findBy(overrides.map((override) => ({ id: override.modelId })))
      ).map((model) => [model.id, model]),
    );
    return overrides.flatMap((override) => {
      const model = models.get(override.modelId);
      return model ? [{ override, model }] : [];
    });
  }

  async remove(caller: Caller, tenantId: TenantId, modelId: ModelId): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.assertBoth(tx, tenantId, modelId);
      const existing = await tx.findOneBy(TenantPriceOverrideEntity, { tenantId, modelId });
      if (!existing) throw new DomainError('not_found', 'this tenant has no price override for this model');
      await tx.delete(TenantPriceOverrideEntity, { id: existing.id });
      await this.audit.record(tx, {
        tenantId,
        actor: caller.actor,
        action: 'price_override.delete',
        targetType: 'model',
        targetId: modelId,
        before: pricesSnapshot(existing),
        after: null,
        origin: caller.origin,
      });
    });
    await this.invalidations.publish({ kind: 'catalog' });
  }

  private async assertBoth(tx: EntityManager, tenantId: TenantId, modelId: ModelId): Promise<ModelEntity> {
    if (!(await tx.existsBy(TenantEntity, { id: tenantId })))
      throw new DomainError('not_found', 'tenant not found');
    const model = await tx.findOneBy(ModelEntity, { id: modelId });
    if (!model) throw new DomainError('not_found', 'model not found');
    return model;
  }
}

function pricesSnapshot(override: TenantPriceOverrideEntity): JsonObject {
  return {
    input: formatUsd(override.inputPrice),
    cached_input: formatUsd(override.cachedInputPrice),
    cache_write: formatUsd(override.cacheWritePrice),
    output: formatUsd(override.outputPrice),
  };
}
