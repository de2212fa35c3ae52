import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ApiKeyId, JsonObject, NanoUsd, TenantId } from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

export type ApiKeyStatus = 'active' | 'revoked';
export type BudgetPeriod = 'day' | 'month' | 'total';

/** A tenant's key for the /v1 API. Only its SHA-256 and a display prefix are stored. */
@Entity('api_keys')
@Index('api_keys_key_hash_uq', ['keyHash'], { unique: true })
@Index('api_keys_tenant_created_idx', ['tenantId', 'createdAt', 'id'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id!: ApiKeyId;
  @Column('uuid') tenantId!: TenantId;
  @Column('text') name!: string;
  @Column('char', { length: 64 }) keyHash!: string;
  @Column('text') prefix!: string;
  @Column('text', { default: 'active' }) status!: ApiKeyStatus;
  /** Model names or `*` patterns this key may call; null means every model. */
  @Column('text', { array: true, nullable: true }) allowedModels!: string[] | null;
  @Column('integer', { nullable: true }) rpm!: number | null;
  @Column('integer', { nullable: true }) tpm!: number | null;
  @Column('integer', { nullable: true }) maxConcurrency!: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintColumn }) budgetNanoUsd!: NanoUsd | null;
  @Column('text', { nullable: true }) budgetPeriod!: BudgetPeriod | null;
  @Column('timestamptz', { nullable: true }) expiresAt!: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
  /** Set on the key a rotation replaced: it keeps working until its `expiresAt` grace ends. */
  @Column('uuid', { nullable: true }) rotatedToId!: ApiKeyId | null;
  @Column('jsonb', { default: () => "'{}'" }) metadata!: JsonObject;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
