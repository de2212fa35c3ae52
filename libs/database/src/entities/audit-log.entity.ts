import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonObject, TenantId } from '@switchyard/common';

/** Append-only (a trigger refuses UPDATE and DELETE); each row hashes the previous row of its tenant. */
@Entity('audit_logs')
@Index('audit_logs_tenant_created_idx', ['tenantId', 'createdAt', 'id'])
@Index('audit_logs_action_idx', ['action'])
@Index('audit_logs_chain_idx', ['tenantId', 'id'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid', { nullable: true }) tenantId!: TenantId | null;
  /** `platform`, `tenant`, `system` or `anonymous`. */
  @Column('text') actorType!: string;
  @Column('text', { nullable: true }) actorId!: string | null;
  @Column('text', { nullable: true }) actorRole!: string | null;
  @Column('text') action!: string;
  @Column('text', { nullable: true }) targetType!: string | null;
  @Column('text', { nullable: true }) targetId!: string | null;
  @Column('jsonb', { nullable: true }) before!: JsonObject | null;
  @Column('jsonb', { nullable: true }) after!: JsonObject | null;
  @Column('text', { nullable: true }) ip!: string | null;
  @Column('text', { nullable: true }) userAgent!: string | null;
  @Column('text', { nullable: true }) requestId!: string | null;
  @Column('char', { length: 64, nullable: true }) prevHash!: string | null;
  @Column('char', { length: 64 }) hash!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
