import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, JsonObject, TenantId } from '@switchyard/common';
import { BillingMode, Page, PageRequest, paginate, TenantEntity, TenantStatus } from '@switchyard/database';
import { InvalidationBus } from '@switchyard/redis';

export interface CreateTenantInput {
  name: string;
  billingMode?: BillingMode;
  metadata?: JsonObject;
}

export interface TenantFilter {
  status?: TenantStatus;
  name?: string;
}

/** Tenants and their status; suspension reaches every gateway through the invalidation bus. */
@Injectable()
export class TenantService {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly invalidations: InvalidationBus,
  ) {}

  create(input: CreateTenantInput): Promise<TenantEntity> {
    return this.tenants.save(
      this.tenants.create({ name: input.name, billingMode: input.billingMode ?? 'postpaid', metadata: input.metadata ?? {} }),
    );
  }

  list(filter: TenantFilter, page: PageRequest): Promise<Page<TenantEntity>> {
    const query = this.tenants.createQueryBuilder('tenant');
    if (filter.status) query.andWhere('tenant.status = :status', { status: filter.status });
    if (filter.name) query.andWhere('tenant.name ILIKE :name', { name: `%${filter.name.replace(/[%_\\]/g, '\\$&')}%` });
    return paginate(query, page);
  }

  async get(tenantId: TenantId): Promise<TenantEntity> {
    const tenant = await this.tenants.findOneBy({ id: tenantId });
    if (!tenant) throw new DomainError('not_found', 'tenant not found');
    return tenant;
  }

  async assertExists(tenantId: TenantId): Promise<void> {
    if (!(await this.tenants.existsBy({ id: tenantId }))) throw new DomainError('not_found', 'tenant not found');
  }

  async setStatus(tenantId: TenantId, status: TenantStatus): Promise<TenantEntity> {
    const tenant = await this.get(tenantId);
    if (tenant.status !== status) {
      tenant.status = status;
      await this.tenants.save(tenant);
    }
    await this.invalidations.publish({ kind: 'tenant', tenantId });
    return tenant;
  }
}
