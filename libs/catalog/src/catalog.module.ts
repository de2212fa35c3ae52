import { Module } from '@nestjs/common';
import { DeclarativeConfigService } from './declarative-config.service';
import { ModelService } from './model.service';
import { ProviderService } from './provider.service';

/** Control-plane side of the catalog: providers, models, declarative start. */
@Module({
  providers: [ProviderService, ModelService, DeclarativeConfigService],
  exports: [ProviderService, ModelService, DeclarativeConfigService],
})
export class CatalogAdminModule {}
