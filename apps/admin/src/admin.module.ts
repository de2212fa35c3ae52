import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { CatalogAdminModule } from '@switchyard/catalog';
import { AppConfig, ConfigModule } from '@switchyard/config';
import { CryptoModule } from '@switchyard/crypto';
import { DatabaseModule } from '@switchyard/database';
import { KeysModule } from '@switchyard/keys';
import { HealthModule } from '@switchyard/observability';
import { RedisModule } from '@switchyard/redis';
import { TenantsModule } from '@switchyard/tenants';
import { AdminAuthGuard } from './auth/admin-auth.guard';
import { AdminBearerStrategy } from './auth/admin-bearer.strategy';
import { AdminExceptionFilter } from './errors/admin-exception.filter';
import { KeysController } from './keys/keys.controller';
import { ModelsController } from './models/models.controller';
import { ProvidersController } from './providers/providers.controller';
import { TenantsController } from './tenants/tenants.controller';

/** The control plane: /admin/v1 REST, OpenAPI docs, health. */
@Module({})
export class AdminModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        CryptoModule,
        PassportModule,
        TenantsModule,
        KeysModule,
        CatalogAdminModule,
        HealthModule,
      ],
      controllers: [TenantsController, KeysController, ProvidersController, ModelsController],
      providers: [
        AdminBearerStrategy,
        { provide: APP_GUARD, useClass: AdminAuthGuard },
        { provide: APP_FILTER, useClass: AdminExceptionFilter },
      ],
    };
  }
}
