import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CredentialId, nanoUsd, ProviderId, TokenPrices } from '@switchyard/common';
import { KeyRing } from '@switchyard/crypto';
import {
  ModelDeploymentEntity,
  ModelEntity,
  ProviderCredentialEntity,
  ProviderEntity,
  TenantPriceOverrideEntity,
} from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';
import {
  CatalogDeployment,
  CatalogModel,
  CatalogSnapshot,
  overrideKey,
  UpstreamAccount,
} from './catalog-snapshot';
import { credentialAad } from './provider.service';

/** Safety net for a missed invalidation: the snapshot is rebuilt at least this often. */
const REFRESH_EVERY_MS = 30_000;

/**
 * Holds the gateway's in-memory catalog. Rebuilt on start, on every `catalog` invalidation
 * (coalesced: one rebuild at a time, one more if something changed meanwhile) and periodically.
 */
@Injectable()
export class CatalogService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(CatalogService.name);
  private current = CatalogSnapshot.empty();
  private rebuilding: Promise<void> | null = null;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keyRing: KeyRing,
    private readonly invalidations: InvalidationBus,
  ) {}

  get snapshot(): CatalogSnapshot {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    this.invalidations.subscribe((message) => {
      if (message.kind === 'catalog' || message.kind === 'all') void this.refresh();
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Resolves when no rebuild is in flight (at once, usually). */
  settled(): Promise<void> {
    return this.rebuilding ?? Promise.resolve();
  }

  get rebuildInFlight(): boolean {
    return this.rebuilding !== null;
  }

  /** Rebuilds the snapshot; resolves once a snapshot at least as new as this call is live. */
  refresh(): Promise<void> {
    if (this.rebuilding) {
      this.dirty = true;
      return this.rebuilding;
    }
    this.rebuilding = (async () => {
      do {
        this.dirty = false;
        try {
          this.current = await this.build();
        } catch (error) {
          this.log.error(
            { err: (error as Error).message },
            'catalog rebuild failed; serving the previous snapshot',
          );
        }
      } while (this.dirty);
    })().finally(() => (this.rebuilding = null));
    return this.rebuilding;
  }

  private async build(): Promise<CatalogSnapshot> {
    const [providers, credentials, models, deployments, overrides] = await Promise.all([
      this.db.getRepository(ProviderEntity).findBy({ status: 'active' }),
      this.db
        .getRepository(ProviderCredentialEntity)
        .find({ where: { status: 'active' }, order: { createdAt: 'ASC' } }),
      this.db.getRepository(ModelEntity).findBy({ status: 'active' }),
      this.db
        .getRepository(ModelDeploymentEntity)
        .find({ where: { status: 'active' }, order: { priority: 'ASC', createdAt: 'ASC' } }),
      this.db.getRepository(TenantPriceOverrideEntity).find(),
    ]);

    const secretsByProvider = new Map<ProviderId, { id: CredentialId; secret: string }[]>();
    for (const credential of credentials) {
      try {
        const secret = this.keyRing.open(credential, credentialAad(credential.providerId));
        const list = secretsByProvider.get(credential.providerId) ?? [];
        list.push({ id: credential.id, secret });
        secretsByProvider.set(credential.providerId, list);
      } catch (error) {
        this.log.error(
          { credentialId: credential.id, err: (error as Error).message },
          'skipping a credential that cannot be decrypted',
        );
      }
    }
    const accounts = new Map<ProviderId, UpstreamAccount>();
    for (const provider of providers) {
      const providerCredentials = secretsByProvider.get(provider.id);
      if (!providerCredentials) continue;
      accounts.set(provider.id, {
        id: provider.id,
        name: provider.name,
        kind: provider.kind,
        profile: provider.profile,
        baseUrl: provider.baseUrl,
        credentials: providerCredentials,
      });
    }

    const deploymentsByModel = new Map<string, CatalogDeployment[]>();
    for (const deployment of deployments) {
      const provider = accounts.get(deployment.providerId);
      if (!provider) continue;
      const list = deploymentsByModel.get(deployment.modelId) ?? [];
      list.push({
        id: deployment.id,
        upstreamModel: deployment.upstreamModel,
        priority: deployment.priority,
        weight: deployment.weight,
        costs: {
          input: deployment.inputCost,
          cachedInput: deployment.cachedInputCost,
          cacheWrite: deployment.cacheWriteCost,
          output: deployment.outputCost,
        },
        provider,
      });
      deploymentsByModel.set(deployment.modelId, list);
    }

    const catalogModels: CatalogModel[] = models.map((model) => ({
      id: model.id,
      name: model.name,
      ownedBy: model.ownedBy,
      public: model.public,
      createdAt: model.createdAt,
      contextWindow: model.contextWindow,
      capabilities: model.capabilities,
      prices: {
        input: model.inputPrice,
        cachedInput: model.cachedInputPrice,
        cacheWrite: model.cacheWritePrice,
        output: model.outputPrice,
      },
      droppableParams: new Set(model.droppableParams),
      deployments: deploymentsByModel.get(model.id) ?? [],
    }));
    const aliases = new Map<string, CatalogModel>();
    catalogModels.forEach((catalogModel, i) => {
      for (const alias of models[i].aliases) aliases.set(alias, catalogModel);
    });
    const overridePrices = new Map<string, TokenPrices>();
    for (const override of overrides) {
      overridePrices.set(overrideKey(override.tenantId, override.modelId), {
        input: nanoUsd(override.inputPrice),
        cachedInput: nanoUsd(override.cachedInputPrice),
        cacheWrite: nanoUsd(override.cacheWritePrice),
        output: nanoUsd(override.outputPrice),
      });
    }
    return new CatalogSnapshot(catalogModels, aliases, overridePrices);
  }
}
