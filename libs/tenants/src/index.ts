export * from './tenant.service';
export * from './admin-principal.service';
export * from './tenants.module';
