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
import { AuditModule } from '@switchyard/audit';
import { UsageRecordingModule } from '@switchyard/metering';
import { AdminTokensController } from './admin-tokens/admin-tokens.controller';
import { AuditLogsController } from './audit-logs/audit-logs.controller';
import { AccessGuard } from './auth/access.guard';
import { AdminAuthGuard } from './auth/admin-auth.guard';
import { RequestsController } from './requests/requests.controller';
import { AdminBearerStrategy } from './auth/admin-bearer.strategy';
import { AdminExceptionFilter } from './errors/admin-exception.filter';
import { KeysController } from './keys/keys.controller';
import { ModelsController } from './models/models.controller';
import { PricesController } from './prices/prices.controller';
import { CredentialsController } from './providers/credentials.controller';
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
        AuditModule,
        TenantsModule,
        UsageRecordingModule,
        KeysModule,
        CatalogAdminModule,
        HealthModule,
      ],
      controllers: [
        TenantsController,
        KeysController,
        AdminTokensController,
        ProvidersController,
        CredentialsController,
        ModelsController,
        PricesController,
        AuditLogsController,
        RequestsController,
      ],
      providers: [
        AdminBearerStrategy,
        // Order matters: authenticate, then check the role.
        { provide: APP_GUARD, useClass: AdminAuthGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: AdminExceptionFilter },
      ],
    };
  }
}
