import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NanoUsd, TenantId } from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

export type LedgerEntryKind = 'topup' | 'grant' | 'usage' | 'refund' | 'adjustment';

/** Append-only credit movements; the balance is their sum. `(kind, reference)` is unique. */
@Entity('credit_ledger')
@Index('credit_ledger_reference_uq', ['kind', 'reference'], { unique: true })
@Index('credit_ledger_tenant_idx', ['tenantId', 'createdAt'])
export class CreditLedgerEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid') tenantId!: TenantId;
  @Column('text') kind!: LedgerEntryKind;
  /** Positive credits, negative debits. */
  @Column({ type: 'bigint', transformer: bigintColumn }) amountNanoUsd!: NanoUsd;
  /** What caused it: a request id, a Stripe checkout session, an admin grant id. */
  @Column('text') reference!: string;
  @Column('text', { nullable: true }) note!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
