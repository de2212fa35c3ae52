import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ProviderId } from '@switchyard/common';

export const PROVIDER_KINDS = ['openai', 'openai_compatible', 'anthropic', 'gemini'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export type ProviderStatus = 'active' | 'disabled';

/** An upstream account: where to call and how. Its credentials live in provider_credentials. */
@Entity('providers')
@Index('providers_name_uq', ['name'], { unique: true })
export class ProviderEntity {
  @PrimaryGeneratedColumn('uuid') id!: ProviderId;
  @Column('text') name!: string;
  @Column('text') kind!: ProviderKind;
  /** Quirks profile of an openai_compatible server (deepseek, xai, qwen, vllm...). */
  @Column('text', { nullable: true }) profile!: string | null;
  @Column('text') baseUrl!: string;
  @Column('text', { default: 'active' }) status!: ProviderStatus;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
