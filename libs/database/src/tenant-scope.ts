import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TenantId } from '@switchyard/common';

/**
 * Which tenants' rows a caller may see: all of them (a platform admin) or exactly one (a tenant
 * admin). Every service that reads tenant-owned rows takes a scope and applies it here, where the
 * query is built, so isolation never depends on a controller remembering a check.
 */
export type TenantScope =
  { readonly kind: 'platform' } | { readonly kind: 'tenant'; readonly tenantId: TenantId };

export const PLATFORM_SCOPE: TenantScope = Object.freeze({ kind: 'platform' });

export function tenantScope(tenantId: TenantId | null): TenantScope {
  return tenantId === null ? PLATFORM_SCOPE : Object.freeze({ kind: 'tenant', tenantId });
}

/** Restricts a query on a tenant-owned table (column `tenant_id`) to the scope. */
export function applyScope<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  scope: TenantScope,
  column = `${query.alias}.tenant_id`,
): SelectQueryBuilder<T> {
  if (scope.kind === 'tenant')
    query.andWhere(`${column} = :scopeTenantId`, { scopeTenantId: scope.tenantId });
  return query;
}

/** A `where` fragment for repository finds: `{ tenantId }` in a tenant scope, nothing otherwise. */
export function scopeWhere(scope: TenantScope): { tenantId?: TenantId } {
  return scope.kind === 'tenant' ? { tenantId: scope.tenantId } : {};
}

/** Whether `tenantId` is visible in the scope. */
export function inScope(scope: TenantScope, tenantId: string | null): boolean {
  return scope.kind === 'platform' || scope.tenantId === tenantId;
}
