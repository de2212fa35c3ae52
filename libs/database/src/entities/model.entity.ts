import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { JsonObject, ModelId, NanoUsd } from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

export type ModelStatus = 'active' | 'disabled';

/** A public model name and its sell prices, in nano-USD per 1M tokens. */
@Entity('models')
@Index('models_name_uq', ['name'], { unique: true })
export class ModelEntity {
  @PrimaryGeneratedColumn('uuid') id!: ModelId;
  @Column('text') name!: string;
  @Column('text', { array: true, default: () => "'{}'" }) aliases!: string[];
  @Column('text', { nullable: true }) ownedBy!: string | null;
  @Column('boolean', { default: true }) public!: boolean;
  @Column('text', { default: 'active' }) status!: ModelStatus;
  @Column('integer', { nullable: true }) contextWindow!: number | null;
  /** tools, vision, reasoning, streaming... as booleans. */
  @Column('jsonb', { default: () => "'{}'" }) capabilities!: JsonObject;
  @Column({ type: 'bigint', transformer: bigintColumn }) inputPrice!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) cachedInputPrice!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) cacheWritePrice!: NanoUsd;
  @Column({ type: 'bigint', transformer: bigintColumn }) outputPrice!: NanoUsd;
  /**
   * Request parameters the gateway may leave out when the chosen upstream cannot honour them
   * (instead of answering 400): the operator's explicit choice, per model.
   */
  @Column('text', { array: true, default: () => "'{}'" }) droppableParams!: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
