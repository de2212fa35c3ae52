import { Module } from '@nestjs/common';
import { AdminPrincipalService } from './admin-principal.service';
import { TenantService } from './tenant.service';

@Module({
  providers: [TenantService, AdminPrincipalService],
  exports: [TenantService, AdminPrincipalService],
})
export class TenantsModule {}
