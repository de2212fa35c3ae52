import { Module } from '@nestjs/common';
import { CredentialVault } from './credential-vault.service';
import { DeclarativeConfigService } from './declarative-config.service';
import { ModelService } from './model.service';
import { PriceOverrideService } from './price-override.service';
import { ProviderService } from './provider.service';

/** Control-plane side of the catalog: providers, models, declarative start. */
@Module({
  providers: [ProviderService, ModelService, DeclarativeConfigService, CredentialVault, PriceOverrideService],
  exports: [ProviderService, ModelService, DeclarativeConfigService, CredentialVault, PriceOverrideService],
})
export class CatalogAdminModule {}
