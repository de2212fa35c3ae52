import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import {
  applyScope,
  Page,
  PageRequest,
  paginateBy,
  TenantScope,
  UsageEventEntity,
  UsageOutcome,
} from '@switchyard/database';

export interface UsageFilter {
  tenantId?: string;
  keyId?: string;
  model?: string;
  providerId?: string;
  /** An HTTP status (`429`), a class (`5xx`) or an outcome (`client_abort`). */
  status?: string;
  from?: Date;
  to?: Date;
}

const OUTCOMES: readonly UsageOutcome[] = ['success', 'upstream_error', 'client_abort', 'gateway_error'];

/** The request log: usage events, filtered and scoped to what the caller may see. */
@Injectable()
export class UsageQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(scope: TenantScope, filter: UsageFilter, page: PageRequest): Promise<Page<UsageEventEntity>> {
    return paginateBy(this.filtered(scope, filter), page, {
      column: 'started_at',
      time: (row) => row.startedAt,
    });
  }

  /** Every matching event, oldest first, a batch at a time (for streamed exports). */
  async *export(
    scope: TenantScope,
    filter: UsageFilter,
    batchSize = 1_000,
  ): AsyncGenerator<UsageEventEntity[]> {
    let after: { startedAt: Date; id: string } | null = null;
    for (;;) {
      const query = this.filtered(scope, filter);
      if (after)
        query.andWhere('(event.started_at, event.id) > (:afterTime, :afterId)', {
          afterTime: after.startedAt,
          afterId: after.id,
        });
      const rows = await query
        .orderBy('event.started_at', 'ASC')
        .addOrderBy('event.id', 'ASC')
        .take(batchSize)
        .getMany();
      if (rows.length === 0) return;
      yield rows;
      const last = rows[rows.length - 1];
      after = { startedAt: last.startedAt, id: last.id };
    }
  }

  private filtered(scope: TenantScope, filter: UsageFilter): SelectQueryBuilder<UsageEventEntity> {
    const query = applyScope(this.db.getRepository(UsageEventEntity).createQueryBuilder('event'), scope);
    if (filter.tenantId) query.andWhere('event.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.keyId) query.andWhere('event.api_key_id = :keyId', { keyId: filter.keyId });
    if (filter.model) query.andWhere('event.model = :model', { model: filter.model });
    if (filter.providerId)
      query.andWhere('event.provider_id = :providerId', { providerId: filter.providerId });
    if (filter.from) query.andWhere('event.started_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('event.started_at < :to', { to: filter.to });
    const status = filter.status;
    if (status !== undefined) {
      if (/^\d{3}$/.test(status)) query.andWhere('event.status = :status', { status: Number(status) });
      else if (/^[1-5]xx$/.test(status)) {
        const floor = Number(status[0]) * 100;
        query.andWhere('event.status >= :floor AND event.status < :ceiling', { floor, ceiling: floor + 100 });
      } else if ((OUTCOMES as readonly string[]).includes(status))
        query.andWhere('event.outcome = :outcome', { outcome: status });
      else query.andWhere('FALSE');
    }
    return query;
  }
}
