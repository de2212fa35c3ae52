import { Injectable } from '@nestjs/common';
import { CatalogModel, CatalogService } from '@switchyard/catalog';
import { GatewayError } from '../errors/gateway-error';
import { RequestContext } from './request-context';
import { RequestMeter } from './request-meter';

/** Resolves a requested model name for a key: allowed, known, priced for the tenant. */
@Injectable()
export class ModelResolver {
  constructor(private readonly catalog: CatalogService) {}

  /**
   * Synchronous on a hit. A name the snapshot does not know while a rebuild is in flight (a model
   * created a moment ago) waits for the rebuild before being called unknown.
   */
  resolve(name: string, ctx: RequestContext, meter: RequestMeter): CatalogModel | Promise<CatalogModel> {
    if (this.catalog.snapshot.find(name) === undefined && this.catalog.rebuildInFlight) {
      return this.catalog.settled().then(() => this.resolveNow(name, ctx, meter));
    }
    return this.resolveNow(name, ctx, meter);
  }

  private resolveNow(name: string, ctx: RequestContext, meter: RequestMeter): CatalogModel {
    meter.model = name;
    const snapshot = this.catalog.snapshot;
    const model = snapshot.find(name);
    const allowed =
      ctx.principal.models.allows(name) || (model !== undefined && ctx.principal.models.allows(model.name));
    if (!allowed)
      throw new GatewayError('model.not_allowed', `This API key may not use the model '${name}'.`, {
        param: 'model',
      });
    if (!model) {
      throw new GatewayError(
        'model.not_found',
        `The model '${name}' does not exist or you do not have access to it.`,
        { param: 'model' },
      );
    }
    meter.modelId = model.id;
    meter.sellPrices = snapshot.sellPrices(model, ctx.principal.tenantId, ctx.principal.priceAdjustmentBps);
    if (model.deployments.length === 0) {
      throw new GatewayError('upstream.unavailable', `No upstream currently serves the model '${name}'.`);
    }
    return model;
  }
}
