import { Injectable } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { CatalogModel, CatalogService } from '@switchyard/catalog';
import { GatewayError } from '../errors/gateway-error';
import { sendJson } from '../http/responder';
import { RequestContext } from './request-context';

interface OpenAiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** GET /v1/models and /v1/models/{id}: the OpenAI list shape, only models the key may use. */
@Injectable()
export class ModelsHandler {
  constructor(private readonly catalog: CatalogService) {}

  list(res: ServerResponse, ctx: RequestContext): void {
    const data = this.usable(ctx).map(toOpenAi);
    sendJson(res, 200, JSON.stringify({ object: 'list', data }), ctx.requestId);
  }

  get(res: ServerResponse, ctx: RequestContext, id: string): void {
    const model = this.catalog.snapshot.find(id);
    if (!model || !this.isUsable(model, ctx)) {
      throw new GatewayError(
        'model.not_found',
        `The model '${id}' does not exist or you do not have access to it.`,
        { param: 'model' },
      );
    }
    sendJson(res, 200, JSON.stringify(toOpenAi(model)), ctx.requestId);
  }

  private usable(ctx: RequestContext): CatalogModel[] {
    return this.catalog.snapshot.models
      .filter((model) => this.isUsable(model, ctx))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private isUsable(model: CatalogModel, ctx: RequestContext): boolean {
    return model.public && model.deployments.length > 0 && ctx.principal.models.allows(model.name);
  }
}

function toOpenAi(model: CatalogModel): OpenAiModel {
  return {
    id: model.name,
    object: 'model',
    created: Math.floor(model.createdAt.getTime() / 1000),
    owned_by: model.ownedBy ?? model.deployments[0]?.provider.name ?? 'switchyard',
  };
}
