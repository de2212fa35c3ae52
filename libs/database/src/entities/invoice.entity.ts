import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { NanoUsd, TenantId } from '@switchyard/common';
import { bigintColumn } from '../bigint.transformer';

export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

/** One invoice per tenant per billing period. */
@Entity('invoices')
@Index('invoices_tenant_period_uq', ['tenantId', 'periodStart'], { unique: true })
export class InvoiceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: TenantId;
  @Column('date') periodStart!: string;
  @Column('date') periodEnd!: string;
  @Column('text', { default: 'draft' }) status!: InvoiceStatus;
  @Column('text', { default: 'USD' }) currency!: string;
  @Column({ type: 'bigint', transformer: bigintColumn }) totalNanoUsd!: NanoUsd;
  @Column('text', { nullable: true }) stripeInvoiceId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

/** A line per model on an invoice. */
@Entity('invoice_lines')
@Index('invoice_lines_invoice_model_uq', ['invoiceId', 'model'], { unique: true })
export class InvoiceLineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') invoiceId!: string;
  @Column('text') model!: string;
  @Column('bigint', { transformer: bigintColumn }) requests!: bigint;
  @Column('bigint', { transformer: bigintColumn }) inputTokens!: bigint;
  @Column('bigint', { transformer: bigintColumn }) outputTokens!: bigint;
  @Column({ type: 'bigint', transformer: bigintColumn }) amountNanoUsd!: NanoUsd;
  @Column('text', { nullable: true }) stripeInvoiceItemId!: string | null;
}
