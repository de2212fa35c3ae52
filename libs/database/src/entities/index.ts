import { AdminPrincipalEntity } from './admin-principal.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AuditLogEntity } from './audit-log.entity';
import { CreditLedgerEntryEntity } from './credit-ledger-entry.entity';
import { InvoiceEntity, InvoiceLineEntity } from './invoice.entity';
import { ModelDeploymentEntity } from './model-deployment.entity';
import { ModelEntity } from './model.entity';
import { ProviderCredentialEntity } from './provider-credential.entity';
import { ProviderEntity } from './provider.entity';
import { StoredResponseEntity } from './stored-response.entity';
import { TenantPriceOverrideEntity } from './tenant-price-override.entity';
import { TenantEntity } from './tenant.entity';
import { UsageEventEntity } from './usage-event.entity';
import { UsageRollupEntity } from './usage-rollup.entity';

export * from './admin-principal.entity';
export * from './api-key.entity';
export * from './audit-log.entity';
export * from './credit-ledger-entry.entity';
export * from './invoice.entity';
export * from './model-deployment.entity';
export * from './model.entity';
export * from './provider-credential.entity';
export * from './provider.entity';
export * from './stored-response.entity';
export * from './tenant-price-override.entity';
export * from './tenant.entity';
export * from './usage-event.entity';
export * from './usage-rollup.entity';

export const ENTITIES = [
  TenantEntity,
  AdminPrincipalEntity,
  ApiKeyEntity,
  ProviderEntity,
  ProviderCredentialEntity,
  ModelEntity,
  ModelDeploymentEntity,
  TenantPriceOverrideEntity,
  UsageEventEntity,
  UsageRollupEntity,
  CreditLedgerEntryEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  AuditLogEntity,
  StoredResponseEntity,
];
