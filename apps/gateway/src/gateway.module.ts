import { DynamicModule, Module } from '@nestjs/common';
import { CatalogReadModule } from '@switchyard/catalog';
import { AppConfig, ConfigModule } from '@switchyard/config';
import { CryptoModule } from '@switchyard/crypto';
import { DatabaseModule } from '@switchyard/database';
import { KeysModule } from '@switchyard/keys';
import { MeteringModule } from '@switchyard/metering';
import { HealthModule } from '@switchyard/observability';
import { ProvidersModule } from '@switchyard/providers';
import { RedisModule } from '@switchyard/redis';
import { HotPathServer } from './http/hot-path.server';
import { MetricsController } from './http/metrics.controller';
import { ChatCompletionsHandler } from './pipeline/chat-completions.handler';
import { ModelResolver } from './pipeline/model-resolver';
import { ModelsHandler } from './pipeline/models.handler';

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
        KeysModule,
        CatalogReadModule,
        ProvidersModule,
        MeteringModule,
        HealthModule,
      ],
      controllers: [MetricsController],
      providers: [HotPathServer, ChatCompletionsHandler, ModelsHandler, ModelResolver],
    };
  }
}
