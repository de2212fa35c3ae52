import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CredentialId, ProviderId } from '@switchyard/common';

export type CredentialStatus = 'active' | 'disabled';

/** One upstream API key, AES-256-GCM encrypted under master key `keyVersion`. */
@Entity('provider_credentials')
@Index('provider_credentials_provider_idx', ['providerId'])
export class ProviderCredentialEntity {
  @PrimaryGeneratedColumn('uuid') id!: CredentialId;
  @Column('uuid') providerId!: ProviderId;
  @Column('text', { nullable: true }) label!: string | null;
  @Column('integer') keyVersion!: number;
  /** iv (12 bytes) | auth tag (16 bytes) | ciphertext. */
  @Column('bytea') ciphertext!: Buffer;
  /** Last four characters, for telling credentials apart in the admin API. */
  @Column('text') hint!: string;
  @Column('text', { default: 'active' }) status!: CredentialStatus;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
