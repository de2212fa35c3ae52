import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DeploymentId, ModelId, NanoUsd, ProviderId } from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

/** Where a model is served: a provider and its upstream model id, with what the upstream charges us. */
@Entity('model_deployments')
@Index('model_deployments_model_idx', ['modelId'])
export class ModelDeploymentEntity {
  @PrimaryGeneratedColumn('uuid') id!: DeploymentId;
  @Column('uuid') modelId!: ModelId;
  @Column('uuid') providerId!: ProviderId;
  @Column('text') upstreamModel!: string;
  /** Lower runs first; 0 is the primary. */
  @Column('integer', { default: 0 }) priority!: number;
  @Column('integer', { default: 1 }) weight!: number;
  @Column('text', { default: 'active' }) status!: 'active' | 'disabled';
  @Column({ type: 'bigint', transformer: bigintColumn }) inputCost!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) cachedInputCost!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) cacheWriteCost!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) outputCost!: NanoUsd;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
