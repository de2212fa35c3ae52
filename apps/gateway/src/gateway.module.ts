import { DynamicModule, Module } from '@nestjs/common';
import { CatalogReadModule } from '@switchyard/catalog';
import { AppConfig, ConfigModule } from '@switchyard/config';
import { CryptoModule } from '@switchyard/crypto';
import { DatabaseModule } from '@switchyard/database';
import { KeyAuthModule } from '@switchyard/keys';
import { LimitsModule } from '@switchyard/limits';
import { MeteringModule } from '@switchyard/metering';
import { HealthModule } from '@switchyard/observability';
import { ProvidersModule } from '@switchyard/providers';
import { RedisModule } from '@switchyard/redis';
import { RoutingModule } from '@switchyard/routing';
import { HotPathServer } from './http/hot-path.server';
import { MetricsController } from './http/metrics.controller';
import { CatalogHandler } from './pipeline/catalog.handler';
import { CountTokensHandler } from './pipeline/count-tokens.handler';
import { EmbeddingsHandler } from './pipeline/embeddings.handler';
import { GenerateHandler } from './pipeline/generate.handler';
import { ModelResolver } from './pipeline/model-resolver';
import { ModelsHandler } from './pipeline/models.handler';
import { UpstreamCaller } from './pipeline/upstream-caller';
import { StoredResponses } from './responses/stored-responses';

/** The data plane: /v1/* on the hot path, health and metrics through Express. */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        CryptoModule,
        KeyAuthModule,
        LimitsModule,
        CatalogReadModule,
        ProvidersModule,
        MeteringModule,
        RoutingModule,
        HealthModule,
      ],
      controllers: [MetricsController],
      providers: [
        HotPathServer,
        GenerateHandler,
        CountTokensHandler,
        EmbeddingsHandler,
        ModelsHandler,
        CatalogHandler,
        ModelResolver,
        UpstreamCaller,
        StoredResponses,
      ],
    };
  }
}
