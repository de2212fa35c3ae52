import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { JsonObject } from '@switchyard/common';
import { AuditLogEntity, Page, PageRequest, paginate } from '@switchyard/database';
import { AuditEntry, rowHash } from './audit-entry';
import { redact } from './redact';

export interface AuditFilter {
  /** Restricts to one tenant's rows; `undefined` means every row (platform view). */
  tenantId?: string;
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

export interface ChainBreak {
  tenantId: string | null;
  rowId: string;
  reason: 'hash_mismatch' | 'broken_link';
}

export interface ChainReport {
  valid: boolean;
  chains: number;
  rows: number;
  breaks: ChainBreak[];
}

const VERIFY_BATCH = 1_000;

/**
 * Writes audit rows inside the caller's transaction (the row exists iff the change does) and
 * chains each row to the previous row of its tenant by hash. Rows are append-only in Postgres.
 */
@Injectable()
export class AuditService {
  private readonly log = new Logger(AuditService.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(tx: EntityManager, entry: AuditEntry): Promise<void> {
    // One writer per chain at a time, or two rows could claim the same predecessor.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `audit:${entry.tenantId ?? 'platform'}`,
    ]);
    const previous = await this.lastOfChain(tx, entry.tenantId);
    const fields = {
      tenantId: entry.tenantId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorRole: entry.actor.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: entry.before ? asObject(redact(entry.before)) : null,
      after: entry.after ? asObject(redact(entry.after)) : null,
      ip: entry.origin.ip,
      userAgent: entry.origin.userAgent,
      requestId: entry.origin.requestId,
      createdAt: new Date(),
      prevHash: previous,
    };
    await tx.query(
      `INSERT INTO audit_logs (tenant_id, actor_type, actor_id, actor_role, action, target_type, target_id, before, after,
         ip, user_agent, request_id, created_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        fields.tenantId,
        fields.actorType,
        fields.actorId,
        fields.actorRole,
        fields.action,
        fields.targetType,
        fields.targetId,
        fields.before,
        fields.after,
        fields.ip,
        fields.userAgent,
        fields.requestId,
        fields.createdAt,
        fields.prevHash,
        rowHash(fields),
      ],
    );
  }

  /** For security events that are not part of another change (e.g. a failed login). Never throws. */
  async recordAlone(entry: AuditEntry): Promise<void> {
    try {
      await this.db.transaction((tx) => this.record(tx, entry));
    } catch (error) {
      this.log.error(
        { action: entry.action, err: (error as Error).message },
        'audit row could not be written',
      );
    }
  }

  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditLogEntity>> {
    return paginate(this.filtered(filter), page);
  }

  /** Every matching row, oldest first, a batch at a time (for streamed exports). */
  async *export(filter: AuditFilter, batchSize = 500): AsyncGenerator<AuditLogEntity[]> {
    let afterId = '0';
    for (;;) {
      const rows = await this.filtered(filter)
        .andWhere('audit.id > :afterId', { afterId })
        .orderBy('audit.id', 'ASC')
        .take(batchSize)
        .getMany();
      if (rows.length === 0) return;
      yield rows;
      afterId = rows[rows.length - 1].id;
    }
  }

  /** Recomputes every hash of every chain (or of one tenant's) and reports where it breaks. */
  async verify(tenantId?: string): Promise<ChainReport> {
    const chains: Array<string | null> =
      tenantId !== undefined
        ? [tenantId]
        : (await this.db.query(`SELECT DISTINCT tenant_id FROM audit_logs`)).map(
            (row: { tenant_id: string | null }) => row.tenant_id,
          );
    const report: ChainReport = { valid: true, chains: chains.length, rows: 0, breaks: [] };
    for (const chain of chains) {
      let previous: string | null = null;
      let afterId = '0';
      for (;;) {
        const query = this.db
          .getRepository(AuditLogEntity)
          .createQueryBuilder('audit')
          .where('audit.id > :afterId', { afterId })
          .orderBy('audit.id', 'ASC')
          .take(VERIFY_BATCH);
        if (chain === null) query.andWhere('audit.tenant_id IS NULL');
        else query.andWhere('audit.tenant_id = :chain', { chain });
        const rows = await query.getMany();
        if (rows.length === 0) break;
        for (const row of rows) {
          report.rows++;
          if (row.prevHash !== previous)
            report.breaks.push({ tenantId: chain, rowId: row.id, reason: 'broken_link' });
          else if (rowHash(row) !== row.hash)
            report.breaks.push({ tenantId: chain, rowId: row.id, reason: 'hash_mismatch' });
          previous = row.hash;
        }
        afterId = rows[rows.length - 1].id;
      }
    }
    report.valid = report.breaks.length === 0;
    return report;
  }

  private filtered(filter: AuditFilter): SelectQueryBuilder<AuditLogEntity> {
    const query = this.db.getRepository(AuditLogEntity).createQueryBuilder('audit');
    if (filter.tenantId !== undefined)
      query.andWhere('audit.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.action) {
      // `key.*` matches every key action.
      if (filter.action.endsWith('.*'))
        query.andWhere('audit.action LIKE :action', { action: `${filter.action.slice(0, -1)}%` });
      else query.andWhere('audit.action = :action', { action: filter.action });
    }
    if (filter.actor) query.andWhere('audit.actor_id = :actor', { actor: filter.actor });
    if (filter.from) query.andWhere('audit.created_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('audit.created_at < :to', { to: filter.to });
    return query;
  }

  private async lastOfChain(tx: EntityManager, tenantId: string | null): Promise<string | null> {
    const rows: Array<{ hash: string }> =
      tenantId === null
        ? await tx.query('SELECT hash FROM audit_logs WHERE tenant_id IS NULL ORDER BY id DESC LIMIT 1')
        : await tx.query('SELECT hash FROM audit_logs WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1', [
            tenantId,
          ]);
    return rows[0]?.hash ?? null;
  }
}

function asObject(value: ReturnType<typeof redact>): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value };
}
