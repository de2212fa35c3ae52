import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@switchyard/database';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('schema: entities and migrations agree', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(db.url, { extra: { max: 1 } }));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('needs no schema change after every migration ran (no drift)', async () => {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    // Foreign keys and CHECK constraints live in the migrations only (entities declare no
    // relations or checks), so TypeORM would drop them; anything else is drift.
    const drift = sql.upQueries
      .map((query) => query.query)
      .filter((query) => !/DROP CONSTRAINT "[a-z_]+_(fk|ck)"$/.test(query));
    expect(drift).toEqual([]);
  });

  it('keeps stored responses per tenant, keyed by tenant first', async () => {
    const [pk] = await db.query<{ columns: string }>(
      `SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS columns
         FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = 'stored_responses'::regclass AND i.indisprimary`,
    );
    expect(pk.columns).toBe('tenant_id,id');
  });
});
