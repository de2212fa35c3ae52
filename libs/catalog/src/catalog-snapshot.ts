import {
  applyBasisPoints,
  CredentialId,
  DeploymentId,
  ModelId,
  ProviderId,
  TenantId,
  TokenPrices,
} from '@switchyard/common';
import { ProviderKind } from '@switchyard/database';

/** An upstream account ready to call: its decrypted credentials live only in memory. */
export interface UpstreamAccount {
  id: ProviderId;
  name: string;
  kind: ProviderKind;
  profile: string | null;
  baseUrl: string;
  credentials: ReadonlyArray<{ id: CredentialId; secret: string }>;
}

export interface CatalogDeployment {
  id: DeploymentId;
  upstreamModel: string;
  priority: number;
  weight: number;
  costs: TokenPrices;
  provider: UpstreamAccount;
}

export interface CatalogModel {
  id: ModelId;
  name: string;
  ownedBy: string | null;
  public: boolean;
  createdAt: Date;
  contextWindow: number | null;
  capabilities: Readonly<Record<string, unknown>>;
  prices: TokenPrices;
  /** Parameters the operator lets the gateway drop when an upstream cannot honour them. */
  droppableParams: ReadonlySet<string>;
  /** Active deployments whose provider is active and has a credential, by ascending priority. */
  deployments: readonly CatalogDeployment[];
}

/**
 * An immutable view of the catalog, built off the hot path and swapped in whole. Lookups by
 * name or alias are one Map read.
 */
export class CatalogSnapshot {
  private readonly byName = new Map<string, CatalogModel>();

  constructor(
    readonly models: readonly CatalogModel[],
    aliases: ReadonlyMap<string, CatalogModel>,
    private readonly overrides: ReadonlyMap<string, TokenPrices>,
  ) {
    for (const model of models) this.byName.set(model.name, model);
    for (const [alias, model] of aliases) if (!this.byName.has(alias)) this.byName.set(alias, model);
  }

  static empty(): CatalogSnapshot {
    return new CatalogSnapshot([], new Map(), new Map());
  }

  find(nameOrAlias: string): CatalogModel | undefined {
    return this.byName.get(nameOrAlias);
  }

  /** What `tenantId` pays for `model`: its override, else list price with the tenant's markup. */
  sellPrices(model: CatalogModel, tenantId: TenantId, adjustmentBps: number): TokenPrices {
    const override = this.overrides.get(overrideKey(tenantId, model.id));
    if (override) return override;
    if (adjustmentBps === 0) return model.prices;
    const { input, cachedInput, cacheWrite, output } = model.prices;
    return {
      input: applyBasisPoints(input, adjustmentBps),
      cachedInput: applyBasisPoints(cachedInput, adjustmentBps),
      cacheWrite: applyBasisPoints(cacheWrite, adjustmentBps),
      output: applyBasisPoints(output, adjustmentBps),
    };
  }
}

export const overrideKey = (tenantId: string, modelId: string): string => `${tenantId}:${modelId}`;
