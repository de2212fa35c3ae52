import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ModelId, NanoUsd, TenantId } from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

/** A tenant-specific sell price for one model, in nano-USD per 1M tokens. */
@Entity('tenant_price_overrides')
@Index('tenant_price_overrides_uq', ['tenantId', 'modelId'], { unique: true })
export class TenantPriceOverrideEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: TenantId;
  @Column('uuid') modelId!: ModelId;
  @Column({ type: 'bigint', transformer: bigintColumn }) inputPrice!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) cachedInputPrice!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) cacheWritePrice!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) outputPrice!: NanoUsd;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
