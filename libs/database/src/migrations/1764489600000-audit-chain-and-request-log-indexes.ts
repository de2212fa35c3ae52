import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for issue 4's reads: the last row of a tenant's audit chain (taken on every audited
 * change), and the platform-wide request log, newest first.
 */
export class AuditChainAndRequestLogIndexes1764489600000 implements MigrationInterface {
  name = 'AuditChainAndRequestLogIndexes1764489600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX audit_logs_chain_idx ON audit_logs (tenant_id, id)`);
    await db.query(`CREATE INDEX usage_events_started_idx ON usage_events (started_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX usage_events_started_idx`);
    await db.query(`DROP INDEX audit_logs_chain_idx`);
  }
}
