import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 3: Responses API answers kept per tenant for `previous_response_id`, and the per-model
 * list of parameters the operator lets the gateway drop when an upstream cannot honour them.
 */
export class StoredResponses1764500000000 implements MigrationInterface {
  name = 'StoredResponses1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE stored_responses (
        tenant_id uuid NOT NULL,
        id text NOT NULL,
        previous_response_id text,
        model text NOT NULL,
        provider_id uuid NOT NULL,
        upstream_stored boolean NOT NULL,
        input jsonb NOT NULL,
        output jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT stored_responses_pkey PRIMARY KEY (tenant_id, id)
      )`);
    await db.query(`CREATE INDEX stored_responses_expires_at_idx ON stored_responses (expires_at)`);
    await db.query(`ALTER TABLE models ADD COLUMN droppable_params text[] NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE models DROP COLUMN droppable_params`);
    await db.query(`DROP TABLE stored_responses`);
  }
}
