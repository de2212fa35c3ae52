import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ApiKeyId, NanoUsd, TenantId } from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

/** Usage summed per tenant, key, model and UTC day; maintained by the billing worker. */
@Entity('usage_rollups')
export class UsageRollupEntity {
  @PrimaryColumn('uuid') tenantId!: TenantId;
  @PrimaryColumn('uuid') apiKeyId!: ApiKeyId;
  @PrimaryColumn('text') model!: string;
  @PrimaryColumn('date') day!: string;
  @Column('bigint', { transformer: bigintColumn }) requests!: bigint;
  @Column('bigint', { transformer: bigintColumn }) inputTokens!: bigint;
  @Column('bigint', { transformer: bigintColumn }) cachedInputTokens!: bigint;
  @Column('bigint', { transformer: bigintColumn }) cacheWriteTokens!: bigint;
  @Column('bigint', { transformer: bigintColumn }) outputTokens!: bigint;
  @Column('bigint', { transformer: bigintColumn }) reasoningTokens!: bigint;
  @Column({ type: 'bigint', transformer: bigintColumn }) costNanoUsd!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) priceNanoUsd!: NanoUsd;
}
