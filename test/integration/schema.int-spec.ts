import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '@switchyard/database';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('the schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(db.url, { extra: { max: 2 } }));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('matches the entities exactly: migrations and code cannot drift', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    // Foreign keys and CHECK constraints live only in migrations (entities carry plain columns).
    const drift = pending.upQueries
      .map((query) => query.query)
      .filter((sql) => !/^ALTER TABLE "\w+" DROP CONSTRAINT "\w+_(fk|ck)"$/.test(sql));
    expect(drift).toEqual([]);
  });

  it('stores money as bigint columns', async () => {
    const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND (column_name LIKE '%nano_usd' OR column_name LIKE '%_price' OR column_name LIKE '%_cost')`,
    );
    expect(columns.length).toBeGreaterThanOrEqual(20);
    for (const column of columns)
      expect([column.table_name, column.column_name, column.data_type]).toEqual([
        column.table_name,
        column.column_name,
        'bigint',
      ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_logs', async () => {
    await db.query(
      `INSERT INTO audit_logs (actor_type, action, hash) VALUES ('system', 'test.append', repeat('a', 64))`,
    );
    await expect(db.query(`UPDATE audit_logs SET action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_logs`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_logs`)).rejects.toThrow(/append-only/);
    expect(await db.query(`SELECT action FROM audit_logs`)).toEqual([{ action: 'test.append' }]);
  });

  it('makes usage_events.request_id unique', async () => {
    const insert = `INSERT INTO usage_events (request_id, tenant_id, api_key_id, model, protocol, input_tokens, cached_input_tokens,
      cache_write_tokens, output_tokens, reasoning_tokens, usage_estimated, cost_nano_usd, price_nano_usd, outcome, status, stream,
      latency_ms, started_at) VALUES ('req-1', gen_random_uuid(), gen_random_uuid(), 'm', 'openai.chat', 1, 0, 0, 1, 0, false, 1, 2,
      'success', 200, false, 5, now())`;
    await db.query(insert);
    await expect(db.query(insert)).rejects.toThrow(/usage_events_request_id_uq/);
  });

  it('migrates down to nothing and up again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await db.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
    );
    expect(tables).toEqual([]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
