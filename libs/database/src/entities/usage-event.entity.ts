import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import {
  ApiKeyId,
  DeploymentId,
  ModelId,
  NanoUsd,
  ProviderId,
  RequestId,
  TenantId,
} from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

export type UsageOutcome = 'success' | 'upstream_error' | 'client_abort' | 'gateway_error';

/** One row per request that reached routing; `request_id` is the idempotency key. */
@Entity('usage_events')
@Index('usage_events_request_id_uq', ['requestId'], { unique: true })
@Index('usage_events_tenant_started_idx', ['tenantId', 'startedAt'])
@Index('usage_events_key_started_idx', ['apiKeyId', 'startedAt'])
@Index('usage_events_started_idx', ['startedAt', 'id'])
export class UsageEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('text') requestId!: RequestId;
  @Column('uuid') tenantId!: TenantId;
  @Column('uuid') apiKeyId!: ApiKeyId;
  /** The public model name the client asked for. */
  @Column('text') model!: string;
  @Column('uuid', { nullable: true }) modelId!: ModelId | null;
  @Column('uuid', { nullable: true }) deploymentId!: DeploymentId | null;
  @Column('uuid', { nullable: true }) providerId!: ProviderId | null;
  @Column('text', { nullable: true }) upstreamModel!: string | null;
  /** Inbound protocol: openai.chat, openai.responses, anthropic.messages, openai.embeddings. */
  @Column('text') protocol!: string;
  @Column('integer') inputTokens!: number;
  @Column('integer') cachedInputTokens!: number;
  @Column('integer') cacheWriteTokens!: number;
  @Column('integer') outputTokens!: number;
  @Column('integer') reasoningTokens!: number;
  @Column('boolean') usageEstimated!: boolean;
  @Column({ type: 'bigint', transformer: bigintColumn }) costNanoUsd!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) priceNanoUsd!: NanoUsd;
  @Column('text') outcome!: UsageOutcome;
  /** HTTP status the client received. */
  @Column('integer') status!: number;
  @Column('text', { nullable: true }) errorCode!: string | null;
  @Column('boolean') stream!: boolean;
  @Column('integer') latencyMs!: number;
  @Column('integer', { nullable: true }) ttfbMs!: number | null;
  @Column('timestamptz') startedAt!: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
