import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ProviderId } from '@switchyard/common';
import { AppConfig, DeclaredModel, DeclaredProvider } from '@switchyard/config';
import { PROVIDER_KINDS, ProviderEntity, ProviderKind } from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';
import { AuditService, SYSTEM_ACTOR } from '@switchyard/audit';
import { defaultCatalog } from './default-catalog';
import { ModelService } from './model.service';
import { readPrices } from './price-input';
import { ProviderService } from './provider.service';

const DECLARATIVE_LOCK_ID = 7_281_947_114;

export interface DeclarativeResult {
  providers: string[];
  models: string[];
}

/**
 * Applies the declarative start: env shortcuts (OPENAI_API_KEY...) and switchyard.yaml upsert
 * providers and models at start-up. Idempotent: the same input leaves the database unchanged,
 * and concurrent starts are serialised by an advisory lock.
 */
@Injectable()
export class DeclarativeConfigService {
  private readonly log = new Logger(DeclarativeConfigService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly providers: ProviderService,
    private readonly models: ModelService,
    private readonly invalidations: InvalidationBus,
    private readonly audit: AuditService,
  ) {}

  async apply(): Promise<DeclarativeResult> {
    const { providers, models } = this.declarations();
    if (providers.length === 0 && models.length === 0) return { providers: [], models: [] };
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [DECLARATIVE_LOCK_ID]);
      const ids = new Map<string, ProviderId>();
      for (const provider of providers) ids.set(provider.name, (await this.upsertProvider(tx, provider)).id);
      for (const model of models) await this.upsertModel(tx, model, ids);
      // One row per start that declared something; its secrets never enter it.
      await this.audit.record(tx, {
        tenantId: null,
        actor: SYSTEM_ACTOR,
        action: 'catalog.declarative.apply',
        targetType: 'catalog',
        targetId: null,
        after: { providers: providers.map((p) => p.name), models: models.map((m) => m.name) },
        origin: { ip: null, userAgent: null, requestId: null },
      });
    });
    await this.invalidations.publish({ kind: 'catalog' });
    const result = { providers: providers.map((p) => p.name), models: models.map((m) => m.name) };
    this.log.log(result, 'declarative configuration applied');
    return result;
  }

  /** Env shortcuts first (with the default catalog), then the file, which wins on a clash. */
  private declarations(): { providers: DeclaredProvider[]; models: DeclaredModel[] } {
    const catalog = defaultCatalog();
    const providers = new Map<string, DeclaredProvider>();
    const models = new Map<string, DeclaredModel>();
    const addDefaults = (providerName: string, catalogName: string): void => {
      for (const model of catalog.models[catalogName] ?? []) {
        if (models.has(model.name)) continue;
        models.set(model.name, {
          name: model.name,
          context_window: model.context_window,
          capabilities: model.capabilities,
          prices: model.prices,
          deployments: [
            {
              provider: providerName,
              upstream_model: model.upstream_model ?? model.name,
              costs: model.prices,
            },
          ],
        });
      }
    };
    for (const shortcut of this.config.declarative.providers) {
      const builtIn = catalog.providers[shortcut.name];
      providers.set(shortcut.name, {
        name: shortcut.name,
        kind: builtIn.kind,
        base_url: shortcut.baseUrl ?? builtIn.base_url,
        api_key: shortcut.apiKey,
        profile: builtIn.profile,
      });
      addDefaults(shortcut.name, shortcut.name);
    }
    const file = this.config.declarative.file;
    for (const provider of file?.providers ?? []) {
      providers.set(provider.name, provider);
      // A file provider named like a built-in one, without its own models, gets the default list.
      if (!file?.models.some((m) => m.deployments.some((d) => d.provider === provider.name)))
        addDefaults(provider.name, provider.name);
    }
    for (const model of file?.models ?? []) models.set(model.name, model);
    return { providers: [...providers.values()], models: [...models.values()] };
  }

  private upsertProvider(tx: EntityManager, provider: DeclaredProvider): Promise<ProviderEntity> {
    const builtIn = defaultCatalog().providers[provider.name];
    const kind = provider.kind as ProviderKind;
    if (!PROVIDER_KINDS.includes(kind)) {
      throw new DomainError(
        'validation',
        `provider ${provider.name}: kind must be one of ${PROVIDER_KINDS.join(', ')}`,
      );
    }
    const baseUrl = provider.base_url ?? builtIn?.base_url;
    if (!baseUrl) throw new DomainError('validation', `provider ${provider.name}: base_url is required`);
    if (!provider.api_key)
      throw new DomainError('validation', `provider ${provider.name}: api_key is required`);
    return this.providers.upsertByName(tx, {
      name: provider.name,
      kind,
      baseUrl,
      apiKey: provider.api_key,
      profile: provider.profile ?? builtIn?.profile ?? null,
    });
  }

  private async upsertModel(
    tx: EntityManager,
    model: DeclaredModel,
    providerIds: Map<string, ProviderId>,
  ): Promise<void> {
    const deployments = await Promise.all(
      model.deployments.map(async (deployment, i) => {
        const providerId =
          providerIds.get(deployment.provider) ??
          (await tx.findOneBy(ProviderEntity, { name: deployment.provider }))?.id;
        if (!providerId) {
          throw new DomainError(
            'validation',
            `model ${model.name}: deployments[${i}] names unknown provider "${deployment.provider}"`,
          );
        }
        return {
          providerId,
          upstreamModel: deployment.upstream_model ?? model.name,
          priority: deployment.priority ?? 0,
          weight: deployment.weight ?? 1,
          costs: deployment.costs
            ? readPrices(deployment.costs, `${model.name}.deployments[${i}].costs`)
            : undefined,
        };
      }),
    );
    await this.models.upsertByName(tx, {
      name: model.name,
      aliases: model.aliases,
      contextWindow: model.context_window ?? null,
      capabilities: model.capabilities,
      droppableParams: model.droppable_params,
      prices: readPrices(model.prices, `${model.name}.prices`),
      deployments,
    });
  }
}
