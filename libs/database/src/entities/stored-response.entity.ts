import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { JsonValue, ProviderId, TenantId } from '@switchyard/common';

/**
 * A Responses API answer created through the gateway (unless the client sent `store: false`),
 * so a later request can continue it with `previous_response_id` on any upstream. Each row keeps
 * only its own turn: the input items the client sent and the output items it received; the
 * conversation is the chain of `previous_response_id`s. Rows are per tenant and expire.
 */
@Entity('stored_responses')
@Index('stored_responses_expires_at_idx', ['expiresAt'])
export class StoredResponseEntity {
  @PrimaryColumn('uuid') tenantId!: TenantId;
  /** The id the client saw (`resp_…`): the upstream's on pass-through, else minted by the gateway. */
  @PrimaryColumn('text') id!: string;
  @Column('text', { nullable: true }) previousResponseId!: string | null;
  /** The public model name the client asked for. */
  @Column('text') model!: string;
  @Column('uuid') providerId!: ProviderId;
  /** The upstream keeps this response too (OpenAI pass-through, stored): it can be referenced there. */
  @Column('boolean') upstreamStored!: boolean;
  /** This turn's input items, as the client sent them (a string input becomes one user message). */
  @Column('jsonb') input!: JsonValue[];
  /** The response's output items, as the client received them. */
  @Column('jsonb') output!: JsonValue[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
}
