import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AdminPrincipalId, TenantId } from '@switchyard/common';

export type AdminRole = 'owner' | 'admin' | 'viewer';

/** An admin API token: platform-wide when `tenantId` is null, else scoped to one tenant. */
@Entity('admin_principals')
@Index('admin_principals_token_hash_uq', ['tokenHash'], { unique: true })
@Index('admin_principals_tenant_idx', ['tenantId'])
export class AdminPrincipalEntity {
  @PrimaryGeneratedColumn('uuid') id!: AdminPrincipalId;
  @Column('uuid', { nullable: true }) tenantId!: TenantId | null;
  @Column('text') name!: string;
  @Column('text') role!: AdminRole;
  /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
  @Column('char', { length: 64 }) tokenHash!: string;
  @Column('text') tokenPrefix!: string;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) lastUsedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
