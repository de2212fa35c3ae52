import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { JsonObject, TenantId } from '@switchyard/common';

export type TenantStatus = 'active' | 'suspended';
export type BillingMode = 'prepaid' | 'postpaid';

@Entity('tenants')
@Index('tenants_created_at_idx', ['createdAt', 'id'])
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid') id!: TenantId;
  @Column('text') name!: string;
  @Column('text', { default: 'active' }) status!: TenantStatus;
  @Column('text', { default: 'USD' }) currency!: string;
  @Column('text', { default: 'postpaid' }) billingMode!: BillingMode;
  /** Tenant-wide markup (positive) or discount (negative) on list prices, in basis points. */
  @Column('integer', { default: 0 }) priceAdjustmentBps!: number;
  @Column('text', { nullable: true }) stripeCustomerId!: string | null;
  @Column('jsonb', { default: () => "'{}'" }) metadata!: JsonObject;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
