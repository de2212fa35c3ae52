import { Injectable } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { formatUsd, TokenPrices } from '@switchyard/common';
import { CatalogModel, CatalogService } from '@switchyard/catalog';
import { KeyPrincipal } from '@switchyard/keys';
import { DeploymentHealth, HealthStatus } from '@switchyard/routing';
import { sendJson } from '../http/responder';

interface CatalogEntry {
  id: string;
  object: 'catalog.model';
  owned_by: string | null;
  context_window: number | null;
  capabilities: Readonly<Record<string, unknown>>;
  pricing: {
    currency: 'USD';
    per: '1M tokens';
    input: string;
    cached_input: string;
    cache_write: string;
    output: string;
  };
  status: 'available' | 'unavailable';
  /** What this gateway saw of the model's upstreams in the last five minutes. */
  health: { status: HealthStatus; calls_5m: number; failures_5m: number };
}

/**
 * GET /v1/catalog, the "model square": every public model with its prices per 1M tokens, as
 * the calling tenant pays them (override or markup applied) when a key is given, or at list price
 * when the operator has made the catalog public (PUBLIC_CATALOG=true).
 */
@Injectable()
export class CatalogHandler {
  constructor(
    private readonly catalog: CatalogService,
    private readonly health: DeploymentHealth,
  ) {}

  serve(res: ServerResponse, requestId: string, principal: KeyPrincipal | null): void {
    const snapshot = this.catalog.snapshot;
    const data = snapshot.models
      .filter((model) => model.public && (principal === null || principal.models.allows(model.name)))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((model) =>
        entry(
          model,
          principal
            ? snapshot.sellPrices(model, principal.tenantId, principal.priceAdjustmentBps)
            : model.prices,
          this.health,
        ),
      );
    sendJson(
      res,
      200,
      JSON.stringify({ object: 'list', priced_for: principal ? 'tenant' : 'list', data }),
      requestId,
    );
  }
}

function entry(model: CatalogModel, prices: TokenPrices, tracker: DeploymentHealth): CatalogEntry {
  const health = tracker.ofModel(model.deployments.map((deployment) => deployment.id));
  return {
    id: model.name,
    object: 'catalog.model',
    owned_by: model.ownedBy,
    context_window: model.contextWindow,
    capabilities: model.capabilities,
    pricing: {
      currency: 'USD',
      per: '1M tokens',
      input: formatUsd(prices.input),
      cached_input: formatUsd(prices.cachedInput),
      cache_write: formatUsd(prices.cacheWrite),
      output: formatUsd(prices.output),
    },
    // The snapshot holds only deployments whose provider is active and has a working credential.
    status: model.deployments.length > 0 ? 'available' : 'unavailable',
    health: { status: health.status, calls_5m: health.calls, failures_5m: health.failures },
  };
}
