import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { JsonObject } from '@switchyard/common';
import { AuditLogEntity } from '@switchyard/database';
import { PageQuery } from '../common/page.dto';

export class AuditLogQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'tenant_id must be a uuid' })
  tenant_id?: string;
  @ApiPropertyOptional({
    example: 'api_key.revoke',
    description: 'Exact action, or a prefix such as `api_key.*`',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;
  @ApiPropertyOptional({ description: 'Actor id (an admin token id, or `env` for ADMIN_TOKEN)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actor?: string;
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({
    enum: ['json', 'csv', 'jsonl'],
    description: 'csv and jsonl stream every matching row',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'jsonl'])
  format?: string;
}

export class AuditLogView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'audit_log' }) object!: 'audit_log';
  @ApiProperty({ nullable: true, type: String }) tenant_id!: string | null;
  @ApiProperty({ example: { type: 'platform', id: 'env', role: 'owner' } }) actor!: {
    type: string;
    id: string | null;
    role: string | null;
  };
  @ApiProperty({ example: 'api_key.revoke' }) action!: string;
  @ApiProperty({ example: { type: 'api_key', id: '…' } }) target!: { type: string | null; id: string | null };
  @ApiProperty({ nullable: true }) before!: JsonObject | null;
  @ApiProperty({ nullable: true }) after!: JsonObject | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent!: string | null;
  @ApiProperty({ nullable: true, type: String }) request_id!: string | null;
  @ApiProperty() hash!: string;
  @ApiProperty({ nullable: true, type: String }) prev_hash!: string | null;
  @ApiProperty() created_at!: string;
}

export function auditLogView(row: AuditLogEntity): AuditLogView {
  return {
    id: row.id,
    object: 'audit_log',
    tenant_id: row.tenantId,
    actor: { type: row.actorType, id: row.actorId, role: row.actorRole },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    before: row.before,
    after: row.after,
    ip: row.ip,
    user_agent: row.userAgent,
    request_id: row.requestId,
    hash: row.hash,
    prev_hash: row.prevHash,
    created_at: row.createdAt.toISOString(),
  };
}

/** Flat rows for CSV/JSONL exports. */
export function auditLogRow(row: AuditLogEntity): Record<string, unknown> {
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    tenant_id: row.tenantId,
    actor_type: row.actorType,
    actor_id: row.actorId,
    actor_role: row.actorRole,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    before: row.before,
    after: row.after,
    ip: row.ip,
    user_agent: row.userAgent,
    request_id: row.requestId,
    prev_hash: row.prevHash,
    hash: row.hash,
  };
}

export const AUDIT_COLUMNS = [
  'id',
  'created_at',
  'tenant_id',
  'actor_type',
  'actor_id',
  'actor_role',
  'action',
  'target_type',
  'target_id',
  'before',
  'after',
  'ip',
  'user_agent',
  'request_id',
  'prev_hash',
  'hash',
] as const;

export class ChainBreakView {
  @ApiProperty({ nullable: true, type: String }) tenant_id!: string | null;
  @ApiProperty({ example: '1042' }) row_id!: string;
  @ApiProperty({ enum: ['hash_mismatch', 'broken_link'] }) reason!: string;
}

export class ChainReportView {
  @ApiProperty({ example: true }) valid!: boolean;
  @ApiProperty({ example: 3, description: 'Chains checked: one per tenant, plus the platform chain' })
  chains!: number;
  @ApiProperty({ example: 1520 }) rows!: number;
  @ApiProperty({ type: [ChainBreakView] }) breaks!: ChainBreakView[];
}
