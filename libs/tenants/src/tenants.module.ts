import { Module } from '@nestjs/common';
import { TenantService } from './tenant.service';
import { AdminPrincipalService } from './admin-principal.service';

@Module({ providers: [TenantService, AdminPrincipalService], exports: [TenantService, AdminPrincipalService] })
export class TenantsModule {}
