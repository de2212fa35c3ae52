import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, JsonObject, TenantId } from '@switchyard/common';
import { AuditService, Caller } from '@switchyard/audit';
import {
  applyScope,
  BillingMode,
  inScope,
  Page,
  PageRequest,
  paginate,
  TenantEntity,
  TenantStatus,
} from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';

export interface CreateTenantInput {
  name: string;
  billingMode?: BillingMode;
  priceAdjustmentBps?: number;
  metadata?: JsonObject;
}

export interface UpdateTenantInput {
  name?: string;
  status?: TenantStatus;
  billingMode?: BillingMode;
  priceAdjustmentBps?: number;
  metadata?: JsonObject;
}

export interface TenantFilter {
  status?: TenantStatus;
  name?: string;
}

/** Tenants, their status and commercial terms. Suspension reaches every gateway within a second. */
@Injectable()
export class TenantService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly invalidations: InvalidationBus,
  ) {}

  async create(caller: Caller, input: CreateTenantInput): Promise<TenantEntity> {
    if (caller.scope.kind !== 'platform')
      throw new DomainError('forbidden', 'only platform admins create tenants');
    return this.db.transaction(async (tx) => {
      const tenant = await tx.save(
        tx.create(TenantEntity, {
          name: input.name,
          billingMode: input.billingMode ?? 'postpaid',
          priceAdjustmentBps: input.priceAdjustmentBps ?? 0,
          metadata: input.metadata ?? {},
        }),
      );
      await this.audit.record(tx, {
        ...this.entry(caller, tenant.id, 'tenant.create'),
        after: snapshot(tenant),
      });
      return tenant;
    });
  }

  list(caller: Caller, filter: TenantFilter, page: PageRequest): Promise<Page<TenantEntity>> {
    const query = applyScope(
      this.db.getRepository(TenantEntity).createQueryBuilder('tenant'),
      caller.scope,
      'tenant.id',
    );
    if (filter.status) query.andWhere('tenant.status = :status', { status: filter.status });
    if (filter.name)
      query.andWhere('tenant.name ILIKE :name', { name: `%${filter.name.replace(/[%_\\]/g, '\\$&')}%` });
    return paginate(query, page);
  }

  async get(caller: Caller, tenantId: TenantId): Promise<TenantEntity> {
    const tenant = inScope(caller.scope, tenantId)
      ? await this.db.getRepository(TenantEntity).findOneBy({ id: tenantId })
      : null;
    if (!tenant) throw new DomainError('not_found', 'tenant not found');
    return tenant;
  }

  /** Throws not_found unless the tenant exists and the caller may see it. */
  async assertVisible(caller: Caller, tenantId: TenantId): Promise<void> {
    await this.get(caller, tenantId);
  }

  async update(caller: Caller, tenantId: TenantId, input: UpdateTenantInput): Promise<TenantEntity> {
    const platformOnly =
      input.status !== undefined || input.billingMode !== undefined || input.priceAdjustmentBps !== undefined;
    if (platformOnly && caller.scope.kind !== 'platform') {
      throw new DomainError(
        'forbidden',
        'status, billing_mode and price_adjustment_bps are set by the platform operator',
      );
    }
    const updated = await this.db.transaction(async (tx) => {
      const tenant = await tx.findOne(TenantEntity, {
        where: { id: tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!tenant || !inScope(caller.scope, tenant.id))
        throw new DomainError('not_found', 'tenant not found');
      const before = snapshot(tenant);
      if (input.name !== undefined) tenant.name = input.name;
      if (input.status !== undefined) tenant.status = input.status;
      if (input.billingMode !== undefined) tenant.billingMode = input.billingMode;
      if (input.priceAdjustmentBps !== undefined) tenant.priceAdjustmentBps = input.priceAdjustmentBps;
      if (input.metadata !== undefined) tenant.metadata = input.metadata;
      const saved = await tx.save(tenant);
      const action =
        input.status !== undefined && input.status !== before.status
          ? input.status === 'suspended'
            ? 'tenant.suspend'
            : 'tenant.reactivate'
          : 'tenant.update';
      await this.audit.record(tx, {
        ...this.entry(caller, tenantId, action),
        before,
        after: snapshot(saved),
      });
      return saved;
    });
    // After commit: keys of a suspended tenant are refused by every gateway within a second.
    await this.invalidations.publish({ kind: 'tenant', tenantId });
    return updated;
  }

  private entry(caller: Caller, tenantId: string, action: string): Parameters<AuditService['record']>[1] {
    return {
      tenantId,
      actor: caller.actor,
      action,
      targetType: 'tenant',
      targetId: tenantId,
      origin: caller.origin,
    };
  }
}

function snapshot(tenant: TenantEntity): JsonObject {
  return {
    name: tenant.name,
    status: tenant.status,
    billing_mode: tenant.billingMode,
    price_adjustment_bps: tenant.priceAdjustmentBps,
    metadata: tenant.metadata,
  };
}
